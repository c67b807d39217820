/**
 * `npm run bench:webhook`: LINE webhook intake on real PostgreSQL, against a bare signature-checking handler.
 *
 * On DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres) it creates a fresh database
 * `innkeeper_bench_webhook_<timestamp>`, migrates it with the real migrator, provisions a hotel tenant with a LINE
 * channel and three tags, and starts, each as its own process:
 *   - the Innkeeper API: apps/server/src/entrypoints/api.ts (createRuntime + buildApp + listen, queue without work),
 *     exactly as `npm run api` runs it, with NODE_ENV=production and LOG_LEVEL=BENCH_LOG_LEVEL (default info);
 *   - the Innkeeper worker: apps/server/src/entrypoints/worker.ts (runtime.queue.start({ work: true })), as
 *     `npm run worker` runs it; it drains the inbox while the load runs, as in a scaled-out deployment;
 *   - the LINE simulator (bench/webhook/simulator.ts) with the same channel and the guests as friends, so that the
 *     worker's after-commit calls for follows (profile, welcome reply) get real answers (LINE_API_BASE_URL);
 *   - the bare baseline (bench/webhook/bare.ts): Fastify + validateSignature + 200;
 *   - the bare durable baseline (bench/webhook/bare-durable.ts): validateSignature, one multi-row INSERT of the
 *     events into a table of its own, committed, 200.
 * This process only generates, drives (autocannon) and checks.
 *
 * Runs, each against the bare handler and then Innkeeper with the same pre-signed bodies:
 *   1. fixed rate: BENCH_EVENTS_PER_SECOND (default 1,000) events/s for BENCH_SECONDS (default 30) s;
 *   2. unthrottled: BENCH_PEAK_REQUESTS (default 6,000) requests over BENCH_PEAK_CONNECTIONS (default 50)
 *      connections (the bare handler loops over them for BENCH_PEAK_SECONDS, default 15 s, since it keeps nothing).
 *   3. intake (BENCH_ROUNDS rounds, default 3, A/B in alternating order): BENCH_INTAKE_REQUESTS (default 3,000)
 *      requests unthrottled over BENCH_PEAK_CONNECTIONS against the bare durable handler and against Innkeeper, each
 *      with fresh events; during Innkeeper's the worker does not drain (the benchmark holds the tenant-wide drain
 *      lock, which drains take shared), so both figures are the intake's alone; then the worker drains it.
 *   4. drain (BENCH_ROUNDS rounds, the worker counts in rotating order): for each count in BENCH_DRAIN_WORKERS
 *      (default 1,2,3), that many worker processes are started, BENCH_DRAIN_EVENTS (default 20,000) events are posted
 *      while the benchmark holds the drain lock (the workers' drains wait on it), and the time from its release to an
 *      empty inbox is the drain rate of that many workers on the same kind of backlog. The main worker is stopped
 *      meanwhile and started again afterwards.
 * After each Innkeeper run it times the drain (until line_webhook_inbox has no pending row), then proves that every
 * sent webhookEventId is stored exactly once, that interactions, members and tags match the events, and that
 * redelivered events (isRedelivery: true) change nothing.
 *
 * Environment: DATABASE_URL, BENCH_MIX (hotel, the default, or campaign: the burst of taps after a push), BENCH_EVENTS_PER_SECOND, BENCH_SECONDS, BENCH_PEAK_REQUESTS, BENCH_PEAK_CONNECTIONS,
 * BENCH_PEAK_SECONDS, BENCH_ROUNDS, BENCH_INTAKE_REQUESTS, BENCH_DRAIN_EVENTS, BENCH_DRAIN_WORKERS, BENCH_PHASES (default 10) and BENCH_PHASE_CONNECTIONS (default 2) for the fixed-rate pacing
 * (see load.ts), BENCH_USERS (default 300), BENCH_LOG_LEVEL, BENCH_MODES (default "fixed,peak,intake,drain"), BENCH_WORKER
 * (running, the default: the worker drains during the fixed and unthrottled loads; paused: it is stopped during them), BENCH_KEEP=1 to keep
 * the database, BENCH_CPU_PROFILE=<dir> to write V8 CPU profiles of the API and the worker there, BENCH_NICE=<-20..19>
 * to run this process, its children and the PostgreSQL backends of the benchmark database at that scheduling priority
 * (needs root for negative values; on a shared machine it keeps other work from distorting the figures; say so).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { closeRuntime, createRuntime, type Runtime } from '../../apps/server/src/app/runtime.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import { systemContext, type TenantContext } from '../../apps/server/src/core/context.ts';
import { enterPlatformScope, openDatabase, type Tx } from '../../apps/server/src/core/db/database.ts';
import { migrate } from '../../apps/server/src/core/db/migrate.ts';
import { asTenantId, newId, type TenantId } from '../../apps/server/src/core/ids.ts';
import { DRAIN_LANES } from '../../apps/server/src/modules/line/line.jobs.ts';
import { provisionTenant } from '../../apps/server/src/modules/platform/index.ts';
import { createBenchDatabase } from '../lib/database.ts';
import { cpuProfileFlags, nextMessage, spawnWorker as startWorkerProcess, stopProcess as stopWorker } from '../lib/processes.ts';
import { table } from '../members/stats.ts';
import { createGenerator, type LineEvent, type PlannedRequest, type ReplyToken } from './generate.ts';
import { runLoad, type LoadPlan, type LoadResult } from './load.ts';
import { cpuMeter, describeMachine, loadAverage, printMachine } from './system.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * BENCH_APP_ROOT: another checkout of Innkeeper (with node_modules) whose API and worker processes are measured, and
 * whose migrations make the database; this benchmark's own code only drives and checks. For A/B runs against an
 * earlier release on the same machine (its schema must know campaigns and the inbox as this one does).
 */
const APP_ROOT = path.resolve(process.env.BENCH_APP_ROOT ?? ROOT);

const env = process.env;
const num = (name: string, fallback: number) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
if (!env.DATABASE_URL) console.log(`DATABASE_URL is not set: using ${DEFAULT_DATABASE_URL}`);
const serverUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
const EVENTS_PER_SECOND = num('BENCH_EVENTS_PER_SECOND', 1000);
const SECONDS = num('BENCH_SECONDS', 30);
const PEAK_REQUESTS = num('BENCH_PEAK_REQUESTS', 6000);
const PEAK_CONNECTIONS = num('BENCH_PEAK_CONNECTIONS', 50);
const PEAK_SECONDS = num('BENCH_PEAK_SECONDS', 15);
const PHASES = num('BENCH_PHASES', 10);
const PHASE_CONNECTIONS = num('BENCH_PHASE_CONNECTIONS', 2);
const USERS = num('BENCH_USERS', 300);
/** BENCH_MIX: hotel (default, the everyday mix) or campaign (the burst of taps after a push), see generate.ts. */
const MIX = env.BENCH_MIX ?? 'hotel';
if (MIX !== 'hotel' && MIX !== 'campaign') throw new Error('BENCH_MIX must be hotel or campaign');
const LOG_LEVEL = env.BENCH_LOG_LEVEL ?? 'info';
const KEEP = env.BENCH_KEEP === '1';
/** running: the worker drains while the load runs (as deployed); paused: it is stopped (SIGSTOP) during each Innkeeper
 * run, so the API's figures are its own on a machine it shares with the worker, and the drain starts at SIGCONT. */
const WORKER = env.BENCH_WORKER ?? 'running';
if (WORKER !== 'running' && WORKER !== 'paused') throw new Error('BENCH_WORKER must be running or paused');
const MODES = new Set((env.BENCH_MODES ?? 'fixed,peak,intake,drain').split(',').map((m) => m.trim()));
const ROUNDS = num('BENCH_ROUNDS', 3);
const INTAKE_REQUESTS = num('BENCH_INTAKE_REQUESTS', 3000);
const DRAIN_EVENTS = num('BENCH_DRAIN_EVENTS', 20_000);
const DRAIN_WORKERS = (env.BENCH_DRAIN_WORKERS ?? '1,2,3').split(',').map((n) => Number(n.trim()));
if (DRAIN_WORKERS.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('BENCH_DRAIN_WORKERS must list worker counts, e.g. 1,2,3');
/** The tenant-wide drain lock of modules/line/inbox.repository.ts (drains take it shared): held, no drain starts. */
const DRAIN_LOCK = 0x4c494e45;
/** The Innkeeper API's connection pool (openDatabase's default), given to the bare durable handler too. */
const POOL_SIZE = 10;
/** BENCH_WAITS=1: during each drain trial, sample what the workers' database sessions wait for (every 50 ms). */
const WAITS = env.BENCH_WAITS === '1';
/**
 * BENCH_STATEMENT_LOG=1: the drain trials' worker sessions log every statement with its duration to PostgreSQL's server
 * log (log_min_duration_statement = 0 on the benchmark database while the trial's workers connect); summarise with
 * bench/webhook/statements.py. Diagnosis only: the logging slows the drain.
 */
const STATEMENT_LOG = env.BENCH_STATEMENT_LOG === '1';
const CPU_PROFILE = env.BENCH_CPU_PROFILE ? path.resolve(env.BENCH_CPU_PROFILE) : undefined;
const NICE = env.BENCH_NICE !== undefined && env.BENCH_NICE !== '' ? Number(env.BENCH_NICE) : undefined;
if (NICE !== undefined && !(Number.isInteger(NICE) && NICE >= -20 && NICE <= 19)) throw new Error('BENCH_NICE must be an integer from -20 to 19');
/** Sets a process's scheduling priority when BENCH_NICE asks for one. */
function renice(pid: number | undefined): void {
  if (NICE === undefined || pid === undefined) return;
  try {
    os.setPriority(pid, NICE);
  } catch (error) {
    console.error(`BENCH_NICE: could not renice ${pid}: ${(error as Error).message}`);
  }
}
renice(process.pid);
const MAX_EVENTS = 20;
const MEAN_EVENTS = (1 + MAX_EVENTS) / 2;
const RATE = Math.round(EVENTS_PER_SECOND / MEAN_EVENTS);
const GOAL = { p99Ms: 50, ratio: 0.7, drainPerSecond: 1500 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');
const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : 'n/a');


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

// --- Database and tenant ---

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
const machine = await describeMachine(admin);
printMachine(machine);

const { stamp, dbName, benchUrl } = await createBenchDatabase(admin, serverUrl, 'webhook');
console.log(`\nDatabase ${dbName} on ${new URL(serverUrl).host}${KEEP ? ' (kept: BENCH_KEEP=1)' : ' (dropped at the end; BENCH_KEEP=1 keeps it)'}`);

const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'innkeeper-bench-webhook-'));
const children: ChildProcess[] = [];
let runtime: Runtime | undefined;
let owner: pg.Pool | undefined;
let exitCode = 0;
let backendTracker: ReturnType<typeof setInterval> | undefined;
// Ctrl-C: stop the child processes too (the database stays; drop it by hand or rerun).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
    }
    console.error(`\n${signal}: stopped; database ${dbName} was left in place`);
    process.exit(130);
  });
}

try {
  const db = await openDatabase({ engine: 'postgres', connectionString: benchUrl, poolSize: 4 });
  const applied = await migrate(db, path.join(APP_ROOT, 'apps/server/db/migrations'));
  console.log(`Migrated: ${applied.join(', ')}`);
  // The benchmark's own look at the database (as the owner, so row-level security does not apply): a few connections.
  owner = new pg.Pool({ connectionString: benchUrl, max: 3 });
  // The database is dropped WITH (FORCE) at the end: a connection it ends is not an error of the benchmark.
  owner.on('error', () => undefined);
  const sqlOwner = owner;
  const autovacuum = (await sqlOwner.query<{ on: boolean }>(`select current_setting('autovacuum') = 'on' as on`)).rows[0]!.on;
  /** Fresh statistics and a clean visibility map before each run, as autovacuum would leave them between bursts. */
  const vacuum = async () => {
    await sqlOwner.query('vacuum (analyze) line_webhook_inbox, members, member_interactions, member_tags, line_channels');
  };

  const keys = { ENCRYPTION_KEYS: `bench:${crypto.randomBytes(32).toString('base64')}`, BLIND_INDEX_KEY: crypto.randomBytes(32).toString('base64') };
  // Production-like processes need a mail transport; the benchmark sends no mail.
  const baseEnv = { NODE_ENV: 'production', DATABASE_URL: benchUrl, SEED_DEMO: 'false', LINE_SIMULATOR: 'off', SMTP_URL: 'smtp://mail.invalid', ...keys };
  const config = loadConfig({ ...baseEnv, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://127.0.0.1' });
  runtime = await createRuntime(config, { db, logger: pino({ level: 'silent' }) });
  const rt = runtime;

  const provisioned = await rt.db.withPlatform(async (tx) => {
    await enterPlatformScope(tx);
    return provisionTenant(
      tx,
      { kind: 'hotel', name: '山嵐飯店集團（壓測）', slug: `bench-webhook-${stamp}`, properties: [{ code: 'TPE', name: '台北館' }], administrator: { email: `admin@bench-${stamp}.example`, displayName: '管理員', password: 'correct horse battery' } },
      { actor: { kind: 'system', name: 'bench' }, ip: '', requestId: newId(), afterCommit: () => undefined, invite: async () => undefined, now: new Date() },
    );
  });
  const tenantId: TenantId = asTenantId(provisioned.tenant.id);
  const context = (tx: Tx): TenantContext => systemContext(tx, tenantId, 'bench', { requestId: newId() });
  const tagIds = await rt.db.withTenant(tenantId, async (tx) => {
    const ids: string[] = [];
    for (const name of ['對家庭房有興趣', '溫泉假期', '商務客']) ids.push((await rt.tags.createTag(context(tx), { name, kind: 'campaign', validityDays: 90 })).id);
    return ids;
  });
  const line = { channelId: '2009000001', channelSecret: crypto.randomBytes(16).toString('hex'), channelAccessToken: crypto.randomBytes(32).toString('base64url'), botUserId: `U${crypto.randomBytes(16).toString('hex')}` };
  const channel = await rt.db.withTenant(tenantId, (tx) =>
    rt.channels.createChannel(context(tx), { name: '台北館 LINE', propertyId: provisioned.properties[0]!.id, channelId: line.channelId, channelSecret: line.channelSecret, accessToken: line.channelAccessToken, welcomeMessage: '歡迎加入山嵐飯店！' }),
  );
  await closeRuntime(rt);
  runtime = undefined;
  const webhookPath = `/api/line/webhook/${tenantId}/${channel.id}`;
  // A sent campaign whose postback button gives 商務客: a third of the postbacks tap it (resolved by the campaigns
  // module's postback resolver, as a campaign's clicks are). Written directly: the benchmark signs no one in.
  const campaign = { id: newId(), actionId: 'benchTap01' };
  await sqlOwner.query(`insert into campaigns (tenant_id, id, name, status, messages, tag_ids) values ($1, $2, '平日商務優惠（壓測）', 'sent', $3::jsonb, $4::uuid[])`, [
    tenantId,
    campaign.id,
    JSON.stringify([{ type: 'buttons', altText: '平日商務優惠', text: '週一至週四入住享 85 折', actions: [{ id: campaign.actionId, type: 'postback', label: '我有興趣', tagIds: [tagIds[2]] }] }]),
    [tagIds[2]],
  ]);
  // The bare durable handler's table: the events, unique by webhookEventId, nothing else.
  await sqlOwner.query(`create table bare_webhook_inbox (webhook_event_id text primary key, event_type text not null, line_user_id text, occurred_at timestamptz not null, payload jsonb not null, received_at timestamptz not null default now())`);
  console.log(`Tenant ${tenantId}, LINE channel ${channel.id}, 3 tags, a campaign whose button gives 商務客`);

  // --- Processes ---
  const logFile = (name: string) => fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const simulator = fork(path.join(HERE, 'simulator.ts'), [], { stdio: ['ignore', logFile('simulator'), logFile('simulator'), 'ipc'] });
  children.push(simulator);
  renice(simulator.pid);
  await nextMessage(simulator, (m) => m.ready === true);

  // Enough future friends for the follows of every run (10 % of events are follows, 4 in 5 from new friends).
  const intakeRequests = MODES.has('intake') ? ROUNDS * INTAKE_REQUESTS : 0;
  const drainRequests = MODES.has('drain') ? ROUNDS * DRAIN_WORKERS.length * Math.ceil(DRAIN_EVENTS / MEAN_EVENTS) : 0;
  const plannedEvents = (RATE * SECONDS + PEAK_REQUESTS + 400 + intakeRequests + drainRequests) * MEAN_EVENTS;
  simulator.send({ setup: { channel: line, friends: USERS + Math.ceil(plannedEvents * 0.1) } });
  const { url: simUrl, userIds } = await nextMessage<{ url: string; userIds: string[] }>(simulator, (m) => typeof m.url === 'string');
  const registerTokens = async (tokens: ReplyToken[]) => {
    simulator.send({ replyTokens: tokens });
    await nextMessage(simulator, (m) => m.registered !== undefined);
  };

  const appEnv: NodeJS.ProcessEnv = { ...process.env, ...baseEnv, LOG_LEVEL, LINE_API_BASE_URL: simUrl };
  delete appEnv.PUBLIC_URL;
  const profile = (name: string) => cpuProfileFlags(CPU_PROFILE, name, stamp);
  // application_name tells the two processes' connections apart in pg_stat_activity.
  const named = (name: string) => {
    const url = new URL(benchUrl);
    url.searchParams.set('application_name', name);
    return url.toString();
  };
  /** A worker process as `npm run worker` runs it; `ready` resolves once it has started its queue. */
  const spawnWorker = (name: string, logLevel = LOG_LEVEL) => {
    const worker = startWorkerProcess({ appRoot: APP_ROOT, name, logDir, env: { ...appEnv, LOG_LEVEL: logLevel, DATABASE_URL: named(`innkeeper-${name}`) }, nodeFlags: profile(name) });
    children.push(worker.child);
    renice(worker.child.pid);
    return worker;
  };
  let worker = spawnWorker('worker').child;
  const apiPort = await freePort();
  const api = spawn(process.execPath, [...profile('api'), path.join(APP_ROOT, 'apps/server/src/entrypoints/api.ts')], {
    cwd: APP_ROOT,
    env: { ...appEnv, DATABASE_URL: named('innkeeper-api'), PORT: String(apiPort), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${apiPort}` },
    stdio: ['ignore', logFile('api'), logFile('api')],
  });
  children.push(api);
  renice(api.pid);
  const bare = fork(path.join(HERE, 'bare.ts'), [], { env: { ...process.env, BENCH_CHANNEL_SECRET: line.channelSecret }, stdio: ['ignore', logFile('bare'), logFile('bare'), 'ipc'] });
  children.push(bare);
  renice(bare.pid);
  const { port: barePort } = await nextMessage<{ port: number }>(bare, (m) => typeof m.port === 'number');
  for (let attempt = 0; ; attempt += 1) {
    const ok = await fetch(`http://127.0.0.1:${apiPort}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (attempt > 600 || api.exitCode !== null) throw new Error(`the API did not start; see ${logDir}/api.log`);
    await sleep(100);
  }
  const durable = fork(path.join(HERE, 'bare-durable.ts'), [], {
    env: { ...process.env, BENCH_CHANNEL_SECRET: line.channelSecret, BENCH_DATABASE_URL: named('bare-durable'), BENCH_POOL_SIZE: String(POOL_SIZE) },
    stdio: ['ignore', logFile('bare-durable'), logFile('bare-durable'), 'ipc'],
  });
  children.push(durable);
  renice(durable.pid);
  const { port: durablePort } = await nextMessage<{ port: number }>(durable, (m) => typeof m.port === 'number');
  const targets = { bare: `http://127.0.0.1:${barePort}${webhookPath}`, innkeeper: `http://127.0.0.1:${apiPort}${webhookPath}`, durable: `http://127.0.0.1:${durablePort}${webhookPath}` };
  console.log(`Processes: API pid ${api.pid} (port ${apiPort}, LOG_LEVEL=${LOG_LEVEL}), worker pid ${worker.pid}, LINE simulator pid ${simulator.pid}, bare handler pid ${bare.pid} (port ${barePort}), bare durable handler pid ${durable.pid} (port ${durablePort}); logs in ${logDir}`);

  // The PostgreSQL backends serving the benchmark database (pools open and close them): measured, and reniced.
  const seenBackends = new Set<number>();
  const trackBackends = async () => {
    const { rows } = await sqlOwner.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName]);
    for (const { pid } of rows) {
      if (seenBackends.has(pid)) continue;
      seenBackends.add(pid);
      renice(pid);
    }
  };
  await trackBackends();
  backendTracker = setInterval(() => void trackBackends().catch(() => undefined), 500);
  const meterFor = (target: 'bare' | 'innkeeper' | 'durable') =>
    cpuMeter(
      target === 'bare'
        ? { bare: () => [bare.pid!] }
        : target === 'durable'
          ? { 'bare durable': () => [durable.pid!], 'PostgreSQL backends': () => [...seenBackends] }
          : { API: () => [api.pid!], worker: () => [worker.pid!], 'PostgreSQL backends': () => [...seenBackends], 'LINE simulator': () => [simulator.pid!] },
    );

  // --- Traffic ---
  const generator = createGenerator({
    channelSecret: line.channelSecret,
    destination: line.botUserId,
    existingUsers: userIds.slice(0, USERS),
    newUsers: userIds.slice(USERS),
    tagIds,
    campaign: { data: `campaign=${campaign.id}&action=${campaign.actionId}`, tagId: tagIds[2]! },
    mix: MIX,
    maxEventsPerRequest: MAX_EVENTS,
    seed: 20261122,
    idPrefix: `01JB${stamp.slice(4, 12)}`,
  });
  const firstFollows = generator.firstFollows(10);
  const warm = generator.requests(400);
  const fixedEvents: LineEvent[] = [];
  const fixed = generator.requests(MODES.has('fixed') ? RATE * SECONDS : 0, fixedEvents);
  const peak = generator.requests(MODES.has('peak') ? PEAK_REQUESTS : 0);
  // Fresh events for every intake run and every drain trial (Innkeeper's are in the ledger; the bare durable handler's
  // come from a generator of their own with the same mix, so that its inserts are as new as Innkeeper's).
  const intakeSets = Array.from({ length: MODES.has('intake') ? ROUNDS : 0 }, () => generator.requests(INTAKE_REQUESTS));
  const drainSets = Array.from({ length: MODES.has('drain') ? ROUNDS * DRAIN_WORKERS.length : 0 }, () => generator.requests(Math.ceil(DRAIN_EVENTS / MEAN_EVENTS)));
  const durableGenerator = createGenerator({
    channelSecret: line.channelSecret,
    destination: line.botUserId,
    existingUsers: userIds.slice(0, USERS),
    newUsers: userIds.slice(USERS),
    tagIds,
    campaign: { data: `campaign=${campaign.id}&action=${campaign.actionId}`, tagId: tagIds[2]! },
    mix: MIX,
    maxEventsPerRequest: MAX_EVENTS,
    seed: 20261205,
    idPrefix: `01JD${stamp.slice(4, 12)}`,
  });
  const durableSets = intakeSets.map(() => durableGenerator.requests(INTAKE_REQUESTS).requests);
  const sizeOf = (rs: PlannedRequest[]) => ({ requests: rs.length, events: rs.reduce((s, r) => s + r.events, 0), bytes: rs.reduce((s, r) => s + r.body.length, 0) });
  const fixedSize = sizeOf(fixed.requests);
  const peakSize = sizeOf(peak.requests);
  console.log(
    `Traffic: ${fmt(USERS)} existing friends, events ${MIX === 'campaign' ? '20 % message / 78 % postback / 2 % follow (campaign burst)' : '60 % message / 30 % postback / 10 % follow'}, 1–${MAX_EVENTS} events per request (uniform); ` +
      `fixed-rate set ${fmt(fixedSize.requests)} requests = ${fmt(fixedSize.events)} events; ` +
      `unthrottled set ${fmt(peakSize.requests)} requests = ${fmt(peakSize.events)} events; ` +
      `mean ${((fixedSize.events + peakSize.events) / (fixedSize.requests + peakSize.requests)).toFixed(2)} events and ${fmt((fixedSize.bytes + peakSize.bytes) / (fixedSize.requests + peakSize.requests))} bytes a request`,
  );

  const pending = async () => (await sqlOwner.query<{ n: number }>(`select count(*)::int as n from line_webhook_inbox where status = 'pending'`)).rows[0]!.n;
  const anyPending = async () => (await sqlOwner.query<{ any: boolean }>(`select exists (select 1 from line_webhook_inbox where status = 'pending') as any`)).rows[0]!.any;
  /** Time from now until the inbox has no pending row (polled every 20 ms with a cheap EXISTS). */
  const drain = async (timeoutMs = 15 * 60_000): Promise<{ ms: number; backlog: number }> => {
    const started = performance.now();
    const backlog = await pending();
    while (await anyPending()) {
      if (performance.now() - started > timeoutMs) throw new Error(`the inbox still has ${await pending()} pending events after ${timeoutMs / 1000} s`);
      await sleep(20);
    }
    return { ms: performance.now() - started, backlog };
  };

  type Run = { target: 'bare' | 'innkeeper'; mode: 'fixed' | 'peak'; result: LoadResult; cpu: Record<string, number>; drain?: { ms: number; backlog: number }; maxBacklog?: number; loadAvg: string };
  const runs: Run[] = [];
  const drive = async (target: 'bare' | 'innkeeper', mode: 'fixed' | 'peak', requests: PlannedRequest[], plan: LoadPlan) => {
    // Each run starts from the same state: nothing pending, statistics fresh.
    if (target === 'innkeeper') await vacuum();
    const loadAvg = loadAverage();
    const meter = meterFor(target);
    let maxBacklog = 0;
    let sampling = target === 'innkeeper';
    const sampler = (async () => {
      while (sampling) {
        await sleep(1000);
        if (sampling) maxBacklog = Math.max(maxBacklog, await pending());
      }
    })();
    const pause = target === 'innkeeper' && WORKER === 'paused';
    if (pause) worker.kill('SIGSTOP');
    meter.start();
    const result = await runLoad(targets[target], requests, plan);
    const cpu = meter.stop();
    sampling = false;
    await sampler;
    if (pause) worker.kill('SIGCONT');
    const run: Run = { target, mode, result, cpu, loadAvg, ...(target === 'innkeeper' ? { drain: await drain(), maxBacklog } : {}) };
    runs.push(run);
    const r = result;
    console.log(
      `  ${target.padEnd(9)} ${mode.padEnd(5)} ${fmt(r.requestsPerSecond)} req/s, ${fmt(r.eventsPerSecond)} events/s acknowledged, p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)}, ` +
        `non-2xx ${r.non2xx}, errors ${r.errors}` +
        (run.drain ? `; drained ${fmt(run.drain.backlog)} pending in ${ms(run.drain.ms)}, max backlog during load ${fmt(maxBacklog)}` : '') +
        `; CPU ${Object.entries(cpu)
          .map(([k, v]) => `${k} ${(v * 100).toFixed(0)} %`)
          .join(', ')}; load avg before ${loadAvg}`,
    );
    if (r.non2xx > 0 || r.errors > 0) console.log(`    statuses ${JSON.stringify(r.statuses)}`);
    return run;
  };

  if (!autovacuum) console.log('\nautovacuum is off on this server: the benchmark runs VACUUM (ANALYZE) on the inbox and member tables before each Innkeeper run');
  console.log('\nWarm-up');
  await registerTokens(firstFollows.replyTokens);
  await runLoad(targets.innkeeper, firstFollows.requests, { mode: 'max', connections: 4 });
  const first = await drain(120_000);
  console.log(`  ${USERS} friends followed (${firstFollows.requests.length} requests): members created, worker drained them in ${ms(first.ms)}`);
  await registerTokens(warm.replyTokens);
  await runLoad(targets.bare, warm.requests, { mode: 'max', connections: 8 });
  await runLoad(targets.innkeeper, warm.requests, { mode: 'max', connections: 8 });
  await drain();
  console.log(`  ${warm.requests.length} mixed requests sent to each target, inbox drained`);

  if (MODES.has('fixed')) {
    console.log(`\nFixed rate: ${RATE} requests/s ≈ ${EVENTS_PER_SECOND} events/s for ${SECONDS} s (${PHASES} autocannon instances 1/${PHASES} s apart, ${PHASE_CONNECTIONS} connections each)`);
    const fixedPlan: LoadPlan = { mode: 'rate', requestsPerSecond: RATE, seconds: SECONDS, phases: PHASES, connectionsPerPhase: PHASE_CONNECTIONS };
    await drive('bare', 'fixed', fixed.requests.map((r) => ({ ...r })), fixedPlan);
    await registerTokens(fixed.replyTokens);
    await drive('innkeeper', 'fixed', fixed.requests, fixedPlan);
  }
  if (MODES.has('peak')) {
    console.log(`\nUnthrottled: ${PEAK_CONNECTIONS} connections`);
    await drive('bare', 'peak', peak.requests.map((r) => ({ ...r })), { mode: 'max', connections: PEAK_CONNECTIONS, seconds: PEAK_SECONDS });
    await registerTokens(peak.replyTokens);
    await drive('innkeeper', 'peak', peak.requests, { mode: 'max', connections: PEAK_CONNECTIONS });
  }

  /** The benchmark's own session holding the tenant-wide drain lock (exclusive): while held, no drain starts. */
  const locker = new pg.Client({ connectionString: benchUrl });
  await locker.connect();
  const holdDrains = () => locker.query('select pg_advisory_lock($1, hashtext($2))', [DRAIN_LOCK, tenantId]);
  const releaseDrains = () => locker.query('select pg_advisory_unlock($1, hashtext($2))', [DRAIN_LOCK, tenantId]);
  const cpuText = (cpu: Record<string, number>) =>
    Object.entries(cpu)
      .map(([k, v]) => `${k} ${(v * 100).toFixed(0)} %`)
      .join(', ');

  type IntakeRun = { target: 'durable' | 'innkeeper'; round: number; result: LoadResult; cpu: Record<string, number>; loadAvg: string };
  const intakeRuns: IntakeRun[] = [];
  if (MODES.has('intake')) {
    console.log(`\nIntake: ${fmt(INTAKE_REQUESTS)} requests unthrottled over ${PEAK_CONNECTIONS} connections, bare durable handler vs Innkeeper (no drain during Innkeeper's), ${ROUNDS} rounds in alternating order`);
    for (let round = 0; round < ROUNDS; round += 1) {
      const order: Array<'durable' | 'innkeeper'> = round % 2 === 0 ? ['durable', 'innkeeper'] : ['innkeeper', 'durable'];
      for (const target of order) {
        const requests = target === 'durable' ? durableSets[round]! : intakeSets[round]!.requests;
        if (target === 'innkeeper') {
          await vacuum();
          await registerTokens(intakeSets[round]!.replyTokens);
          await holdDrains();
        } else await sqlOwner.query('vacuum (analyze) bare_webhook_inbox');
        const loadAvg = loadAverage();
        const meter = meterFor(target);
        meter.start();
        const result = await runLoad(targets[target], requests, { mode: 'max', connections: PEAK_CONNECTIONS });
        const cpu = meter.stop();
        let drained = '';
        if (target === 'innkeeper') {
          await releaseDrains();
          const d = await drain();
          drained = `; then drained ${fmt(d.backlog)} in ${ms(d.ms)}`;
        }
        intakeRuns.push({ target, round, result, cpu, loadAvg });
        console.log(
          `  round ${round + 1} ${target.padEnd(9)} ${fmt(result.requestsPerSecond)} req/s, ${fmt(result.eventsPerSecond)} events/s acknowledged, p50 ${ms(result.latency.p50)}, p99 ${ms(result.latency.p99)}, non-2xx ${result.non2xx}, errors ${result.errors}; CPU ${cpuText(cpu)}; load avg before ${loadAvg}${drained}`,
        );
      }
    }
  }

  type DrainTrial = { workers: number; round: number; backlog: number; ms: number; perSecond: number; cpu: Record<string, number>; loadAvg: string };
  const drainTrials: DrainTrial[] = [];
  if (MODES.has('drain')) {
    console.log(`\nDrain: ${fmt(DRAIN_EVENTS)} events posted while drains wait, then drained by ${DRAIN_WORKERS.join(' / ')} worker processes (${ROUNDS} rounds, counts in rotating order)`);
    // The main worker stops: only the trial's workers drain.
    await stopWorker(worker);
    let set = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const counts = DRAIN_WORKERS.map((_, i) => DRAIN_WORKERS[(i + round) % DRAIN_WORKERS.length]!);
      for (const count of counts) {
        const { requests, replyTokens } = drainSets[set]!;
        set += 1;
        await holdDrains();
        if (STATEMENT_LOG) await sqlOwner.query(`alter database ${dbName} set log_min_duration_statement = 0`);
        const started = Array.from({ length: count }, (_, i) => spawnWorker(`drain-r${round + 1}-w${count}-${i + 1}`, 'info'));
        await Promise.all(started.map((w) => w.ready));
        await registerTokens(replyTokens);
        const intake = await runLoad(targets.innkeeper, requests, { mode: 'max', connections: PEAK_CONNECTIONS });
        if (intake.non2xx > 0 || intake.errors > 0) console.log(`    intake statuses ${JSON.stringify(intake.statuses)}`);
        await vacuum();
        const backlog = await pending();
        const loadAvg = loadAverage();
        const meter = cpuMeter({ workers: () => started.map((w) => w.child.pid!), 'PostgreSQL backends': () => [...seenBackends], 'LINE simulator': () => [simulator.pid!] });
        meter.start();
        const t0 = performance.now();
        await releaseDrains();
        const waits = new Map<string, number>();
        let sampling = WAITS;
        const sampler = (async () => {
          while (sampling) {
            const { rows } = await sqlOwner.query<{ what: string; n: number }>(
              `select coalesce(wait_event_type || ':' || wait_event, 'on CPU') || ' (' || state || ')' || case when wait_event_type = 'Lock' then ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 60) else '' end as what, count(*)::int as n
               from pg_stat_activity where datname = $1 and application_name like 'innkeeper-drain-%' and state <> 'idle' group by 1`,
              [dbName],
            );
            for (const { what, n } of rows) waits.set(what, (waits.get(what) ?? 0) + n);
            await sleep(50);
          }
        })();
        while (await anyPending()) {
          if (performance.now() - t0 > 15 * 60_000) throw new Error(`the inbox still has ${await pending()} pending events after 15 minutes`);
          await sleep(20);
        }
        const elapsed = performance.now() - t0;
        sampling = false;
        await sampler;
        if (WAITS) console.log(`    worker sessions, samples: ${[...waits].sort((a, b) => b[1] - a[1]).map(([what, n]) => `${what} ${n}`).join(', ')}`);
        const cpu = meter.stop();
        await Promise.all(started.map((w) => stopWorker(w.child)));
        if (STATEMENT_LOG) await sqlOwner.query(`alter database ${dbName} reset log_min_duration_statement`);
        const trial = { workers: count, round, backlog, ms: elapsed, perSecond: backlog / (elapsed / 1000), cpu, loadAvg };
        drainTrials.push(trial);
        console.log(`  round ${round + 1}, ${count} worker${count > 1 ? 's' : ' '}: ${fmt(backlog)} events in ${ms(elapsed)} = ${fmt(trial.perSecond)} events/s; CPU ${cpuText(cpu)}; load avg before ${loadAvg}`);
      }
    }
    // The main worker again, for the effects still queued and the checks.
    worker = spawnWorker('worker').child;
  }
  await locker.end();

  // --- Correctness ---
  console.log('\nCorrectness');
  const innkeeperRequests = [...firstFollows.requests, ...warm.requests, ...fixed.requests, ...peak.requests, ...intakeSets.flatMap((s) => s.requests), ...drainSets.flatMap((s) => s.requests)];
  const unacknowledged = innkeeperRequests.filter((r) => r.status < 200 || r.status >= 300);
  const sentIds = innkeeperRequests.flatMap((r) => r.ids);
  await sqlOwner.query('create temp table sent (id text primary key)');
  for (let i = 0; i < sentIds.length; i += 20_000) await sqlOwner.query('insert into sent select unnest($1::text[])', [sentIds.slice(i, i + 20_000)]);
  const inboxCheck = (
    await sqlOwner.query<{ stored: number; distinct_ids: number; missing: number; unexpected: number }>(`
      select (select count(*)::int from line_webhook_inbox) as stored,
             (select count(distinct webhook_event_id)::int from line_webhook_inbox) as distinct_ids,
             (select count(*)::int from sent s where not exists (select 1 from line_webhook_inbox i where i.webhook_event_id = s.id)) as missing,
             (select count(*)::int from line_webhook_inbox i where not exists (select 1 from sent s where s.id = i.webhook_event_id)) as unexpected`)
  ).rows[0]!;
  const statusCounts = Object.fromEntries((await sqlOwner.query<{ status: string; n: number }>('select status, count(*)::int as n from line_webhook_inbox group by 1 order by 1')).rows.map((r) => [r.status, r.n]));
  const retried = (await sqlOwner.query<{ n: number; errors: string[] | null }>(`select count(*)::int as n, (array_agg(distinct left(last_error, 120)) filter (where last_error is not null))[1:5] as errors from line_webhook_inbox where attempts > 1`)).rows[0]!;

  const snapshot = async () => {
    const interactions = Object.fromEntries((await sqlOwner.query<{ type: string; n: number }>('select type, count(*)::int as n from member_interactions group by 1')).rows.map((r) => [r.type, r.n]));
    const members = (await sqlOwner.query<{ n: number; profiled: number }>('select count(*)::int as n, count(line_display_name)::int as profiled from members where deleted_at is null')).rows[0]!;
    const tags = (await sqlOwner.query<{ n: number }>('select count(*)::int as n from member_tags where tag_id = any($1::uuid[])', [tagIds])).rows[0]!.n;
    const inbox = (await sqlOwner.query<{ n: number }>('select count(*)::int as n from line_webhook_inbox')).rows[0]!.n;
    const jobs = (await sqlOwner.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'line.drain-inbox'`).catch(() => ({ rows: [{ n: -1 }] }))).rows[0]!.n;
    return { interactions, members, tags, inbox, jobs };
  };
  // Profiles are fetched after the inbox commit: give the last few a moment.
  for (let i = 0; i < 50 && (await snapshot()).members.profiled < generator.ledger.newFriends; i += 1) await sleep(100);
  const before = await snapshot();
  const { ledger } = generator;
  const counts = (type: string) => before.interactions[type] ?? 0;
  const checks: Array<[string, number, number]> = [
    ['inbox rows = events sent', before.inbox, sentIds.length],
    ['distinct webhookEventIds in the inbox = rows', inboxCheck.distinct_ids, inboxCheck.stored],
    ['sent events missing from the inbox', inboxCheck.missing, 0],
    ['inbox rows that were never sent', inboxCheck.unexpected, 0],
    ['inbox rows processed', statusCounts.processed ?? 0, sentIds.length],
    ['message_received interactions = message events', counts('message_received'), ledger.counts.message],
    ['clicked interactions = postback events', counts('clicked'), ledger.counts.postback],
    // Follows from existing friends come from guests who already follow (the traffic blocks nobody): they change nothing.
    ['followed interactions = follows of new friends', counts('followed'), ledger.newFriends],
    ['members = friends who followed first', before.members.n, ledger.newFriends],
    ['created interactions = members', counts('created'), ledger.newFriends],
    ['members with the LINE profile fetched', before.members.profiled, ledger.newFriends],
    ['tag assignments = distinct (guest, tag) postbacks', before.tags, ledger.tagPairs.size],
    ['tag_added interactions = tag assignments', counts('tag_added'), ledger.tagPairs.size],
    ['clicks naming the campaign = taps on its button', (await sqlOwner.query<{ n: number }>(`select count(*)::int as n from member_interactions where type = 'clicked' and campaign_id = $1`, [campaign.id])).rows[0]!.n, ledger.campaignClicks],
  ];

  // Redelivery: LINE resends events it thinks were not received, with isRedelivery true. Nothing may change.
  const sample = fixedEvents.filter((_, i) => i % Math.max(1, Math.floor(fixedEvents.length / 200)) === 0).slice(0, 200);
  let redeliveryStatuses = 0;
  for (let i = 0; i < sample.length; i += 20) {
    const events = sample.slice(i, i + 20).map((e) => ({ ...e, deliveryContext: { isRedelivery: true } }));
    const request = generator.sign(events);
    const response = await fetch(targets.innkeeper, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': request.signature }, body: request.body });
    if (response.ok) redeliveryStatuses += 1;
  }
  await sleep(2000);
  const after = await snapshot();
  const pendingAfter = await pending();
  checks.push(
    [`redelivered events answered 200 (${sample.length} events in ${Math.ceil(sample.length / 20)} requests)`, redeliveryStatuses, Math.ceil(sample.length / 20)],
    ['inbox rows after redelivery', after.inbox, before.inbox],
    ['interactions after redelivery', Object.values(after.interactions).reduce((s, n) => s + n, 0), Object.values(before.interactions).reduce((s, n) => s + n, 0)],
    ['wake-up jobs created by redeliveries', after.jobs - before.jobs, 0],
    ['pending after redelivery', pendingAfter, 0],
  );
  const width = Math.max(...checks.map(([label]) => label.length));
  for (const [label, actual, expected] of checks) console.log(`  ${actual === expected ? 'ok  ' : 'FAIL'} ${label.padEnd(width)}  ${fmt(actual)}${actual === expected ? '' : ` (expected ${fmt(expected)})`}`);
  console.log(`  requests not acknowledged with 2xx: ${unacknowledged.length}; events retried after an error: ${retried.n}${retried.errors ? ` (${retried.errors.join(' | ')})` : ''}`);
  console.log(`  inbox statuses ${JSON.stringify(statusCounts)}; wake-up jobs (line.drain-inbox) created ${before.jobs >= 0 ? fmt(before.jobs) : 'n/a'}`);
  simulator.send({ counters: true });
  const sim = await nextMessage<{ counters: Record<string, { accepted: number; statuses: Record<string, number> }> }>(simulator, (m) => m.counters !== undefined);
  console.log(`  LINE API calls the simulator answered: ${Object.entries(sim.counters).map(([endpoint, c]) => `${endpoint} ${JSON.stringify(c.statuses)}`).join('; ')}`);
  const correct = checks.every(([, actual, expected]) => actual === expected) && unacknowledged.length === 0;

  // --- Summary ---
  const find = (target: Run['target'], mode: Run['mode']) => runs.find((r) => r.target === target && r.mode === mode);
  const row = (run: Run) => [
    run.target === 'bare' ? 'bare handler' : 'Innkeeper',
    fmt(run.result.requestsPerSecond),
    fmt(run.result.eventsPerSecond),
    ms(run.result.latency.p50),
    ms(run.result.latency.p99),
    ms(run.result.latency.max),
    fmt(run.result.non2xx + run.result.errors),
    run.drain ? ms(run.drain.ms) : '—',
  ];
  const header = ['target', 'req/s', 'events/s ack.', 'p50', 'p99', 'max', 'non-2xx', 'drain after'];
  console.log(`\nSummary (${machine.cpu}, ${machine.cores} cores, ${machine.ram}; ${machine.postgres}; Node ${machine.node}; API LOG_LEVEL=${LOG_LEVEL}, worker in its own process, ${WORKER === 'running' ? 'draining during the load' : 'paused during the load'}${NICE !== undefined ? `, nice ${NICE}` : ''})`);
  const pair = (mode: Run['mode']) => runs.filter((r) => r.mode === mode).map(row);
  const ratio = (mode: Run['mode']) => (find('innkeeper', mode)?.result.eventsPerSecond ?? Number.NaN) / (find('bare', mode)?.result.eventsPerSecond ?? Number.NaN);
  const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(1)} %` : 'n/a');
  const fixedRun = find('innkeeper', 'fixed');
  const peakRun = find('innkeeper', 'peak');
  if (fixedRun) {
    console.log(`\nFixed rate ${RATE} req/s × ${SECONDS} s = ${fmt(fixedSize.events)} events (${fmt(fixedSize.events / SECONDS)} events/s offered)`);
    console.log(table(header, pair('fixed')));
  }
  if (peakRun) {
    console.log(`\nUnthrottled, ${PEAK_CONNECTIONS} connections (Innkeeper: ${fmt(peakSize.requests)} requests = ${fmt(peakSize.events)} events, each sent once; bare: the same bodies for ${PEAK_SECONDS} s)`);
    console.log(table(header, pair('peak')));
    console.log(`Worker: drained ${fmt(peakRun.drain!.backlog)} pending events in ${ms(peakRun.drain!.ms)} after the unthrottled run (${fmt(peakSize.events / (peakRun.result.seconds + peakRun.drain!.ms / 1000))} events/s from first request to empty inbox)`);
  }
  console.log(`\nThroughput Innkeeper / bare: ${pct(ratio('fixed'))} at the fixed rate, ${pct(ratio('peak'))} unthrottled`);

  /** Median, min and max of the rounds, as `median (min–max)`. */
  const spread = (values: number[], format: (n: number) => string = (n) => fmt(n)) => {
    if (values.length === 0) return { median: Number.NaN, text: 'n/a' };
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return { median, text: sorted.length === 1 ? format(median) : `${format(median)} (${format(sorted[0]!)}–${format(sorted[sorted.length - 1]!)})` };
  };
  let intakeRatio = Number.NaN;
  if (intakeRuns.length > 0) {
    console.log(`\nIntake, unthrottled, ${PEAK_CONNECTIONS} connections, ${fmt(INTAKE_REQUESTS)} requests a run, fresh events each; median (min–max) of ${ROUNDS} rounds`);
    const line = (target: IntakeRun['target'], label: string) => {
      const runsOf = intakeRuns.filter((r) => r.target === target);
      return [
        label,
        spread(runsOf.map((r) => r.result.requestsPerSecond)).text,
        spread(runsOf.map((r) => r.result.eventsPerSecond)).text,
        spread(runsOf.map((r) => r.result.latency.p50), ms).text,
        spread(runsOf.map((r) => r.result.latency.p99), ms).text,
        fmt(runsOf.reduce((n, r) => n + r.result.non2xx + r.result.errors, 0)),
      ];
    };
    console.log(table(['target', 'req/s', 'events/s ack.', 'p50', 'p99', 'non-2xx'], [line('durable', 'bare durable (INSERT + commit)'), line('innkeeper', 'Innkeeper (worker not draining)')]));
    const ratios = Array.from({ length: ROUNDS }, (_, round) => {
      const of = (target: IntakeRun['target']) => intakeRuns.find((r) => r.round === round && r.target === target)!.result.eventsPerSecond;
      return of('innkeeper') / of('durable');
    });
    const r = spread(ratios, pct);
    intakeRatio = r.median;
    console.log(`Innkeeper / bare durable, per round: ${r.text}`);
  }
  const drainRates = new Map<number, number>();
  if (drainTrials.length > 0) {
    console.log(`\nDrain of a ${fmt(DRAIN_EVENTS)}-event backlog by worker processes (${DRAIN_LANES} drains each); median (min–max) of ${ROUNDS} rounds`);
    const rows = DRAIN_WORKERS.map((count) => {
      const trials = drainTrials.filter((t) => t.workers === count);
      const rate = spread(trials.map((t) => t.perSecond));
      drainRates.set(count, rate.median);
      const cpuOf = (name: string) => spread(trials.map((t) => (t.cpu[name] ?? Number.NaN) * 100), (n) => `${n.toFixed(0)} %`).text;
      return [String(count), rate.text, spread(trials.map((t) => t.ms), ms).text, cpuOf('workers'), cpuOf('PostgreSQL backends')];
    });
    console.log(table(['workers', 'events/s', 'drain time', 'CPU workers', 'CPU PostgreSQL'], rows));
  }
  const p99 = fixedRun?.result.latency.p99 ?? Number.NaN;
  if (fixedRun || peakRun) console.log(
    `\nGoal: p99 < ${GOAL.p99Ms} ms at ${EVENTS_PER_SECOND} events/s: ${p99 < GOAL.p99Ms ? 'met' : 'MISSED'} (${ms(p99)}); ` +
      `throughput ≥ ${GOAL.ratio * 100} % of bare: ${ratio('peak') >= GOAL.ratio ? 'met' : 'MISSED'} unthrottled (${pct(ratio('peak'))}), ${ratio('fixed') >= GOAL.ratio ? 'met' : 'MISSED'} at the fixed rate (${pct(ratio('fixed'))}); ` +
      `no event lost or processed twice: ${correct ? 'met' : 'MISSED'}`,
  );
  console.log(`\nNo event lost or processed twice: ${correct ? 'met' : 'MISSED'}`);
  if (intakeRuns.length > 0) console.log(`Goal: unthrottled intake ≥ ${GOAL.ratio * 100} % of the bare durable handler: ${intakeRatio >= GOAL.ratio ? 'met' : 'MISSED'} (${pct(intakeRatio)})`);
  const oneWorker = drainRates.get(1);
  if (oneWorker !== undefined) console.log(`Goal: one worker drains ≥ ${fmt(GOAL.drainPerSecond)} events/s: ${oneWorker >= GOAL.drainPerSecond ? 'met' : 'MISSED'} (${fmt(oneWorker)}); more workers: ${[...drainRates].map(([n, r]) => `${n} → ${fmt(r)}`).join(', ')}`);
  if (!correct) exitCode = 1;
} catch (error) {
  console.error(error);
  console.error(`Logs of the processes: ${logDir}`);
  exitCode = 1;
} finally {
  clearInterval(backendTracker);
  for (const child of children) {
    if (child.exitCode !== null) continue;
    child.kill('SIGCONT');
    child.kill('SIGTERM');
  }
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
  if (runtime) await closeRuntime(runtime).catch(() => undefined);
  await owner?.end().catch(() => undefined);
  if (!KEEP) await admin.query(`drop database if exists ${dbName} with (force)`).catch((error: unknown) => console.error(`could not drop ${dbName}:`, error));
  await admin.end();
}
process.exit(exitCode);
