import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Builds the admin web app when its sources changed since the last build, so `npm start` is one command
// and a second start is instant.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'apps/web');
const sources = [path.join(web, 'src'), path.join(web, 'index.html'), path.join(web, 'liff.html'), path.join(web, 'vite.config.ts'), path.join(root, 'packages/contracts/src'), path.join(web, 'package.json')];

function digest(): string {
  const hash = crypto.createHash('sha256');
  const visit = (entry: string) => {
    if (!fs.existsSync(entry)) return;
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry).sort()) visit(path.join(entry, child));
    } else {
      hash.update(path.relative(root, entry));
      hash.update(fs.readFileSync(entry));
    }
  };
  sources.forEach(visit);
  return hash.digest('hex');
}

const stamp = path.join(web, 'dist/.build-hash');
const current = digest();
if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === current) process.exit(0);
console.log('Building the admin web app (first start or sources changed)…');
execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
fs.writeFileSync(stamp, current);
