import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkWebBoundaries, cycleIn, FEATURE_DEPENDENCIES } from './check-boundaries.ts';

let src: string;

/** A throwaway apps/web/src with the given files. */
function tree(files: Record<string, string>): string {
  src = fs.mkdtempSync(path.join(os.tmpdir(), 'web-boundaries-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
    fs.writeFileSync(path.join(src, file), text);
  }
  return src;
}

/** Three features: tags uses members; member-pages uses both. */
const GRAPH = { members: [], tags: ['members'], 'member-pages': ['members', 'tags'] };

const base = {
  'main.tsx': "import { App } from './app/App.tsx';\nimport './lib/i18n.ts';\nexport const app = App;",
  'app/App.tsx': "import { useSession } from '../session/session-context.ts';\nexport const App = useSession;",
  'app/router/pages.ts': "export const MembersPage = () => import('../../features/member-pages/pages/MembersPage.tsx');",
  'lib/i18n.ts': "import en from '../locales/en.json';\nexport const i18n = en;",
  'locales/en.json': '{}',
  'components/PageHeader.tsx': "import { i18n } from '../lib/i18n.ts';\nexport const PageHeader = i18n;",
  'session/session-context.ts': "import { i18n } from '../lib/i18n.ts';\nexport const useSession = () => i18n;",
  'features/members/index.ts': "export { useMembers } from './api.ts';",
  'features/members/api.ts': "import type { Me } from '../../session/types.ts';\nexport const useMembers = (me?: Me) => me;",
  'features/tags/index.ts': "export { TagSelect } from './TagSelect.tsx';",
  'features/tags/TagSelect.tsx': "import { useMembers } from '../members/index.ts';\nexport const TagSelect = useMembers;",
  'features/member-pages/pages/MembersPage.tsx':
    "import { PageHeader } from '../../../components/PageHeader.tsx';\nimport { TagSelect } from '../../tags/index.ts';\nexport const MembersPage = [PageHeader, TagSelect];",
};

afterEach(() => fs.rmSync(src, { recursive: true, force: true }));

describe('the web boundary check', () => {
  it('passes layers that import only downwards and features that use declared doors', () => {
    expect(checkWebBoundaries(tree(base), undefined, GRAPH)).toEqual([]);
  });

  it.each([
    ['a feature imports the session from app/', 'features/tags/TagSelect.tsx', "import { useSession } from '../../app/session/session-context.ts';", /features\/ may not import app\//],
    ['a type-only import counts too', 'features/tags/TagSelect.tsx', "import type { LoginState } from '../../app/router/location-state.ts';", /features\/ may not import app\//],
    ['the session reaches a feature', 'session/SessionGate.tsx', "import { useMembers } from '../features/members/index.ts';", /session\/ may not import features\//],
    ['a shared component reaches the session', 'components/UserBadge.tsx', "import { useSession } from '../session/session-context.ts';", /components\/ may not import session\//],
    ['lib reaches a shared component', 'lib/labels.ts', "import { PageHeader } from '../components/PageHeader.tsx';", /lib\/ may not import components\//],
  ])('refuses an arrow back up: %s', (_name, file, code, message) => {
    const problems = checkWebBoundaries(tree({ ...base, [file]: `${code}\nexport const x = 1;` }), undefined, GRAPH);
    expect(problems).toEqual([expect.stringMatching(message)]);
  });

  it("refuses a feature reaching into another feature's files, and a dependency the graph does not declare", () => {
    const problems = checkWebBoundaries(
      tree({
        ...base,
        'features/tags/TagSelect.tsx': "import { useMembers } from '../members/api.ts';\nexport const TagSelect = useMembers;",
        'features/members/api.ts': "import { TagSelect } from '../tags/index.ts';\nexport const useMembers = () => TagSelect;",
      }),
      undefined,
      GRAPH,
    );
    expect(problems).toEqual([
      expect.stringMatching(/features\/members\/api\.ts → features\/tags\/index\.ts: members may not depend on tags/),
      expect.stringMatching(/features\/tags\/TagSelect\.tsx → features\/members\/api\.ts: import another feature only through its index\.ts/),
    ]);
  });

  it('lets app/ mount a page lazily or use a door, not import a feature file statically', () => {
    const problems = checkWebBoundaries(
      tree({
        ...base,
        'app/router/routes.tsx': "import { TagSelect } from '../../features/tags/index.ts';\nimport { MembersPage } from '../../features/member-pages/pages/MembersPage.tsx';\nexport const r = [TagSelect, MembersPage];",
      }),
      undefined,
      GRAPH,
    );
    expect(problems).toEqual([expect.stringMatching(/app\/router\/routes\.tsx → features\/member-pages\/pages\/MembersPage\.tsx: app\/ mounts a feature's page with import\(\)/)]);
  });

  it('names a feature missing from the graph, a folder that is no layer, and a cycle in the graph', () => {
    const problems = checkWebBoundaries(
      tree({ ...base, 'features/campaigns/index.ts': 'export const c = 1;', 'helpers/x.ts': 'export const x = 1;' }),
      undefined,
      { ...GRAPH, members: ['member-pages'] },
    );
    expect(problems).toEqual([
      'FEATURE_DEPENDENCIES has a cycle: members → member-pages → members',
      'features/campaigns is not in FEATURE_DEPENDENCIES (scripts/check-boundaries.ts)',
      'helpers/ is not a layer of the web app (WEB_LAYERS in scripts/check-boundaries.ts)',
    ]);
  });

  it('finds a cycle through several features', () => {
    expect(cycleIn({ a: ['b'], b: ['c'], c: ['a'], d: [] })).toBe('a → b → c → a');
    expect(cycleIn(FEATURE_DEPENDENCIES)).toBeUndefined();
  });

  it('the real tree passes', () => {
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'web-boundaries-'));
    expect(checkWebBoundaries(path.resolve(import.meta.dirname, '../apps/web/src'))).toEqual([]);
  });
});
