/**
 * `npm run bench:redirect`: the tracked-link redirect (`GET /c/:tenantId/:link`) on real PostgreSQL, against a bare
 * Fastify redirect handler in the same run.
 *
 * On DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres) it creates a fresh database
 * `innkeeper_bench_redirect_<timestamp>`, migrates it with the real migrator, provisions a hotel tenant with
 * BENCH_CAMPAIGNS (default 50) sent campaigns of 4 URL buttons each, and BENCH_EXISTING_CLICKS (default 1,000,000)
 * clicks already stored, then starts, each as its own process:
 *   - the Innkeeper API: apps/server/src/entrypoints/api.ts, exactly as `npm run api` runs it (NODE_ENV=production,
 *     LOG_LEVEL=BENCH_LOG_LEVEL, default info): every redirect checks the link's signature, reads the button's target
 *     (cached per process), adds the (anonymous) click to its button's sum and answers 302 at once; the sums are
 *     written by the group commit within 100 ms (docs/decisions/0014; before it, the 302 waited for the commit);
 *   - the bare baselines (bench/redirect/bare.ts): Fastify answering 302 to a fixed target, nothing else; and the same
 *     302 from Node's HTTP server without a framework (since decision 0016 the redirect is served before Fastify);
 *   - the LINE simulator (bench/redirect/simulator.ts), which verifies the BENCH_GUESTS (default 2,000) guests' LIFF ID
 *     tokens for the third target, the LIFF page's click report (`POST /api/liff/:tenantId/:channelId/clicks` with
 *     the guest's token: checked against the simulator's published keys once per token, then cached; the click stored with a wake-up job for the
 *     worker, which does not run here: the API's answer never waits for the tagging).
 * This process only drives (autocannon, a browser's user agent, every request a signed link of one of the buttons)
 * and checks: after each Innkeeper run, every answer it gave is one stored click.
 *
 * Each round runs, against the bare handler, Innkeeper's redirect and the LIFF click report:
 *   1. fixed rate: BENCH_RATE (default 2,000) requests/s for BENCH_SECONDS (default 20) s, spread over BENCH_PHASES
 *      (default 40) staggered autocannon instances of 2 connections (autocannon sends a connection's share of a second
 *      back to back at each tick; staggering spreads them over the second);
 *   2. unthrottled: BENCH_PEAK_CONNECTIONS (default 50) connections for BENCH_PEAK_SECONDS (default 10) s per target.
 *      The bare handler and Innkeeper's redirect take turns in slices of BENCH_SLICE_SECONDS (default 2.5) s, in the
 *      order bare, Innkeeper, Innkeeper, bare, bare, … (both warm), so both see the same minutes of a machine whose
 *      speed drifts; each round's ratio is Innkeeper's answers per second over the bare handler's in that round
 *      (BENCH_INTERLEAVE=0: one whole run after the other, as before 2026-12-07).
 * BENCH_ROUNDS (default 5) rounds; the summary prints each figure's median over the rounds, each round's ratio and
 * their median.
 * Goals (issue 11): p99 under 20 ms at 2,000 requests/s, and unthrottled at least 70 % of the bare handler's rate.
 *
 * Environment: DATABASE_URL, BENCH_RATE, BENCH_SECONDS, BENCH_PHASES, BENCH_PEAK_CONNECTIONS, BENCH_PEAK_SECONDS,
 * BENCH_ROUNDS, BENCH_CAMPAIGNS, BENCH_GUESTS, BENCH_EXISTING_CLICKS, BENCH_LOG_LEVEL, BENCH_PORT (the API's port, the bare
 * handler on the next and the simulator on the one after; default free ports), BENCH_APP_ROOT (another checkout's API, for
 * A/B runs), BENCH_KEEP=1 to keep the database,
 * BENCH_LIFF_SOURCES=guest (default: each guest's LIFF click report from an address of its own, as phones on mobile
 * networks are; the API trusts the driver's X-Forwarded-For) or one (every guest behind one address, as a carrier NAT;
 * since the tokens are checked against LINE's published keys, no address is rationed),
 * BENCH_TARGETS=bare,innkeeper (default bare,node,innkeeper,liff: which targets each round runs; node is the second
 * baseline, the 302 from Node's HTTP server alone, unthrottled only), BENCH_PIN=1 (the load
 * generator on CPU 0, both servers on CPU 1: each server has a core to itself; not the default, see
 * docs/decisions/0015-redirect-bench-measurement.md),
 * BENCH_PROF=<dir> (or BENCH_CPU_PROFILE) to write V8 CPU profiles of the API and the bare handler there (api-*.cpuprofile,
 * bare-*.cpuprofile; both are stopped with SIGTERM and exit on their own, so V8 writes them; the run prints how many
 * requests each answered in all, warm-up included, for a cost per request), BENCH_NODE_FLAGS="<flags>" to give both
 * measured processes more Node.js flags (e.g. --trace-gc, written to their logs), BENCH_NICE=<-20..19> to run this process, its
 * children and the PostgreSQL backends of the benchmark database at that scheduling priority (negative values need
 * root; on a shared machine it keeps other work from distorting the figures — say so when quoting them).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { closeRuntime, createRuntime } from '../../apps/server/src/app/runtime.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import { systemContext } from '../../apps/server/src/core/context.ts';
import { keyringFromConfig } from '../../apps/server/src/core/crypto/keyring.ts';
import { enterPlatformScope, openDatabase } from '../../apps/server/src/core/db/database.ts';
import { migrate } from '../../apps/server/src/core/db/migrate.ts';
import { asTenantId, newId } from '../../apps/server/src/core/ids.ts';
import { signLink } from '../../apps/server/src/modules/campaigns/campaign-links.ts';
import { provisionTenant } from '../../apps/server/src/modules/platform/index.ts';
import { createBenchDatabase } from '../lib/database.ts';
import { cpuProfileFlags, nextMessage } from '../lib/processes.ts';
import { table } from '../members/stats.ts';
import { cpuMeter, describeMachine, loadAverage, printMachine } from '../webhook/system.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
/**
 * BENCH_APP_ROOT: another checkout of Innkeeper (with node_modules) whose API is measured and whose migrations make
 * the database; this benchmark's own code only drives and checks. For A/B runs against main on the same machine, in
 * the same minutes.
 */
const APP_ROOT = path.resolve(process.env.BENCH_APP_ROOT ?? ROOT);
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const env = process.env;
const num = (name: string, fallback: number, min = 1) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}`);
  return value;
};
if (!env.DATABASE_URL) console.log(`DATABASE_URL is not set: using ${DEFAULT_DATABASE_URL}`);
const serverUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
const RATE = num('BENCH_RATE', 2000);
const SECONDS = num('BENCH_SECONDS', 20);
const PHASES = num('BENCH_PHASES', 40);
const PEAK_CONNECTIONS = num('BENCH_PEAK_CONNECTIONS', 50);
const PEAK_SECONDS = num('BENCH_PEAK_SECONDS', 10);
const ROUNDS = num('BENCH_ROUNDS', 5);
const SLICE_SECONDS = num('BENCH_SLICE_SECONDS', 2.5, 0.5);
const INTERLEAVE = env.BENCH_INTERLEAVE !== '0';
const CAMPAIGNS = num('BENCH_CAMPAIGNS', 50);
const GUESTS = num('BENCH_GUESTS', 2000);
const EXISTING_CLICKS = num('BENCH_EXISTING_CLICKS', 1_000_000, 0);
const LOG_LEVEL = env.BENCH_LOG_LEVEL ?? 'info';
const KEEP = env.BENCH_KEEP === '1';
const LIFF_SOURCES = env.BENCH_LIFF_SOURCES ?? 'guest';
if (LIFF_SOURCES !== 'guest' && LIFF_SOURCES !== 'one') throw new Error('BENCH_LIFF_SOURCES must be guest or one');
/** BENCH_PORT: the API listens on it, the bare handler on the next one, the LINE simulator on the one after (default: free ports). */
const PORT_BASE = env.BENCH_PORT ? num('BENCH_PORT', 0, 1024) : undefined;
const NICE = env.BENCH_NICE !== undefined && env.BENCH_NICE !== '' ? Number(env.BENCH_NICE) : undefined;
if (NICE !== undefined && !(Number.isInteger(NICE) && NICE >= -20 && NICE <= 19)) throw new Error('BENCH_NICE must be an integer from -20 to 19');
function renice(pid: number | undefined): void {
  if (NICE === undefined || pid === undefined) return;
  try {
    os.setPriority(pid, NICE);
  } catch (error) {
    console.error(`BENCH_NICE: could not renice ${pid}: ${(error as Error).message}`);
  }
}
renice(process.pid);
/**
 * BENCH_PIN=1: this process (the load generator) on the first CPU, the measured servers (API, bare handler, and all
 * their threads) on the second, PostgreSQL wherever the scheduler puts it. Each server then has one core to itself,
 * as the load generator has: the ratio compares the two servers' CPU per answer rather than how the scheduler happened
 * to share two cores between three busy processes (bench/README.md, "Tracked links"). Needs `taskset` (util-linux).
 * Not the default (docs/decisions/0015-redirect-bench-measurement.md): on a shared 2-core machine other work that lands
 * on one core slows only the load generator or only the servers, and pinned runs were no steadier than unpinned ones.
 */
const PIN = env.BENCH_PIN === '1';
if (env.BENCH_PIN !== undefined && env.BENCH_PIN !== '' && env.BENCH_PIN !== '0' && env.BENCH_PIN !== '1') throw new Error('BENCH_PIN must be 0 or 1');
function pin(pid: number | undefined, cpus: string): void {
  if (!PIN || pid === undefined) return;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  } catch (error) {
    console.error(`BENCH_PIN: could not pin ${pid} to CPU ${cpus}: ${(error as Error).message}`);
  }
}
const PROFILE_DIR = env.BENCH_PROF || env.BENCH_CPU_PROFILE ? path.resolve((env.BENCH_PROF || env.BENCH_CPU_PROFILE)!) : undefined;
const nodeFlags = (env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const BUTTONS = 4;
const GOAL = { p99Ms: 20, ratio: 0.7 };
const TARGET = 'https://hotel.example/book?plan=weekday';
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.9.0';

type CannonRequest = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };
type CannonClient = { setRequests(requests: CannonRequest[]): void };
type CannonResult = { errors: number; timeouts: number; statusCodeStats: Record<string, { count: number }> };
type CannonInstance = PromiseLike<CannonResult> & { on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void };
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  amount?: number;
  duration?: number;
  overallRate?: number;
  timeout: number;
  ignoreCoordinatedOmission?: boolean;
  setupClient: (client: CannonClient) => void;
}) => CannonInstance;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');
const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : 'n/a');
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
/** A target's run made of slices: its answers over the slices' time, its latencies' percentiles over all of them. */
function combine(slices: Load[], latencies: number[]): Load {
  const sum = (f: (l: Load) => number) => slices.reduce((total, l) => total + f(l), 0);
  const sorted = Float64Array.from(latencies).sort();
  const seconds = sum((l) => l.seconds);
  const redirects = sum((l) => l.redirects);
  return { responses: sum((l) => l.responses), redirects, other: sum((l) => l.other), errors: sum((l) => l.errors), seconds, perSecond: redirects / seconds, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The machine's idle and stolen time (/proc/stat; stolen: the hypervisor ran something else on our virtual CPUs) over
 * an interval, in cores (1.0 = one core all the time): a run whose servers lost CPU to the host, or left it idle,
 * says so beside its figures.
 */
function machineMeter() {
  const read = () => {
    const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    return { idle: (fields[3] ?? 0) + (fields[4] ?? 0), steal: fields[7] ?? 0, at: process.hrtime.bigint() };
  };
  let before = { idle: 0, steal: 0, at: 0n };
  const tick = 100; // USER_HZ
  return {
    start: () => void (before = fs.existsSync('/proc/stat') ? read() : before),
    stop: (): Record<string, number> => {
      if (!fs.existsSync('/proc/stat')) return {};
      const now = read();
      const wall = Number(now.at - before.at) / 1e9;
      return { 'machine idle': (now.idle - before.idle) / tick / wall, stolen: (now.steal - before.steal) / tick / wall };
    },
  };
}

type Load = { responses: number; redirects: number; other: number; errors: number; seconds: number; perSecond: number; p50: number; p90: number; p99: number; max: number };

/** One autocannon instance; each connection loops over the requests, from its own offset. */
async function instance(url: string, requests: CannonRequest[], connections: number, options: { rate?: number; amount?: number; duration?: number }, latencies: number[], count: { redirects: number; other: number }) {
  let next = 0;
  const started = process.hrtime.bigint();
  const run = autocannon({
    url,
    connections,
    timeout: 30,
    ...(options.amount !== undefined ? { amount: options.amount } : {}),
    ...(options.duration !== undefined ? { duration: options.duration } : {}),
    // autocannon's correction would record a response as many samples spread over the expected interval; every
    // response is measured as it is instead (see bench/webhook/load.ts).
    ...(options.rate !== undefined ? { overallRate: options.rate, ignoreCoordinatedOmission: true } : {}),
    setupClient: (client) => {
      const offset = (next++ * 7919) % requests.length;
      client.setRequests(requests.map((_, i) => requests[(offset + i) % requests.length]!));
    },
  });
  run.on('response', (_client, status, _bytes, ms) => {
    latencies.push(ms);
    // The redirect answers 302; the LIFF page's click report answers 200 with the target.
    if (status === 302 || status === 200) count.redirects += 1;
    else count.other += 1;
  });
  const result = await run;
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** One run against one target; `latencies`, when given, also receives every response's latency (a slice's share of its target's run). */
async function load(url: string, requests: CannonRequest[], plan: { mode: 'rate' } | { mode: 'max'; seconds?: number }, latencies: number[] = []): Promise<Load> {
  const first = latencies.length;
  const count = { redirects: 0, other: 0 };
  const started = process.hrtime.bigint();
  let errors = 0;
  if (plan.mode === 'rate') {
    const runs: Array<Promise<{ result: CannonResult }>> = [];
    for (let k = 0; k < PHASES; k += 1) {
      const phaseRate = Math.floor(RATE / PHASES) + (k < RATE % PHASES ? 1 : 0);
      if (phaseRate === 0) continue;
      runs.push(sleep((k * 1000) / PHASES).then(() => instance(url, requests, Math.min(2, phaseRate), { rate: phaseRate, amount: phaseRate * SECONDS }, latencies, count)));
    }
    for (const r of await Promise.all(runs)) errors += r.result.errors + r.result.timeouts;
  } else {
    const r = await instance(url, requests, PEAK_CONNECTIONS, { duration: plan.seconds ?? PEAK_SECONDS }, latencies, count);
    errors += r.result.errors + r.result.timeouts;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = Float64Array.from(latencies.slice(first)).sort();
  // A fixed-rate run's wall time includes the last phase's start offset (< 1 s): its rate is the requests over SECONDS.
  const perSecond = plan.mode === 'rate' ? count.redirects / SECONDS : count.redirects / seconds;
  return { responses: latencies.length - first, redirects: count.redirects, other: count.other, errors, seconds, perSecond, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
const machine = await describeMachine(admin);
printMachine(machine);
// Pinned after the machine is described: its cores are the machine's, not this process's share.
pin(process.pid, '0');
const { stamp, dbName, benchUrl } = await createBenchDatabase(admin, serverUrl, 'redirect');
console.log(`\nDatabase ${dbName} on ${new URL(serverUrl).host}${KEEP ? ' (kept: BENCH_KEEP=1)' : ' (dropped at the end; BENCH_KEEP=1 keeps it)'}`);
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'innkeeper-bench-redirect-'));
const children: ChildProcess[] = [];
let owner: pg.Pool | undefined;
let exitCode = 0;
let backendTracker: ReturnType<typeof setInterval> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    console.error(`\n${signal}: stopped; database ${dbName} was left in place`);
    process.exit(130);
  });
}

try {
  const db = await openDatabase({ engine: 'postgres', connectionString: benchUrl, poolSize: 2 });
  if (APP_ROOT !== ROOT) console.log(`Measuring the API of ${APP_ROOT} (BENCH_APP_ROOT)`);
  console.log(`Migrated: ${(await migrate(db, path.join(APP_ROOT, 'apps/server/db/migrations'))).join(', ')}`);
  const provisioned = await db.withPlatform(async (tx) => {
    await enterPlatformScope(tx);
    return provisionTenant(
      tx,
      { kind: 'hotel', name: '山嵐飯店集團（壓測）', slug: `bench-redirect-${stamp}`, properties: [{ code: 'TPE', name: '台北館' }], administrator: { email: `admin@bench-${stamp}.example`, displayName: '管理員', password: 'correct horse battery' } },
      { actor: { kind: 'system', name: 'bench' }, ip: '', requestId: newId(), afterCommit: () => undefined, invite: async () => undefined, now: new Date() },
    );
  });
  const tenantId = asTenantId(provisioned.tenant.id);
  // The hotel's LINE channel with its LINE Login channel (whose ID tokens the LIFF page sends), stored as staff would.
  const keys = { ENCRYPTION_KEYS: `bench:${crypto.randomBytes(32).toString('base64')}`, BLIND_INDEX_KEY: crypto.randomBytes(32).toString('base64') };
  const baseEnv = { NODE_ENV: 'production', DATABASE_URL: benchUrl, SEED_DEMO: 'false', LINE_SIMULATOR: 'off', SMTP_URL: 'smtp://mail.invalid', ...keys };
  const line = { channelId: '2009100001', channelSecret: crypto.randomBytes(16).toString('hex'), channelAccessToken: crypto.randomBytes(32).toString('base64url'), loginChannelId: '2009100002', loginChannelSecret: crypto.randomBytes(16).toString('hex') };
  const rt = await createRuntime(loadConfig({ ...baseEnv, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://127.0.0.1' }), { db, logger: pino({ level: 'silent' }) });
  const channel = await rt.db.withTenant(tenantId, (tx) =>
    rt.channels.createChannel(systemContext(tx, tenantId, 'bench'), { name: '集團 LINE', propertyId: null, channelId: line.channelId, channelSecret: line.channelSecret, accessToken: line.channelAccessToken, loginChannelId: line.loginChannelId, liffId: `${line.loginChannelId}-Bench`, welcomeMessage: '' }),
  );
  await closeRuntime(rt);
  owner = new pg.Pool({ connectionString: benchUrl, max: 2 });
  // An idle connection ended by the database's drop at the end is no failure of the run.
  owner.on('error', () => undefined);
  const sqlOwner = owner;

  // Sent campaigns with URL buttons, as the delivery engine leaves them; clicks already stored, as after many sends.
  const campaignIds = Array.from({ length: CAMPAIGNS }, () => crypto.randomUUID());
  const buttons = Array.from({ length: BUTTONS }, (_, i) => ({ id: `u${i + 1}`, type: 'uri', label: `按鈕 ${i + 1}`, uri: TARGET, tagIds: [] }));
  for (const [i, id] of campaignIds.entries()) {
    await sqlOwner.query(`insert into campaigns (tenant_id, id, name, status, messages) values ($1, $2, $3, 'sent', $4)`, [
      tenantId,
      id,
      `壓測活動 ${i + 1}`,
      JSON.stringify([{ type: 'buttons', altText: '平日商務優惠', text: '週一至週四入住享 85 折', actions: buttons }]),
    ]);
  }
  if (EXISTING_CLICKS > 0) {
    await sqlOwner.query(
      `insert into campaign_clicks (tenant_id, id, campaign_id, action_id, line_user_id, status, via, clicked_at, processed_at)
       select $1, gen_random_uuid(), ($2::uuid[])[1 + g % $3], 'u' || (1 + g % ${BUTTONS}),
              case when g % 3 = 0 then null else 'U' || md5(g::text) end, case when g % 3 = 0 then 'anonymous' else 'no_member' end,
              case when g % 3 = 0 then 'link' else 'liff' end, now() - make_interval(secs => g), case when g % 3 = 0 then null else now() end
       from generate_series(1, $4::int) g`,
      [tenantId, campaignIds, CAMPAIGNS, EXISTING_CLICKS],
    );
  }
  await sqlOwner.query('vacuum (analyze) campaigns, campaign_clicks');
  const size = (await sqlOwner.query<{ size: string }>(`select pg_size_pretty(pg_total_relation_size('campaign_clicks')) as size`)).rows[0]!.size;
  const dataSize = `${fmt(CAMPAIGNS)} sent campaigns × ${BUTTONS} URL buttons = ${fmt(CAMPAIGNS * BUTTONS)} links; ${fmt(EXISTING_CLICKS)} clicks stored before the runs (campaign_clicks ${size})`;
  console.log(`Data: ${dataSize}`);

  const keyring = keyringFromConfig(keys.ENCRYPTION_KEYS, keys.BLIND_INDEX_KEY);
  const links = campaignIds.flatMap((campaignId) => buttons.map((b) => signLink(keyring, tenantId, { campaignId, actionId: b.id })));
  const paths = links.map((link) => `/c/${tenantId}/${link}`);

  const logFile = (name: string) => fs.openSync(path.join(logDir, `${name}.log`), 'a');
  // LINE (the simulator) verifies the guests' ID tokens for the LIFF page's click reports.
  const simulator = fork(path.join(HERE, 'simulator.ts'), [], { env: { ...process.env, BENCH_SIMULATOR_PORT: String(PORT_BASE !== undefined ? PORT_BASE + 2 : 0) }, stdio: ['ignore', logFile('simulator'), logFile('simulator'), 'ipc'] });
  children.push(simulator);
  renice(simulator.pid);
  await nextMessage(simulator, (m) => m.ready === true);
  simulator.send({ setup: { channel: line, guests: GUESTS } });
  const { url: simUrl, guests } = await nextMessage<{ url: string; guests: Array<{ userId: string; idToken: string }> }>(simulator, (m) => typeof m.url === 'string');
  const redirectRequests: CannonRequest[] = paths.map((p) => ({ method: 'GET', path: p, headers: { 'user-agent': BROWSER } }));
  // Each guest's token with one link after another: a burst of guests, each verified with LINE once and then cached.
  const liffRequests: CannonRequest[] = guests.map((g, i) => ({
    method: 'POST',
    path: `/api/liff/${tenantId}/${channel.id}/clicks`,
    // Until 2026-12-06 every guest came from 127.0.0.1: past 30 new tokens a minute that address was refused, so the
    // run measured 1,970 of 2,000 guests counted anonymously, each click writing the address's rate-limit row.
    headers: { 'user-agent': BROWSER, 'content-type': 'application/json', authorization: `Bearer ${g.idToken}`, ...(LIFF_SOURCES === 'guest' ? { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } : {}) },
    body: JSON.stringify({ link: links[i % links.length] }),
  }));

  const apiPort = PORT_BASE ?? (await freePort());
  const apiEnv: NodeJS.ProcessEnv = { ...process.env, ...baseEnv, LOG_LEVEL, ...(LIFF_SOURCES === 'guest' ? { TRUSTED_PROXIES: '127.0.0.1' } : {}), LINE_API_BASE_URL: simUrl, PORT: String(apiPort), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${apiPort}` };
  const api = spawn(process.execPath, [...nodeFlags, ...cpuProfileFlags(PROFILE_DIR, 'api', stamp), path.join(APP_ROOT, 'apps/server/src/entrypoints/api.ts')], { cwd: APP_ROOT, env: apiEnv, stdio: ['ignore', logFile('api'), logFile('api')] });
  children.push(api);
  renice(api.pid);
  pin(api.pid, '1');
  const bare = fork(path.join(HERE, 'bare.ts'), [], { execArgv: [...process.execArgv, ...nodeFlags, ...cpuProfileFlags(PROFILE_DIR, 'bare', stamp)], env: { ...process.env, BENCH_TARGET: TARGET, BENCH_BARE_PORT: String(PORT_BASE !== undefined ? PORT_BASE + 1 : 0) }, stdio: ['ignore', logFile('bare'), logFile('bare'), 'ipc'] });
  children.push(bare);
  renice(bare.pid);
  pin(bare.pid, '1');
  const { port: barePort } = await nextMessage<{ port: number }>(bare, (m) => typeof m.port === 'number');
  // The second baseline: the same 302 from Node's HTTP server alone (Innkeeper's redirect is served before Fastify since
  // decision 0016, so Fastify's own cost is no longer between the two).
  const nodeBare = fork(path.join(HERE, 'bare.ts'), [], { execArgv: [...process.execArgv, ...nodeFlags, ...cpuProfileFlags(PROFILE_DIR, 'node', stamp)], env: { ...process.env, BENCH_TARGET: TARGET, BENCH_BARE_KIND: 'node', BENCH_BARE_PORT: String(PORT_BASE !== undefined ? PORT_BASE + 3 : 0) }, stdio: ['ignore', logFile('node'), logFile('node'), 'ipc'] });
  children.push(nodeBare);
  renice(nodeBare.pid);
  pin(nodeBare.pid, '1');
  const { port: nodePort } = await nextMessage<{ port: number }>(nodeBare, (m) => typeof m.port === 'number');
  for (let attempt = 0; ; attempt += 1) {
    if (await fetch(`http://127.0.0.1:${apiPort}/healthz`).then((r) => r.ok, () => false)) break;
    if (attempt > 600 || api.exitCode !== null) throw new Error(`the API did not start; see ${logDir}/api.log`);
    await sleep(100);
  }
  // The answer must be the button's target: a wrong key or link would redirect to the invalid-link page.
  const probe = await fetch(`http://127.0.0.1:${apiPort}${paths[0]}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
  if (probe.status !== 302 || probe.headers.get('location') !== TARGET) throw new Error(`the redirect answered ${probe.status} → ${probe.headers.get('location')}`);
  const liffProbe = await fetch(`http://127.0.0.1:${apiPort}${liffRequests[0]!.path}`, { method: 'POST', headers: liffRequests[0]!.headers, body: liffRequests[0]!.body! });
  const liffAnswer = (await liffProbe.json()) as { url?: string };
  if (liffAnswer.url !== TARGET) throw new Error(`the LIFF click answered ${liffProbe.status} ${JSON.stringify(liffAnswer)}`);
  // The PostgreSQL backends serving the benchmark database (pools open them as needed): measured, and reniced (with
  // BENCH_NICE) as they appear.
  const seenBackends = new Set<number>();
  const trackBackends = async () => {
    for (const { pid } of (await sqlOwner.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName])).rows) {
      if (!seenBackends.has(pid)) renice(pid);
      seenBackends.add(pid);
    }
  };
  await trackBackends();
  backendTracker = setInterval(() => void trackBackends().catch(() => undefined), 500);
  console.log(`Processes: API pid ${api.pid} (port ${apiPort}, LOG_LEVEL=${LOG_LEVEL}; no worker runs: the clicks' tags wait in the inbox), bare handlers pid ${bare.pid} (Fastify, port ${barePort}) and ${nodeBare.pid} (Node, port ${nodePort}), LINE simulator pid ${simulator.pid}; logs in ${logDir}`);
  console.log(`Load: fixed ${fmt(RATE)} requests/s for ${SECONDS} s (${PHASES} staggered autocannon instances × 2 connections), unthrottled ${PEAK_CONNECTIONS} connections for ${PEAK_SECONDS} s per target${INTERLEAVE ? ` (the bare handlers and Innkeeper in turns of ${SLICE_SECONDS} s)` : ''}; ${ROUNDS} rounds; ${PIN ? 'pinned (BENCH_PIN=1): load generator on CPU 0, both servers on CPU 1' : 'not pinned (BENCH_PIN=0)'}`);

  type Target = 'bare' | 'node' | 'innkeeper' | 'liff';
  const TARGETS: readonly Target[] = (env.BENCH_TARGETS?.split(',') as Target[] | undefined) ?? ['bare', 'node', 'innkeeper', 'liff'];
  const LABEL: Record<Target, string> = { bare: 'bare redirect', node: 'bare Node redirect', innkeeper: 'Innkeeper redirect', liff: 'Innkeeper LIFF click' };
  /** The baselines: no lookup, no click, nothing stored. */
  const isBaseline = (target: Target) => target === 'bare' || target === 'node';
  const targets: Record<Target, { url: string; requests: CannonRequest[] }> = {
    bare: { url: `http://127.0.0.1:${barePort}`, requests: redirectRequests },
    node: { url: `http://127.0.0.1:${nodePort}`, requests: redirectRequests },
    innkeeper: { url: `http://127.0.0.1:${apiPort}`, requests: redirectRequests },
    liff: { url: `http://127.0.0.1:${apiPort}`, requests: liffRequests },
  };
  // Anonymous clicks are sums in campaign_click_counts since migration 0054 (an A/B run's other checkout may predate it).
  const hasCounts = (await sqlOwner.query<{ t: string | null }>(`select to_regclass('campaign_click_counts')::text as t`)).rows[0]!.t !== null;
  const count = async () =>
    (await sqlOwner.query<{ n: number }>(`select ((select count(*) from campaign_clicks)${hasCounts ? ' + (select coalesce(sum(clicks), 0) from campaign_click_counts)' : ''})::int as n`)).rows[0]!.n;
  /** LIFF clicks a verified ID token named (status pending: no worker runs here), to show which path was measured. */
  const identified = async () => (await sqlOwner.query<{ n: number }>(`select count(*)::int as n from campaign_clicks where status = 'pending'`)).rows[0]!.n;
  /** The stored clicks once the API has committed all it answered (an answer may precede its commit by moments). */
  const stored = async () => {
    let last = await count();
    for (;;) {
      await sleep(300);
      const now = await count();
      if (now === last) return now;
      last = now;
    }
  };
  type Run = { round: number; target: Target; mode: 'fixed' | 'peak'; load: Load; cpu: Record<string, number>; stored?: number };
  const runs: Run[] = [];
  // Warm-up: JIT, pools, the target cache, and every guest's ID token verified once (as a burst of guests would be).
  // Every answer each target gave, warm-up included: what a CPU profile of the whole process covers.
  const answeredInAll: Record<Target, number> = { bare: 0, node: 0, innkeeper: 0, liff: 0 };
  for (const target of TARGETS) {
    const warm = await load(targets[target].url, targets[target].requests, { mode: 'max' });
    answeredInAll[target] += warm.responses;
    console.log(`warm-up ${LABEL[target].padEnd(20)} ${fmt(warm.perSecond)}/s unthrottled, ${fmt(warm.responses)} answered`);
  }

  const serverCpu = (target: Target, cpu: Record<string, number>) => cpu[isBaseline(target) ? target : 'API'] ?? Number.NaN;
  const report = (round: number, mode: Run['mode'], target: Target, result: Load, cpu: Record<string, number>, run: Run, extra = '') =>
    console.log(
      `round ${round} ${mode.padEnd(5)} ${LABEL[target].padEnd(20)} ${fmt(result.perSecond)}/s, p50 ${ms(result.p50)}, p90 ${ms(result.p90)}, p99 ${ms(result.p99)}, max ${ms(result.max)}` +
        `; ${fmt(result.redirects)} answered, ${result.other} other, ${result.errors} errors` +
        (run.stored !== undefined ? `, ${fmt(run.stored)} clicks stored` : '') +
        extra +
        `; CPU ${Object.entries(cpu).map(([k, v]) => `${k} ${(v * 100).toFixed(0)} %`).join(', ')}` +
        // The server's CPU per answer: what the ratio between the two servers comes down to when they are CPU-bound.
        `; ${fmt((serverCpu(target, cpu) / result.perSecond) * 1e6, 1)} µs of server CPU per answer; load avg ${loadAverage()}`,
    );
  /** Every answer became a stored click (an anonymous one within 100 ms of it). An unthrottled run stops at its duration with up to one request per connection answered by the server but not read by the client. */
  const checkStored = (run: Run, unread: number) => {
    if (run.stored === undefined) return;
    if (run.stored < run.load.redirects || run.stored > run.load.redirects + unread) {
      console.error(`  !! ${run.load.redirects} answered but ${run.stored} clicks stored`);
      exitCode = 1;
    }
  };
  const meterFor = (target: Target) =>
    cpuMeter(target === 'bare' ? { bare: () => [bare.pid!] } : target === 'node' ? { node: () => [nodeBare.pid!] } : { API: () => [api.pid!], 'PostgreSQL backends': () => [...seenBackends] });

  /** One whole run against one target. */
  const single = async (round: number, mode: Run['mode'], target: Target) => {
    const before = isBaseline(target) ? 0 : await stored();
    const identifiedBefore = target === 'liff' ? await identified() : 0;
    const meter = meterFor(target);
    const machineUse = machineMeter();
    meter.start();
    machineUse.start();
    const result = await load(targets[target].url, targets[target].requests, { mode: mode === 'fixed' ? 'rate' : 'max' });
    const cpu = { ...meter.stop(), ...machineUse.stop() };
    answeredInAll[target] += result.responses;
    const run: Run = { round, target, mode, load: result, cpu };
    if (!isBaseline(target)) {
      run.stored = (await stored()) - before;
      checkStored(run, mode === 'peak' ? PEAK_CONNECTIONS : 0);
    }
    runs.push(run);
    report(round, mode, target, result, cpu, run, target === 'liff' ? ` (${fmt((await identified()) - identifiedBefore)} identified by their ID token; sources: ${LIFF_SOURCES === 'guest' ? 'one address per guest' : 'all guests behind one address'})` : '');
    if (result.errors > 0 || result.other > 0) exitCode = 1;
  };

  /**
   * The unthrottled runs of the baselines and Innkeeper's redirect in turns of SLICE_SECONDS, in one order and then
   * the reverse (bare–Node–Innkeeper, Innkeeper–Node–bare, …: each target's slices centred on the same moment), so a
   * machine whose speed drifts from one minute to the next slows all alike. Each target's CPU is the sum over its
   * slices; its clicks are checked once its last slice is stored.
   */
  const sliced = async (round: number) => {
    const slices = Math.max(1, Math.round(PEAK_SECONDS / SLICE_SECONDS));
    const before = await stored();
    const turns = (['bare', 'node', 'innkeeper'] as const).filter((target) => TARGETS.includes(target));
    const parts = Object.fromEntries(turns.map((target) => [target, { loads: [] as Load[], latencies: [] as number[], cpuSeconds: {} as Record<string, number> }]));
    const pairRatios: number[] = [];
    for (let k = 0; k < slices; k += 1) {
      const order = k % 2 === 0 ? turns : [...turns].reverse();
      const rate: Record<string, number> = {};
      for (const target of order) {
        const meter = meterFor(target);
        const machineUse = machineMeter();
        meter.start();
        machineUse.start();
        const part = await load(targets[target].url, targets[target].requests, { mode: 'max', seconds: SLICE_SECONDS }, parts[target]!.latencies);
        const cpu = { ...meter.stop(), ...machineUse.stop() };
        // Shares of a core over the slice, summed as core-seconds so the target's share is over all its slices.
        for (const [name, share] of Object.entries(cpu)) parts[target]!.cpuSeconds[name] = (parts[target]!.cpuSeconds[name] ?? 0) + share * part.seconds;
        parts[target]!.loads.push(part);
        answeredInAll[target] += part.responses;
        rate[target] = part.perSecond;
      }
      pairRatios.push(rate.innkeeper! / rate.bare!);
    }
    const storedNow = (await stored()) - before;
    const byTarget: Partial<Record<Target, Run>> = {};
    for (const target of turns) {
      const result = combine(parts[target]!.loads, parts[target]!.latencies);
      const cpu = Object.fromEntries(Object.entries(parts[target]!.cpuSeconds).map(([name, coreSeconds]) => [name, coreSeconds / result.seconds]));
      const run: Run = { round, target, mode: 'peak', load: result, cpu, ...(target === 'innkeeper' ? { stored: storedNow } : {}) };
      checkStored(run, PEAK_CONNECTIONS * slices);
      runs.push(run);
      byTarget[target] = run;
      report(round, 'peak', target, result, cpu, run, ` (${slices} slices of ${SLICE_SECONDS} s)`);
      if (result.errors > 0 || result.other > 0) exitCode = 1;
    }
    const ratio = byTarget.innkeeper!.load.perSecond / byTarget.bare!.load.perSecond;
    roundRatios.push(ratio);
    if (byTarget.node) nodeRatios.push(byTarget.innkeeper!.load.perSecond / byTarget.node.load.perSecond);
    // Beside it, the two servers' CPU per answer in the same slices: what the ratio comes to when each server has a core
    // to itself; the answers' ratio falls below it when a server got less than its core (other work on the machine).
    const cpuPerAnswer = (run: Run) => serverCpu(run.target, run.cpu) / run.load.perSecond;
    cpuRatios.push(cpuPerAnswer(byTarget.bare!) / cpuPerAnswer(byTarget.innkeeper!));
    console.log(
      `round ${round} unthrottled Innkeeper / bare: ${(ratio * 100).toFixed(0)} % (slice by slice: ${pairRatios.map((r) => `${(r * 100).toFixed(0)} %`).join(', ')}); CPU per answer bare / Innkeeper ${(cpuRatios.at(-1)! * 100).toFixed(0)} %` +
        (byTarget.node ? `; Innkeeper / bare Node: ${(nodeRatios.at(-1)! * 100).toFixed(0)} %` : ''),
    );
  };

  const interleave = INTERLEAVE && TARGETS.includes('bare') && TARGETS.includes('innkeeper');
  const roundRatios: number[] = [];
  const nodeRatios: number[] = [];
  const cpuRatios: number[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // The Node baseline runs unthrottled only: at the fixed rate every server keeps up, and its latency is not a goal.
    for (const target of TARGETS) if (target !== 'node') await single(round, 'fixed', target);
    if (interleave) {
      await sliced(round);
      for (const target of TARGETS) if (target === 'liff') await single(round, 'peak', target);
    } else {
      for (const target of TARGETS) await single(round, 'peak', target);
      const byRound = (target: Target) => runs.find((r) => r.round === round && r.mode === 'peak' && r.target === target);
      if (byRound('bare') && byRound('innkeeper')) roundRatios.push(byRound('innkeeper')!.load.perSecond / byRound('bare')!.load.perSecond);
      if (byRound('node') && byRound('innkeeper')) nodeRatios.push(byRound('innkeeper')!.load.perSecond / byRound('node')!.load.perSecond);
    }
  }

  const pick = (target: Target, mode: Run['mode'], f: (r: Run) => number) => median(runs.filter((r) => r.target === target && r.mode === mode).map(f));
  const rows = (['fixed', 'peak'] as const).flatMap((mode) =>
    TARGETS.filter((target) => mode === 'peak' || target !== 'node').map((target) => [
      `${mode === 'fixed' ? `${fmt(RATE)}/s` : 'unthrottled'} ${LABEL[target]}`,
      fmt(pick(target, mode, (r) => r.load.perSecond)),
      ms(pick(target, mode, (r) => r.load.p50)),
      ms(pick(target, mode, (r) => r.load.p90)),
      ms(pick(target, mode, (r) => r.load.p99)),
      ms(pick(target, mode, (r) => r.load.max)),
      `${(pick(target, mode, (r) => serverCpu(target, r.cpu)) * 100).toFixed(0)} %`,
      isBaseline(target) ? '–' : `${(pick(target, mode, (r) => r.cpu['PostgreSQL backends'] ?? Number.NaN) * 100).toFixed(0)} %`,
    ]),
  );
  console.log(`\nSummary: medians of ${ROUNDS} rounds (${machine.cpu}, ${machine.cores} cores, ${machine.ram}; ${machine.postgres}; Node ${machine.node}; API LOG_LEVEL=${LOG_LEVEL}${NICE !== undefined ? `; nice ${NICE}` : ''}${PIN ? '; pinned (BENCH_PIN=1): load generator CPU 0, servers CPU 1' : '; not pinned (BENCH_PIN=0)'}; unthrottled ${interleave ? `bare and Innkeeper in turns of ${SLICE_SECONDS} s` : 'one target after the other (BENCH_INTERLEAVE=0)'}; load avg ${loadAverage()})`);
  console.log(`Data: ${dataSize}; ${fmt(GUESTS)} guests' ID tokens for the LIFF clicks`);
  console.log(table(['run', 'answers/s', 'p50', 'p90', 'p99', 'max', 'server CPU', 'PostgreSQL CPU'], rows));
  const p99 = pick('innkeeper', 'fixed', (r) => r.load.p99);
  const fixedRate = pick('innkeeper', 'fixed', (r) => r.load.perSecond);
  // Each round's ratio compares the two servers in the same minutes; its median over the rounds is the figure.
  const ratio = roundRatios.length > 0 ? median(roundRatios) : Number.NaN;
  const fixedRatio = fixedRate / pick('bare', 'fixed', (r) => r.load.perSecond);
  console.log(`\nGoal p99 < ${GOAL.p99Ms} ms at ${fmt(RATE)} requests/s: ${ms(p99)} at ${fmt(fixedRate)} redirects/s — ${p99 < GOAL.p99Ms ? 'met' : 'NOT met'} (the LIFF click report: ${ms(pick('liff', 'fixed', (r) => r.load.p99))})`);
  console.log(`Goal ≥ ${GOAL.ratio * 100} % of the bare handler's throughput: at ${fmt(RATE)} requests/s ${(fixedRatio * 100).toFixed(0)} % — ${fixedRatio >= GOAL.ratio ? 'met' : 'NOT met'}; unthrottled ${(ratio * 100).toFixed(0)} % (median of the rounds' ${roundRatios.map((r) => `${(r * 100).toFixed(0)} %`).join(', ')}; ≥ ${GOAL.ratio * 100} % in ${roundRatios.filter((r) => r >= GOAL.ratio).length} of ${roundRatios.length}) — ${ratio >= GOAL.ratio ? 'met' : 'NOT met'}`);
  if (nodeRatios.length > 0) {
    const nodeRatio = median(nodeRatios);
    console.log(`Against the bare Node handler (no framework): unthrottled ${(nodeRatio * 100).toFixed(0)} % (median of the rounds' ${nodeRatios.map((r) => `${(r * 100).toFixed(0)} %`).join(', ')}; ≥ ${GOAL.ratio * 100} % in ${nodeRatios.filter((r) => r >= GOAL.ratio).length} of ${nodeRatios.length}) — ${nodeRatio >= GOAL.ratio ? 'met' : 'NOT met'} by this stricter reading too`);
  }
  console.log(`Server CPU per answer unthrottled (medians): bare ${fmt((pick('bare', 'peak', (r) => serverCpu('bare', r.cpu) / r.load.perSecond)) * 1e6, 1)} µs, bare Node ${fmt((pick('node', 'peak', (r) => serverCpu('node', r.cpu) / r.load.perSecond)) * 1e6, 1)} µs, Innkeeper ${fmt((pick('innkeeper', 'peak', (r) => serverCpu('innkeeper', r.cpu) / r.load.perSecond)) * 1e6, 1)} µs${cpuRatios.length > 0 ? `; bare / Innkeeper per round ${cpuRatios.map((r) => `${(r * 100).toFixed(0)} %`).join(', ')}, median ${(median(cpuRatios) * 100).toFixed(0)} %` : ''}`);
  if (PROFILE_DIR) console.log(`CPU profiles in ${PROFILE_DIR} (written as the processes exit); requests answered in all, warm-up included: ${TARGETS.map((t) => `${LABEL[t]} ${answeredInAll[t]}`).join(', ')}`);
  console.log(`Every answer Innkeeper gave was a stored click: ${runs.every((r) => isBaseline(r.target) || (r.stored ?? 0) >= r.load.redirects) ? 'yes' : 'NO'}`);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  if (backendTracker) clearInterval(backendTracker);
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
  await owner?.end().catch(() => undefined);
  if (!KEEP) await admin.query(`drop database if exists ${dbName} with (force)`).catch((error: unknown) => console.error(`could not drop ${dbName}: ${(error as Error).message}`));
  await admin.end();
  process.exit(exitCode);
}
