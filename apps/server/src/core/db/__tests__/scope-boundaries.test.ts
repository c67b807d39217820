import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoundaries, MODULE_DEPENDENCIES } from '../../../../../../scripts/check-boundaries.ts';

let src: string;

/** A throwaway apps/server/src with every module present and the given files. */
function tree(files: Record<string, string>): string {
  src = fs.mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
  for (const module of Object.keys(MODULE_DEPENDENCIES)) fs.mkdirSync(path.join(src, 'modules', module), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
    fs.writeFileSync(path.join(src, file), text);
  }
  return src;
}

afterEach(() => fs.rmSync(src, { recursive: true, force: true }));

describe('the boundary check refuses database scope switches outside core, platform and app', () => {
  it.each([
    ['an owner transaction', 'export const f = (db) => db.ownerTransaction((o) => o.exec("analyze members"));'],
    ['entering the platform scope', "import { enterPlatformScope } from '../../core/db/database.ts';\nexport const f = (tx) => enterPlatformScope(tx);"],
    ['entering a tenant scope', 'export const f = (tx, t) => enterTenantScope(tx, t);'],
    ['a role-less transaction', 'export const f = (db) => db.withoutTenant(async () => 1);'],
    ['a raw set_config of the role', "export const q = sql`select set_config('role', 'innkeeper_platform', true)`;"],
    ['a raw set role', 'export const q = sql`set local role innkeeper_platform`;'],
  ])('in a module: %s', (_name, code) => {
    const problems = checkBoundaries(tree({ 'modules/tags/tags.service.ts': code }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/modules\/tags\/tags\.service\.ts: .* switches database scope/);
  });

  it('a statement without a scope (Database.statement) only in the LINE inbox repository', () => {
    const problems = checkBoundaries(tree({
      'modules/line/inbox.repository.ts': 'export const f = (db, q) => db.statement(q);',
      'modules/tags/tags.repository.ts': 'export const f = (db, q) => db.statement<{ n: number }>(q);',
    }));
    expect(problems).toEqual([expect.stringMatching(/modules\/tags\/tags\.repository\.ts: Database\.statement runs without a scope/)]);
  });

  it('withPlatform only in the modules listed; the platform module, core, app and tests may switch', () => {
    const problems = checkBoundaries(tree({
      'modules/tags/tags.service.ts': 'export const f = (db) => db.withPlatform(async () => 1);',
      'modules/auth/auth.service.ts': 'export const f = (db) => db.withPlatform(async () => 1);',
      'modules/platform/platform.service.ts': 'export const f = (tx) => enterPlatformScope(tx);',
      'modules/tags/__tests__/tags.integration.test.ts': 'export const f = (db) => db.ownerTransaction(async () => 1);',
      'core/db/maintenance.ts': 'export const f = (db) => db.ownerTransaction(async () => 1);',
      'app/bootstrap.ts': 'export const f = (tx) => enterPlatformScope(tx);',
      'modules/members/members.service.ts': '// Not ownerTransaction: a comment may name it.\nexport const x = 1;',
    }));
    expect(problems).toEqual([expect.stringMatching(/modules\/tags\/tags\.service\.ts: withPlatform is for/)]);
  });

  it('the LINE simulator, a development dependency, is loaded only at run time in demo mode, never imported statically', () => {
    const problems = checkBoundaries(tree({
      'app/start-demo.ts': "import { startSimulator } from '@innkeeper/line-simulator';\nexport const s = startSimulator;",
      'app/demo-line.ts': "import type { startSimulator } from '@innkeeper/line-simulator';\nexport const load = () => import('@innkeeper/line-simulator');",
      'modules/line/__tests__/webhook.integration.test.ts': "import { startSimulator } from '@innkeeper/line-simulator';",
    }));
    expect(problems).toEqual([expect.stringMatching(/app\/start-demo\.ts: imports @innkeeper\/line-simulator statically/)]);
  });

  it('the PMS simulator, a development dependency for tests, benches and the demo, is loaded only by app/demo-pms.ts with import()', () => {
    const problems = checkBoundaries(tree({
      'modules/pms/pms.sync.ts': "import { generateDataSet } from '@innkeeper/pms-simulator';\nexport const g = generateDataSet;",
      'app/demo-pms.ts': "import type { startPmsSimulator } from '@innkeeper/pms-simulator';\nexport const load = () => import('@innkeeper/pms-simulator');",
      'app/other-demo.ts': "export const load = () => import('@innkeeper/pms-simulator');",
      'modules/pms/pms.matching.ts': "import type { DataSet } from '@innkeeper/pms-simulator';\nexport type D = DataSet;",
      'modules/pms/__tests__/pms.score.test.ts': "import { generateDataSet } from '@innkeeper/pms-simulator';",
      'modules/pms/__tests__/match-score.ts': "import { generateDataSet } from '@innkeeper/pms-simulator';",
    }));
    expect(problems).toEqual([
      expect.stringMatching(/app\/other-demo\.ts: imports @innkeeper\/pms-simulator/),
      expect.stringMatching(/modules\/pms\/pms\.sync\.ts: imports @innkeeper\/pms-simulator statically/),
    ]);
  });

  it("a module's queries are in its repositories", () => {
    const problems = checkBoundaries(tree({
      'modules/tags/tags.service.ts': 'export const f = (ctx) => ctx.db.select().from(tags);',
      'modules/tags/tags.jobs.ts': 'export const f = (tx) => queryRows(tx, sql`select 1`);',
      'modules/tags/tags.repository.ts': 'export const f = (tx) => tx.execute(sql`select 1`);',
      'modules/tags/__tests__/tags.integration.test.ts': 'export const f = (tx) => tx.delete(tags);',
      'modules/tags/predicate.ts': 'export const visible = sql`true`;',
    }));
    expect(problems).toEqual([
      expect.stringMatching(/modules\/tags\/tags\.jobs\.ts: 'queryRows\(' queries the database/),
      expect.stringMatching(/modules\/tags\/tags\.service\.ts: 'db\.select\(' queries the database/),
    ]);
  });

  it('the real tree passes', () => {
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
    expect(checkBoundaries(path.resolve(import.meta.dirname, '../../..'))).toEqual([]);
  });
});
