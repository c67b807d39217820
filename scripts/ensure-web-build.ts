import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

// Builds the admin web app when its sources changed since the last build, so `npm start` is one command
// and a second start is instant.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'apps/web');
const sources = [path.join(web, 'src'), path.join(web, 'public'), path.join(web, 'index.html'), path.join(web, 'liff.html'), path.join(web, 'vite.config.ts'), path.join(root, 'packages/contracts/src'), path.join(web, 'package.json')];

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
precompress(path.join(web, 'dist'));
fs.writeFileSync(stamp, current);

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file worth compressing, once per build, so the server
 * sends ~3x fewer bytes without compressing on every request (@fastify/static's preCompressed). Brotli quality 5
 * is 55x faster than 11 here (0.3 s against 15 s for the whole app) for files 9 % larger.
 */
function precompress(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !/\.(js|css|html|svg|json|txt|map)$/.test(entry.name)) continue;
    const content = fs.readFileSync(file);
    if (content.length < 1024) continue;
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
  }
}
