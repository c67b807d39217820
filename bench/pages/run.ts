import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { apiCall, DEMO_ADMIN, launchBrowser, signIn, startServer, type RunningServer } from '../../e2e/harness.ts';
import { cpuModel, loadAverage } from '../members/machine.ts';
import { formatBytes, formatMs, summarise } from '../members/stats.ts';

// How long staff wait for a page to show, in a real browser against `npm start` (embedded database, demo data):
// from the navigation's start until the page's content is laid out — the sign-in form, or the member list's first row.
// Cold: a new browser profile (nothing cached). Warm: the same profile loading the page again.
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/**
 * BENCH_COMPARE=<another checkout> (e.g. main's): serves that checkout's server and built web app (A) beside this
 * one's (B) and alternates every load between them, A first in one run and B first in the next, so both builds share
 * the load of each moment on a shared machine. The other checkout needs its node_modules; its web app is built here
 * if its sources changed.
 */
const COMPARE = process.env.BENCH_COMPARE ? path.resolve(process.env.BENCH_COMPARE) : undefined;
/**
 * BENCH_PROFILE=<directory>: also writes a CPU profile of the page's main thread (Chrome DevTools' .cpuprofile) for
 * the first measured cold and warm load of each page (and build), and prints the functions with the most self time.
 */
const PROFILE = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : undefined;

/**
 * BENCH_WATERFALL=1: prints the requests of the first measured cold load of each page, in the order they started, with
 * when each started and ended (ms from the navigation's start), to see which wait on which.
 */
const WATERFALL = process.env.BENCH_WATERFALL === '1';

/**
 * BENCH_OMNIBOX=1: Chromium builds its address bar's WebUI popup for every new window, as the readings before
 * 2026-12-06 18:40 UTC did (~1 s of a second renderer's CPU during each cold load; e2e/harness.ts launchBrowser).
 */
const OMNIBOX = process.env.BENCH_OMNIBOX === '1';

type Measurement = { ms: number; bytes: number; requests: number };
type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;
/** One build under test: its server and, once signed in, the session the 會員 loads reuse. */
type Side = { name: string; root: string; server: RunningServer; storageState?: StorageState };
type CpuProfile = { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples?: number[]; timeDeltas?: number[] };

/**
 * Marks, inside the page, the moment `ready` is first laid out: `window.__readyAt`, in ms from the navigation's start
 * (the page's time origin). Playwright's own `waitFor` polls at growing intervals (0, 20, 50, 100, 100, 500 ms…), so
 * timing the wait from outside rounds every load up to the next poll: a form on screen at 540 ms read as ~1 s.
 */
function markWhenReady(selector: string): string {
  // Runs in the page (a script string: this file is type-checked without the DOM's types).
  return `(() => {
    const check = () => {
      if (window.__readyAt !== undefined) return true;
      const element = document.querySelector(${JSON.stringify(selector)});
      if (!element || element.getClientRects().length === 0) return false;
      window.__readyAt = performance.now();
      return true;
    };
    const observer = new MutationObserver(() => check() && observer.disconnect());
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  })();`;
}

/** The functions with the most self time in a profile (`url:line name ms`), for a first look without DevTools. */
function topSelfTime(profile: CpuProfile, count = 12): string[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const frame = byNode.get(id)?.callFrame;
    if (!frame) return;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\//, '')}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, ms]) => `${formatMs(ms).padStart(8)}  ${key}`);
}

/** Loads `url` and waits for `ready`; counts the bytes that crossed the wire (compressed, as sent). */
async function load(page: Page, url: string, ready: string, profileTo?: string, waterfall = false): Promise<Measurement> {
  const cdp = profileTo ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  let bytes = 0;
  let requests = 0;
  const finished: Request[] = [];
  const onFinished = async (request: Request) => {
    requests += 1;
    finished.push(request);
    const sizes = await request.sizes().catch(() => undefined);
    bytes += (sizes?.responseBodySize ?? 0) + (sizes?.responseHeadersSize ?? 0);
  };
  page.on('requestfinished', onFinished);
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(ready).first().waitFor({ state: 'visible', timeout: 30_000 });
  const ms = (await page.evaluate('window.__readyAt')) as number | undefined;
  if (ms === undefined) throw new Error(`${ready} is visible but was never marked`);
  if (cdp && profileTo) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    fs.writeFileSync(profileTo, JSON.stringify(profile));
    console.log(`    profile ${path.relative(process.cwd(), profileTo)} (self time, top functions):\n${topSelfTime(profile).map((line) => `      ${line}`).join('\n')}`);
    await cdp.detach();
  }
  await page.waitForLoadState('networkidle');
  page.off('requestfinished', onFinished);
  if (waterfall) {
    // Request timings are relative to each request's own start (startTime, epoch ms); the navigation's is the first.
    const rows = finished.map((request) => ({ request, timing: request.timing() })).sort((a, b) => a.timing.startTime - b.timing.startTime);
    const origin = rows[0]?.timing.startTime ?? 0;
    console.log(`    waterfall (ready at ${formatMs(ms)}): start → end  request`);
    for (const { request, timing } of rows) {
      const start = timing.startTime - origin;
      console.log(`      ${formatMs(start).padStart(8)} → ${formatMs(start + timing.responseEnd).padStart(8)}  ${request.url().replace(/^https?:\/\/[^/]+/, '')}`);
    }
  }
  return { ms, bytes, requests };
}

async function measure(browser: Browser, label: string, pathname: string, ready: string, sides: Side[]) {
  const samples = new Map(sides.map((side) => [side.name, { cold: [] as Measurement[], warm: [] as Measurement[] }]));
  for (let run = 0; run <= RUNS; run += 1) {
    // Alternating which build goes first, so neither always loads right after the other's.
    for (const side of run % 2 === 0 ? sides : [...sides].reverse()) {
      const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 900 }, storageState: side.storageState });
      await context.addInitScript({ content: markWhenReady(ready) });
      const page = await context.newPage();
      const url = `${side.server.url}${pathname}`;
      const profile = (kind: string) => (PROFILE && run === 1 ? path.join(PROFILE, `${pathname === '/' ? 'sign-in' : pathname.slice(1)}${side.name ? `-${side.name}` : ''}-${kind}.cpuprofile`) : undefined);
      const first = await load(page, url, ready, profile('cold'), WATERFALL && run === 1);
      const second = await load(page, url, ready, profile('warm'));
      await context.close();
      if (run === 0) continue; // warm-up: the server's own first requests (JIT, file cache)
      samples.get(side.name)?.cold.push(first);
      samples.get(side.name)?.warm.push(second);
    }
  }
  for (const kind of ['cold', 'warm'] as const) {
    for (const side of sides) {
      const measured = samples.get(side.name)?.[kind] ?? [];
      const time = summarise(measured.map((s) => s.ms));
      const bytes = summarise(measured.map((s) => s.bytes)).median;
      const requests = summarise(measured.map((s) => s.requests)).median;
      const name = side.name ? ` ${side.name}` : '';
      console.log(`  ${label.padEnd(10)} ${kind}${name}: median ${formatMs(time.median)} (min ${formatMs(time.min)}, max ${formatMs(time.max)}), ${formatBytes(bytes)} over ${requests} requests (load ${loadAverage()})`);
    }
  }
}

/** Signs in once through the real two-step sign-in and enters 60 guests, as staff would; returns the session. */
async function signedInWithMembers(browser: Browser, server: RunningServer): Promise<StorageState> {
  const context = await browser.newContext({ locale: 'zh-TW' });
  const page = await context.newPage();
  await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  // A list worth showing: 60 guests entered through the API as the member form does (the demo group starts empty).
  let created = 0;
  for (let i = 0; i < 60; i += 1) {
    const member = await apiCall<{ memberNo?: string }>(page, 'POST', '/api/members', { lastName: '旅', firstName: `客${i + 1}`, mobile: `0912${String(100000 + i)}` });
    if (member.memberNo) created += 1;
  }
  if (created !== 60) throw new Error(`only ${created} of 60 members were created`);
  const storageState = await context.storageState();
  await context.close();
  return storageState;
}

const here = path.resolve(import.meta.dirname, '../..');
const sides: Side[] = [];
let browser: Browser | undefined;
try {
  if (PROFILE) fs.mkdirSync(PROFILE, { recursive: true });
  const roots = COMPARE ? [{ name: 'A', root: COMPARE }, { name: 'B', root: here }] : [{ name: '', root: here }];
  for (const { name, root } of roots) {
    // The other checkout's web app, built as its `npm start` would (this one's was built by `--web`).
    if (root !== here) execFileSync(process.execPath, [path.join(root, 'scripts/ensure-web-build.ts')], { stdio: 'inherit' });
    sides.push({ name, root, server: await startServer({ appRoot: root }) });
  }
  browser = await launchBrowser({ omniboxPopup: OMNIBOX });
  console.log(`Page loads in Chromium against npm start (PGlite, demo data), ${RUNS} runs each after a warm-up${OMNIBOX ? ', with Chromium\'s omnibox popup (BENCH_OMNIBOX=1)' : ''}`);
  console.log(`Machine: ${cpuModel()}, ${os.availableParallelism()} cores, ${formatBytes(os.totalmem())} RAM, Node ${process.version}, load ${loadAverage()}`);
  for (const side of sides) if (side.name) console.log(`  ${side.name}: ${side.root}${side.root === here ? ' (this checkout)' : ''}`);

  await measure(browser, '登入', '/', 'input[type=password]', sides);
  for (const side of sides) side.storageState = await signedInWithMembers(browser, side.server);
  await measure(browser, '會員', '/members', '[data-testid=members-table] tbody tr[data-row-key]', sides);
  console.log(`Load after: ${loadAverage()}`);
} finally {
  await browser?.close();
  for (const side of sides) await side.server.stop();
}
