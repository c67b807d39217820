import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Module boundaries, checked in CI (`npm run lint`): the server's here, the web app's below (checkWebBoundaries).
 * The server's:
 *  - a module imports another module only through that module's index.ts, and only along the graph below;
 *  - core/ and config/ import no module and not app/; modules do not import app/.
 *  - database scope switches (owner transactions, entering another scope, the role-less `withoutTenant`, raw
 *    `set role`) are used only by core/, modules/platform and the composition root app/; the platform role's
 *    `withPlatform` only by the modules listed in PLATFORM_SCOPE_MODULES. Everything else runs in the tenant scope
 *    that core/http/access.ts opens, where row-level security holds.
 *  - a module's queries are in its repositories (`*.repository.ts`): no other module file selects, inserts, updates,
 *    deletes or executes on a transaction or database, so what a module reads and writes is in one place.
 *  - the LINE simulator (a development dependency) is loaded at run time only, by app/demo-line.ts in demo mode: no
 *    server file imports it as a value at the top, so a production install without it starts.
 *  - the PMS simulator (a development dependency) is for tests and benches: no server file outside tests loads it.
 * Tests may reach into their own module's internals (never another module's) and may start the app.
 */
export const MODULE_DEPENDENCIES: Record<string, string[]> = {
  audit: [],
  tenants: ['audit'],
  mailbox: ['members'],
  accounts: ['tenants', 'audit'],
  auth: ['accounts', 'tenants', 'audit'],
  platform: ['tenants', 'accounts', 'auth', 'audit'],
  members: ['tenants', 'audit'],
  tags: ['members', 'tenants', 'audit'],
  segments: ['members', 'tags', 'tenants', 'audit'],
  line: ['members', 'tags', 'tenants', 'audit'],
  'member-portal': ['line', 'members', 'tenants', 'audit'],
  'member-transfer': ['members', 'tags', 'segments', 'tenants', 'audit'],
  pms: ['members', 'member-portal', 'member-transfer', 'tenants', 'audit'],
  campaigns: ['segments', 'tags', 'members', 'line', 'accounts', 'tenants', 'audit'],
  automation: ['campaigns', 'segments', 'tags', 'members', 'line', 'tenants', 'audit'],
};

/**
 * Modules whose cross-tenant reads (login lookup, sessions, tenant directory, captured mail, binding limits, the click
 * report's ID-token check limits) run as the platform role.
 */
// pms: the scheduler's claim of due connections across hotel groups (migration 0040 grants it the columns it needs).
export const PLATFORM_SCOPE_MODULES = ['platform', 'auth', 'tenants', 'mailbox', 'member-portal', 'campaigns', 'pms'];

const SCOPE_SWITCHES = /\b(?:ownerTransaction|enterPlatformScope|enterTenantScope|withoutTenant|PLATFORM_ROLE|APP_ROLE|QUEUE_ROLE)\b|set_config\(\s*'role'|\b(?:set\s+(?:local\s+)?|re)role\s+(?:innkeeper_|none\b|to\b)|\breset\s+role\b/i;
const PLATFORM_SCOPE = /\bwithPlatform\b/;
/**
 * Database.statement runs one statement with no role or tenant set: only for SQL functions that take their own scope.
 * Its callers: the LINE inbox's receiveEvents (line_inbox_receive, migration 0041) and awaitArrivals (an advisory lock),
 * and the tracked links' receiveClicks (campaign_clicks_receive, migration 0049).
 */
const SCOPELESS_STATEMENT = /\.statement\s*[<(]/;
const SCOPELESS_STATEMENT_FILES = [path.join('modules', 'line', 'inbox.repository.ts'), path.join('modules', 'campaigns', 'campaign-clicks.repository.ts')];
const QUERY = /\b(?:db|tx|savepoint)\s*\.\s*(?:select|selectDistinct|insert|update|delete|execute)\s*\(|\bqueryRows\s*\(/;

/** Code without comments, so a comment may name what the code may not use. */
function codeOf(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function moduleOf(modulesDir: string, file: string): string | undefined {
  const relative = path.relative(modulesDir, file);
  return relative.startsWith('..') ? undefined : relative.split(path.sep)[0];
}

/** Every boundary violation under `src` (apps/server/src), as readable lines; `root` only shortens the paths shown. */
export function checkBoundaries(src: string, root = src): string[] {
  const modulesDir = path.join(src, 'modules');
  const problems: string[] = [];
  for (const module of fs.readdirSync(modulesDir)) {
    if (!(module in MODULE_DEPENDENCIES)) problems.push(`modules/${module} is not in MODULE_DEPENDENCIES (scripts/check-boundaries.ts)`);
  }

  for (const file of walk(src)) {
    const source = fs.readFileSync(file, 'utf8');
    const from = moduleOf(modulesDir, file);
    const area = path.relative(src, file).split(path.sep)[0];
    const isTestFile = file.includes(`${path.sep}__tests__${path.sep}`) || file.endsWith('.test.ts');
    if (area === 'modules' && from !== 'platform' && !isTestFile) {
      const code = codeOf(source);
      const scopeSwitch = SCOPE_SWITCHES.exec(code);
      if (scopeSwitch) problems.push(`${path.relative(root, file)}: '${scopeSwitch[0]}' switches database scope; only core/, modules/platform and app/ may`);
      if (PLATFORM_SCOPE.test(code) && !PLATFORM_SCOPE_MODULES.includes(from!)) problems.push(`${path.relative(root, file)}: withPlatform is for ${PLATFORM_SCOPE_MODULES.join(', ')} only (PLATFORM_SCOPE_MODULES)`);
      if (SCOPELESS_STATEMENT.test(code) && !SCOPELESS_STATEMENT_FILES.includes(path.relative(src, file))) problems.push(`${path.relative(root, file)}: Database.statement runs without a scope; only ${SCOPELESS_STATEMENT_FILES.join(', ')} may use it (SCOPELESS_STATEMENT_FILES)`);
      const query = file.endsWith('.repository.ts') ? null : QUERY.exec(code);
      if (query) problems.push(`${path.relative(root, file)}: '${query[0]}' queries the database; a module's queries belong in its repository`);
    }
    if (!isTestFile && /^\s*import\s+(?!type\b)[^'"]*from\s+['"]@innkeeper\/line-simulator['"]/m.test(codeOf(source))) {
      problems.push(`${path.relative(root, file)}: imports @innkeeper/line-simulator statically; only app/demo-line.ts loads it, with import(), in demo mode`);
    }
    // The PMS simulator serves tests, benches and the demo: only app/demo-pms.ts loads it, with import(), in demo mode.
    const isDemoPms = path.relative(src, file) === path.join('app', 'demo-pms.ts');
    if (!isTestFile && /^\s*import\s+(?!type\b)[^'"]*from\s+['"]@innkeeper\/pms-simulator['"]/m.test(codeOf(source))) {
      problems.push(`${path.relative(root, file)}: imports @innkeeper/pms-simulator statically; only app/demo-pms.ts loads it, with import(), in demo mode`);
    } else if (!isTestFile && !isDemoPms && /\bimport\(\s*['"]@innkeeper\/pms-simulator['"]/m.test(codeOf(source))) {
      problems.push(`${path.relative(root, file)}: imports @innkeeper/pms-simulator; it is for tests, benches and app/demo-pms.ts, never the running server`);
    }
    for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
      const target = path.resolve(path.dirname(file), (match[1] ?? match[2])!);
      const where = `${path.relative(root, file)} → ${path.relative(root, target)}`;
      const targetArea = path.relative(src, target).split(path.sep)[0];
      const to = moduleOf(modulesDir, target);
      if ((area === 'core' || area === 'config') && (targetArea === 'modules' || targetArea === 'app')) problems.push(`${where}: core and config import no module`);
      if (area === 'modules' && targetArea === 'app' && !isTestFile) problems.push(`${where}: modules do not import app/`);
      if (!from || !to || from === to) continue;
      if (path.basename(target) !== 'index.ts' || path.dirname(target) !== path.join(modulesDir, to)) problems.push(`${where}: import another module only through its index.ts`);
      if (!MODULE_DEPENDENCIES[from]?.includes(to)) problems.push(`${where}: ${from} may not depend on ${to}`);
    }
  }
  return problems;
}

/**
 * The web app's layers (apps/web/src), bottom to top. A file imports its own layer and the ones below, never one above:
 *  - locales/ the texts; lib/ the API client, errors, i18n, dates, URL helpers (no screens, no business rules);
 *  - components/ shared UI without business rules; session/ the signed-in account (the /me query, useSession, the
 *    session gate, access rules, the sign-in location state);
 *  - features/<name>/ one area each; another feature is used only through its index.ts, and only along the graph
 *    below (acyclic, as the server's modules are);
 *  - app/ the composition root (providers, layout, navigation, routes): it mounts a feature's pages lazily
 *    (`import()`, one chunk a page) and otherwise uses a feature only through its index.ts; main.tsx starts it.
 */
export const WEB_LAYERS = ['locales', 'lib', 'components', 'session', 'features', 'app'];

export const FEATURE_DEPENDENCIES: Record<string, string[]> = {
  auth: [],
  'my-account': ['auth', 'properties'],
  accounts: ['properties'],
  'audit-log': [],
  platform: ['properties'],
  properties: [],
  line: ['properties'],
  'member-portal': [],
  liff: ['member-portal'],
  settings: ['line', 'member-portal', 'properties'],
  members: [],
  tags: ['members'],
  segments: ['members', 'tags', 'properties'],
  'member-import': ['members'],
  'member-pages': ['members', 'tags', 'segments', 'member-import', 'properties', 'pms'],
  'follow-log': [],
  'binding-reviews': [],
  'demo-mailbox': [],
  'coming-soon': [],
  campaigns: ['members', 'segments', 'tags', 'properties'],
  automation: ['campaigns', 'members', 'segments', 'tags', 'properties'],
  pms: ['properties'],
};

/** A cycle in a dependency graph, as `a → b → a`, or undefined. */
export function cycleIn(graph: Record<string, string[]>): string | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string, trail: string[]): string | undefined => {
    if (state.get(node) === 'visiting') return [...trail.slice(trail.indexOf(node)), node].join(' → ');
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'visiting');
    for (const next of graph[node] ?? []) {
      const cycle = visit(next, [...trail, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of Object.keys(graph)) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

const RELATIVE_IMPORT = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Every boundary violation under `src` (apps/web/src), as readable lines; `root` only shortens the paths shown. */
export function checkWebBoundaries(src: string, root = src, dependencies = FEATURE_DEPENDENCIES): string[] {
  const featuresDir = path.join(src, 'features');
  const problems: string[] = [];
  const cycle = cycleIn(dependencies);
  if (cycle) problems.push(`FEATURE_DEPENDENCIES has a cycle: ${cycle}`);
  const features = fs.existsSync(featuresDir) ? fs.readdirSync(featuresDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
  for (const feature of features) {
    if (!(feature in dependencies)) problems.push(`features/${feature} is not in FEATURE_DEPENDENCIES (scripts/check-boundaries.ts)`);
  }
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    if (entry.isDirectory() && !WEB_LAYERS.includes(entry.name)) problems.push(`${entry.name}/ is not a layer of the web app (WEB_LAYERS in scripts/check-boundaries.ts)`);
  }
  // A file at the top of src (main.tsx) starts the app: above every layer.
  const rankOf = (file: string) => {
    const parts = path.relative(src, file).split(path.sep);
    return parts.length === 1 ? WEB_LAYERS.length : WEB_LAYERS.indexOf(parts[0]!);
  };
  const nameOf = (file: string) => {
    const parts = path.relative(src, file).split(path.sep);
    return parts.length === 1 ? parts[0]! : `${parts[0]}/`;
  };

  for (const file of walk(src)) {
    const source = codeOf(fs.readFileSync(file, 'utf8'));
    const from = moduleOf(featuresDir, file);
    for (const match of source.matchAll(RELATIVE_IMPORT)) {
      const target = path.resolve(path.dirname(file), (match[1] ?? match[2] ?? match[3])!);
      const where = `${path.relative(root, file)} → ${path.relative(root, target)}`;
      if (path.relative(src, target).startsWith('..')) continue;
      const fromRank = rankOf(file);
      const toRank = rankOf(target);
      if (fromRank >= 0 && toRank > fromRank) {
        problems.push(`${where}: ${nameOf(file)} may not import ${nameOf(target)}, which sits above it (${WEB_LAYERS.join(' < ')})`);
        continue;
      }
      const to = moduleOf(featuresDir, target);
      if (!to || from === to) continue;
      const isDoor = path.basename(target) === 'index.ts' && path.dirname(target) === path.join(featuresDir, to);
      if (!from) {
        const lazy = match[3] !== undefined;
        if (!isDoor && !lazy) problems.push(`${where}: app/ mounts a feature's page with import() and otherwise uses the feature's index.ts`);
        continue;
      }
      if (!isDoor) problems.push(`${where}: import another feature only through its index.ts`);
      if (!dependencies[from]?.includes(to)) problems.push(`${where}: ${from} may not depend on ${to} (FEATURE_DEPENDENCIES)`);
    }
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = [
    ...checkBoundaries(path.join(root, 'apps/server/src'), root),
    ...checkWebBoundaries(path.join(root, 'apps/web/src'), root),
  ];
  if (problems.length > 0) {
    console.error(`Module boundary violations:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('Module boundaries (server and web): ok');
}
