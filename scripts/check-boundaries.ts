import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server's module boundaries, checked in CI (`npm run lint`):
 *  - a module imports another module only through that module's index.ts, and only along the graph below;
 *  - core/ and config/ import no module and not app/; modules do not import app/.
 *  - database scope switches (owner transactions, entering another scope, the role-less `withoutTenant`, raw
 *    `set role`) are used only by core/, modules/platform and the composition root app/; the platform role's
 *    `withPlatform` only by the modules listed in PLATFORM_SCOPE_MODULES. Everything else runs in the tenant scope
 *    that core/http/access.ts opens, where row-level security holds.
 *  - the LINE simulator (a development dependency) is loaded at run time only, by app/demo-line.ts in demo mode: no
 *    server file imports it as a value at the top, so a production install without it starts.
 * Tests may reach into their own module's internals (never another module's) and may start the app.
 */
export const MODULE_DEPENDENCIES: Record<string, string[]> = {
  audit: [],
  tenants: ['audit'],
  mailbox: [],
  accounts: ['tenants', 'audit'],
  auth: ['accounts', 'tenants', 'audit'],
  platform: ['tenants', 'accounts', 'auth', 'audit'],
  members: ['tenants', 'audit'],
  tags: ['members', 'tenants', 'audit'],
  segments: ['members', 'tags', 'tenants', 'audit'],
  line: ['members', 'tags', 'tenants', 'audit'],
  'member-portal': ['line', 'members', 'tenants', 'audit'],
  'member-transfer': ['members', 'tags', 'segments', 'tenants', 'audit'],
  campaigns: ['segments', 'tags', 'members', 'tenants', 'audit'],
};

/** Modules whose cross-tenant reads (login lookup, sessions, tenant directory, captured mail, binding limits) run as the platform role. */
export const PLATFORM_SCOPE_MODULES = ['platform', 'auth', 'tenants', 'mailbox', 'member-portal'];

const SCOPE_SWITCHES = /\b(?:ownerTransaction|enterPlatformScope|enterTenantScope|withoutTenant|PLATFORM_ROLE|APP_ROLE|QUEUE_ROLE)\b|set_config\(\s*'role'|\b(?:set\s+(?:local\s+)?|re)role\s+(?:innkeeper_|none\b|to\b)|\breset\s+role\b/i;
const PLATFORM_SCOPE = /\bwithPlatform\b/;

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
    }
    if (!isTestFile && /^\s*import\s+(?!type\b)[^'"]*from\s+['"]@innkeeper\/line-simulator['"]/m.test(codeOf(source))) {
      problems.push(`${path.relative(root, file)}: imports @innkeeper/line-simulator statically; only app/demo-line.ts loads it, with import(), in demo mode`);
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

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkBoundaries(path.join(root, 'apps/server/src'), root);
  if (problems.length > 0) {
    console.error(`Module boundary violations:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('Module boundaries: ok');
}
