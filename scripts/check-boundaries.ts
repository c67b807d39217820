import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server's module boundaries, checked in CI (`npm run lint`):
 *  - a module imports another module only through that module's index.ts, and only along the graph below;
 *  - core/ and config/ import no module and not app/; modules do not import app/.
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
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'apps/server/src');
const modulesDir = path.join(src, 'modules');
const problems: string[] = [];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function moduleOf(file: string): string | undefined {
  const relative = path.relative(modulesDir, file);
  return relative.startsWith('..') ? undefined : relative.split(path.sep)[0];
}

for (const module of fs.readdirSync(modulesDir)) {
  if (!(module in MODULE_DEPENDENCIES)) problems.push(`modules/${module} is not in MODULE_DEPENDENCIES (scripts/check-boundaries.ts)`);
}

for (const file of walk(src)) {
  const source = fs.readFileSync(file, 'utf8');
  const from = moduleOf(file);
  const area = path.relative(src, file).split(path.sep)[0];
  for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const target = path.resolve(path.dirname(file), (match[1] ?? match[2])!);
    const where = `${path.relative(root, file)} → ${path.relative(root, target)}`;
    const targetArea = path.relative(src, target).split(path.sep)[0];
    const to = moduleOf(target);
    if ((area === 'core' || area === 'config') && (targetArea === 'modules' || targetArea === 'app')) problems.push(`${where}: core and config import no module`);
    const isTest = file.includes(`${path.sep}__tests__${path.sep}`) || file.endsWith('.test.ts');
    if (area === 'modules' && targetArea === 'app' && !isTest) problems.push(`${where}: modules do not import app/`);
    if (!from || !to || from === to) continue;
    if (path.basename(target) !== 'index.ts' || path.dirname(target) !== path.join(modulesDir, to)) problems.push(`${where}: import another module only through its index.ts`);
    if (!MODULE_DEPENDENCIES[from]?.includes(to)) problems.push(`${where}: ${from} may not depend on ${to}`);
  }
}

if (problems.length > 0) {
  console.error(`Module boundary violations:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('Module boundaries: ok');
