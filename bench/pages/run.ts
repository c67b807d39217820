import os from 'node:os';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { apiCall, DEMO_ADMIN, launchBrowser, signIn, startServer, type RunningServer } from '../../e2e/harness.ts';
import { cpuModel, loadAverage } from '../members/machine.ts';
import { formatBytes, formatMs, summarise } from '../members/stats.ts';

// How long staff wait for a page to show, in a real browser against `npm start` (embedded database, demo data):
// from the navigation's start until the page's content is laid out — the sign-in form, or the member list's first row.
// Cold: a new browser profile (nothing cached). Warm: the same profile loading the page again.
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

type Measurement = { ms: number; bytes: number; requests: number };

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

/** Loads `url` and waits for `ready`; counts the bytes that crossed the wire (compressed, as sent). */
async function load(page: Page, url: string, ready: string): Promise<Measurement> {
  let bytes = 0;
  let requests = 0;
  const onFinished = async (request: Request) => {
    requests += 1;
    const sizes = await request.sizes().catch(() => undefined);
    bytes += (sizes?.responseBodySize ?? 0) + (sizes?.responseHeadersSize ?? 0);
  };
  page.on('requestfinished', onFinished);
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(ready).first().waitFor({ state: 'visible', timeout: 30_000 });
  const ms = (await page.evaluate('window.__readyAt')) as number | undefined;
  if (ms === undefined) throw new Error(`${ready} is visible but was never marked`);
  await page.waitForLoadState('networkidle');
  page.off('requestfinished', onFinished);
  return { ms, bytes, requests };
}

async function measure(browser: Browser, label: string, url: string, ready: string, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>) {
  const cold: Measurement[] = [];
  const warm: Measurement[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 900 }, storageState });
    await context.addInitScript({ content: markWhenReady(ready) });
    const page = await context.newPage();
    const first = await load(page, url, ready);
    const second = await load(page, url, ready);
    await context.close();
    if (run === 0) continue; // warm-up: the server's own first requests (JIT, file cache)
    cold.push(first);
    warm.push(second);
  }
  for (const [kind, samples] of [['cold', cold], ['warm', warm]] as const) {
    const time = summarise(samples.map((s) => s.ms));
    const bytes = summarise(samples.map((s) => s.bytes)).median;
    const requests = summarise(samples.map((s) => s.requests)).median;
    console.log(`  ${label.padEnd(10)} ${kind}: median ${formatMs(time.median)} (min ${formatMs(time.min)}, max ${formatMs(time.max)}), ${formatBytes(bytes)} over ${requests} requests`);
  }
}

let server: RunningServer | undefined;
let browser: Browser | undefined;
try {
  server = await startServer();
  browser = await launchBrowser();
  console.log(`Page loads in Chromium against npm start (PGlite, demo data), ${RUNS} runs each after a warm-up`);
  console.log(`Machine: ${cpuModel()}, ${os.availableParallelism()} cores, ${formatBytes(os.totalmem())} RAM, Node ${process.version}, load ${loadAverage()}`);

  await measure(browser, '登入', `${server.url}/`, 'input[type=password]');

  // Signed in once through the real two-step sign-in; the runs reuse its session cookie in fresh profiles.
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
  await measure(browser, '會員', `${server.url}/members`, '[data-testid=members-table] tbody tr[data-row-key]', storageState);
  console.log(`Load after: ${loadAverage()}`);
} finally {
  await browser?.close();
  await server?.stop();
}
