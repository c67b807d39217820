/**
 * `npm run bench:push`: a campaign to BENCH_RECIPIENTS guests (default 1,000,000) through the delivery engine, on real
 * PostgreSQL, against the LINE simulator as hard as LINE.
 *
 * On DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres) it creates a fresh database
 * `innkeeper_bench_push_<timestamp>`, migrates it, provisions a hotel tenant with a LINE channel and BENCH_RECIPIENTS
 * members (LINE friends, marketing opt-in), and starts, each as its own process:
 *   - the LINE simulator (bench/push/simulator.ts): LINE's rate limits (multicast 200 requests/s, push 2,000/s, a
 *     bucket of 50 ms: 10 multicasts), strict validation (HTTPS media only, Flex values against LINE's enums), the
 *     guests as friends, a round trip of BENCH_LATENCIES ms ± 40 ms (0 ms: none);
 *   - an Innkeeper worker per run: apps/server/src/entrypoints/worker.ts as `npm run worker` runs it (pg-boss, its own
 *     pools, NODE_ENV=production), fresh for each run so its peak RSS is that run's.
 * Each run writes a campaign (a text to every member, multicast: 500 guests a request) as approved and due, and asks the
 * worker's per-tenant start job to run now ("send"). Measured: the wall time from "send" to the last batch LINE
 * accepted (the batches' settled_at), recipients per second as a share of LINE's multicast ceiling (200 requests/s ×
 * 500 = 100,000 recipients/s), the worker's peak RSS (VmHWM), and what the simulator counted per guest for the
 * campaign, by its aggregation unit and by its text, never per retry key: duplicates (a guest served twice), duplicate
 * ids in one multicast, losses (friends of the audience never served) and guests served without being in it.
 *
 * Runs: one per latency in BENCH_LATENCIES (default 80,0,250), then (unless BENCH_FAULTS=0) one at the first latency
 * with faults: BENCH_ERROR_RATE (default 5 %) of requests answered 5xx, half of them before LINE accepted them
 * (errorRate) and half after (errorAfterAcceptRate: delivered, retry key locked, 500 all the same), plus
 * BENCH_TIMEOUT_RATE (default 1 %) whose answer is held back past the client's timeout (stallRate, after delivery).
 *
 * Environment: DATABASE_URL, BENCH_RECIPIENTS, BENCH_LATENCIES, BENCH_JITTER (default 40), BENCH_FAULTS,
 * BENCH_ERROR_RATE, BENCH_TIMEOUT_RATE, BENCH_STALL_MS (default 20,000: above the sender's 15 s timeout),
 * BENCH_APP_ROOT (another checkout whose worker is measured, for A/B runs; its migrations make the database; several,
 * comma-separated: each run is repeated for each checkout in turn, so an A/B shares one set-up and the same minutes),
 * BENCH_MEMBER_IDS (app: time-ordered as the app makes them, the default; random: the worst case),
 * BENCH_CPU_PROFILE=<dir> (V8 CPU profiles of the workers), BENCH_SIM_PROF=<dir> (the simulator's), BENCH_KEEP=1 (keep the
 * database), BENCH_LOG_LEVEL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { z } from 'zod';
import { closeRuntime, createRuntime } from '../../apps/server/src/app/runtime.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import { systemContext } from '../../apps/server/src/core/context.ts';
import { enterPlatformScope, openDatabase } from '../../apps/server/src/core/db/database.ts';
import { migrate } from '../../apps/server/src/core/db/migrate.ts';
import { asTenantId, newId } from '../../apps/server/src/core/ids.ts';
import { provisionTenant } from '../../apps/server/src/modules/platform/index.ts';
import { createBenchDatabase } from '../lib/database.ts';
import { cpuProfileFlags, nextMessage as answerOf, spawnWorker, stopProcess as stopWorker } from '../lib/processes.ts';
import { table } from '../members/stats.ts';
import { cpuSeconds, describeMachine, loadAverage, printMachine } from '../webhook/system.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const APP_ROOTS = (process.env.BENCH_APP_ROOT ?? ROOT).split(',').map((root) => path.resolve(root.trim()));
const APP_ROOT = APP_ROOTS[0]!;
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const env = process.env;
const num = (name: string, fallback: number) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
};
if (!env.DATABASE_URL) console.log(`DATABASE_URL is not set: using ${DEFAULT_DATABASE_URL}`);
const serverUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
const RECIPIENTS = num('BENCH_RECIPIENTS', 1_000_000);
const LATENCIES = (env.BENCH_LATENCIES ?? '80,0,250').split(',').map((n) => Number(n.trim()));
const JITTER = num('BENCH_JITTER', 40);
const FAULTS = env.BENCH_FAULTS !== '0';
const ERROR_RATE = num('BENCH_ERROR_RATE', 0.05);
const TIMEOUT_RATE = num('BENCH_TIMEOUT_RATE', 0.01);
const STALL_MS = num('BENCH_STALL_MS', 20_000);
const KEEP = env.BENCH_KEEP === '1';
/**
 * The members' ids: 'app' (default) as the app makes them (newId: time-ordered UUID v7, so members written together lie
 * together on disk and a chunk's range of ids reads a stretch of the table); 'random' (gen_random_uuid, every run before
 * 2026-12-07): ids unrelated to where the rows lie, so each chunk of 50,000 ids reads most of the table's pages (the worst
 * case, e.g. a table whose rows were all moved by updates since).
 */
const MEMBER_IDS = env.BENCH_MEMBER_IDS ?? 'app';
if (MEMBER_IDS !== 'app' && MEMBER_IDS !== 'random') throw new Error('BENCH_MEMBER_IDS must be app or random');
const LOG_LEVEL = env.BENCH_LOG_LEVEL ?? 'info';
const CPU_PROFILE = env.BENCH_CPU_PROFILE ? path.resolve(env.BENCH_CPU_PROFILE) : undefined;
/** LINE's multicast ceiling: 200 requests/s of 500 recipients. */
const CEILING = 200 * 500;
const GOAL = { share: 0.9, rssMb: 300 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');


/** The simulator's setup and checks over a million guests take minutes: its answers are awaited up to ten. */
const nextMessage = <T>(child: ChildProcess, accept: (message: Record<string, unknown>) => boolean) => answerOf<T>(child, accept, 600_000);

/** A process's memory (kB) from /proc: VmHWM is its peak resident set so far. */
function memoryKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const line = fs
      .readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
printMachine(await describeMachine(admin));
const { stamp, dbName, benchUrl } = await createBenchDatabase(admin, serverUrl, 'push');
console.log(`\nDatabase ${dbName}${KEEP ? ' (kept: BENCH_KEEP=1)' : ' (dropped at the end; BENCH_KEEP=1 keeps it)'}; worker code from ${APP_ROOTS.join(', ')}`);

const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'innkeeper-bench-push-'));
const children: ChildProcess[] = [];
let exitCode = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    console.error(`\n${signal}: stopped; database ${dbName} was left in place`);
    process.exit(130);
  });
}

const owner = new pg.Pool({ connectionString: benchUrl, max: 3 });
owner.on('error', () => undefined);
try {
  const db = await openDatabase({ engine: 'postgres', connectionString: benchUrl, poolSize: 4 });
  await migrate(db, path.join(APP_ROOT, 'apps/server/db/migrations'));
  const keys = { ENCRYPTION_KEYS: `bench:${crypto.randomBytes(32).toString('base64')}`, BLIND_INDEX_KEY: crypto.randomBytes(32).toString('base64') };
  // Images would be served from PUBLIC_URL (https, as strict LINE wants); this campaign is text only.
  const baseEnv = { NODE_ENV: 'production', DATABASE_URL: benchUrl, SEED_DEMO: 'false', LINE_SIMULATOR: 'off', SMTP_URL: 'smtp://mail.invalid', PUBLIC_URL: 'https://innkeeper.bench.example', ...keys };
  const runtime = await createRuntime(loadConfig({ ...baseEnv, LOG_LEVEL: 'silent' }), { db, logger: pino({ level: 'silent' }) });
  await runtime.queue.start({ work: false });

  const provisioned = await runtime.db.withPlatform(async (tx) => {
    await enterPlatformScope(tx);
    return provisionTenant(
      tx,
      { kind: 'hotel', name: '山嵐飯店集團（推播壓測）', slug: `bench-push-${stamp}`, properties: [{ code: 'TPE', name: '台北館' }], administrator: { email: `admin@bench-push-${stamp}.example`, displayName: '管理員', password: 'correct horse battery' } },
      { actor: { kind: 'system', name: 'bench' }, ip: '', requestId: newId(), afterCommit: () => undefined, invite: async () => undefined, now: new Date() },
    );
  });
  const tenantId = asTenantId(provisioned.tenant.id);
  const line = { channelId: '2009100001', channelSecret: crypto.randomBytes(16).toString('hex'), channelAccessToken: crypto.randomBytes(32).toString('base64url') };
  await runtime.db.withTenant(tenantId, (tx) =>
    runtime.channels.createChannel(systemContext(tx, tenantId, 'bench', { requestId: newId() }), { name: '集團 LINE', propertyId: null, channelId: line.channelId, channelSecret: line.channelSecret, accessToken: line.channelAccessToken, welcomeMessage: '' }),
  );

  const logFile = (name: string) => fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const simulator = fork(path.join(HERE, 'simulator.ts'), [], { stdio: ['ignore', logFile('simulator'), logFile('simulator'), 'ipc'], execArgv: [...process.execArgv, '--max-old-space-size=8192', ...(env.BENCH_SIM_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_SIM_PROF}`] : [])] });
  children.push(simulator);
  await nextMessage(simulator, (m) => m.ready === true);
  const idsFile = path.join(logDir, 'friends.txt');
  let t = performance.now();
  simulator.send({ setup: { channel: line, friends: RECIPIENTS, file: idsFile } });
  const { url: simUrl } = await nextMessage<{ url: string }>(simulator, (m) => typeof m.url === 'string');
  const userIds = fs.readFileSync(idsFile, 'utf8').split('\n');
  console.log(`LINE simulator pid ${simulator.pid} at ${simUrl}: ${fmt(userIds.length)} friends in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  t = performance.now();
  const CHUNK = 50_000;
  for (let i = 0; i < userIds.length; i += CHUNK) {
    await owner.query(
      `insert into members (tenant_id, id, member_no, marketing_opt_in, line_user_id, line_status)
       select $1, coalesce(t.id, gen_random_uuid()), 'P' || ($2::int + n), true, u, 'following' from unnest($3::text[], $4::uuid[]) with ordinality as t(u, id, n)`,
      [tenantId, i, userIds.slice(i, i + CHUNK), MEMBER_IDS === 'app' ? userIds.slice(i, i + CHUNK).map(() => newId()) : []],
    );
  }
  await owner.query('vacuum (analyze) members');
  console.log(`Members: ${fmt(userIds.length)} (LINE friends, marketing opt-in; ids: ${MEMBER_IDS}) written in ${((performance.now() - t) / 1000).toFixed(1)} s; logs in ${logDir}`);

  const simJson = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${simUrl}${url}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const workerEnv: NodeJS.ProcessEnv = { ...process.env, ...baseEnv, LOG_LEVEL, LINE_API_BASE_URL: simUrl };
  const startWorker = async (name: string, appRoot: string) => {
    // Every checkout's worker gets this bench's stamp of when each request left (sent-at.ts), so the one simulator judges all alike.
    const worker = spawnWorker({ appRoot, name, logDir, env: workerEnv, nodeFlags: [`--import=${pathToFileURL(path.join(HERE, 'sent-at.ts')).href}`, ...cpuProfileFlags(CPU_PROFILE, name, stamp)] });
    children.push(worker.child);
    await worker.ready;
    return worker.child;
  };
  const START_DUE = { name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) };

  type Scenario = { name: string; latencyMs: number; faults: boolean; appRoot: string };
  // With several checkouts, each run is named after its checkout's folder and the runs alternate between them.
  const named = (name: string, appRoot: string) => (APP_ROOTS.length > 1 ? `${name} ${path.basename(appRoot)}` : name);
  const scenarios: Scenario[] = [...LATENCIES.map((latencyMs) => ({ name: `${latencyMs} ms`, latencyMs, faults: false })), ...(FAULTS ? [{ name: `${LATENCIES[0]} ms + faults`, latencyMs: LATENCIES[0]!, faults: true }] : [])].flatMap((s) =>
    APP_ROOTS.map((appRoot) => ({ ...s, name: named(s.name, appRoot), appRoot })),
  );
  type Result = Record<string, string>;
  const results: Result[] = [];
  let failedGoal = false;
  for (const [index, scenario] of scenarios.entries()) {
    await simJson('POST', `/_sim/channels/${line.channelId}/reset`, { keepFriends: true });
    const faults = {
      latencyMs: scenario.latencyMs,
      latencyJitterMs: scenario.latencyMs > 0 ? Math.min(JITTER, scenario.latencyMs) : 0,
      errorRate: scenario.faults ? ERROR_RATE / 2 : 0,
      errorAfterAcceptRate: scenario.faults ? ERROR_RATE / 2 : 0,
      stallRate: scenario.faults ? TIMEOUT_RATE : 0,
      stallMs: STALL_MS,
    };
    await simJson('PATCH', `/_sim/channels/${line.channelId}`, { faults });
    const worker = await startWorker(`worker-${index + 1}`, scenario.appRoot);
    // What the worker holds before the campaign (its code, pools, the queue): the campaign's share is the rest.
    const idleRss = memoryKb(worker.pid!, 'VmRSS');
    const campaignId = newId();
    const text = `推播壓測 ${index + 1}：平日商務住房 85 折（${stamp}）`;
    await owner.query(
      `insert into campaigns (tenant_id, id, name, status, messages, audience, scheduled_at, approved_at, version) values ($1, $2, $3, 'scheduled', $4::jsonb, '{"kind":"all"}', now(), now(), 1)`,
      [tenantId, campaignId, `推播壓測 ${index + 1}`, JSON.stringify([{ type: 'text', text }])],
    );
    const load = loadAverage();
    // PostgreSQL's share: the CPU of this database's backends (the worker's pools, the queue's, this script's), read
    // from /proc before and after (a backend that closed meanwhile is missed: a lower bound).
    const backendCpu = async () => {
      const pids = (await owner.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database()')).rows.map((r) => r.pid);
      return new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
    };
    const pgBefore = await backendCpu();
    const cpuBefore = cpuSeconds(worker.pid!);
    const simCpuBefore = cpuSeconds(simulator.pid!);
    const sent = Date.now();
    await runtime.queue.enqueueNow(START_DUE, { tenantId });
    let status = 'scheduled';
    let peakRss = 0;
    for (;;) {
      await sleep(200);
      peakRss = Math.max(peakRss, memoryKb(worker.pid!, 'VmRSS'));
      status = (await owner.query<{ status: string }>('select status from campaigns where id = $1', [campaignId])).rows[0]!.status;
      if (status !== 'scheduled' && status !== 'sending') break;
      if (Date.now() - sent > 30 * 60_000) throw new Error(`campaign still ${status} after 30 minutes`);
    }
    const hwm = memoryKb(worker.pid!, 'VmHWM');
    const cpu = cpuSeconds(worker.pid!) - cpuBefore;
    const simCpu = cpuSeconds(simulator.pid!) - simCpuBefore;
    const pgCpu = [...(await backendCpu())].reduce((sum, [pid, now]) => sum + (Number.isFinite(now) ? now - (pgBefore.get(pid) ?? 0) : 0), 0);
    await stopWorker(worker);
    const [timing] = (
      await owner.query<{ first_accepted: Date; last_accepted: Date; batches: number; attempts: number }>(
        `select min(settled_at) as first_accepted, max(settled_at) as last_accepted, count(*)::int as batches, sum(attempts)::int as attempts from campaign_batches where campaign_id = $1`,
        [campaignId],
      )
    ).rows;
    // Recipients accepted and failed, summed over the batches (the same on every checkout: a recipient's own row says
    // its outcome on releases before 0055, its batch's row from then on).
    const outcome = Object.fromEntries((await owner.query<{ status: string; n: number }>('select status, sum(recipients)::int as n from campaign_batches where campaign_id = $1 group by status', [campaignId])).rows.map((r) => [r.status, r.n]));
    simulator.send({ check: { unit: `c${campaignId.replaceAll('-', '')}`.slice(0, 30), text } });
    const { check } = await nextMessage<{ check: any }>(simulator, (m) => m.check !== undefined);
    const wallMs = timing!.last_accepted.getTime() - sent;
    const perSecond = RECIPIENTS / (wallMs / 1000);
    const multicast = check.requests['POST /v2/bot/message/multicast'] ?? { accepted: 0, statuses: {} };
    const accepted = outcome.accepted ?? 0;
    const failed = outcome.failed ?? 0;
    const duplicates = Math.max(check.byUnit.duplicates, check.byText.duplicates);
    const losses = Math.max(check.byUnit.missing, check.byText.missing);
    const result: Result = {
      run: scenario.name,
      status,
      'wall s': (wallMs / 1000).toFixed(1),
      'to 1st accepted s': ((timing!.first_accepted.getTime() - sent) / 1000).toFixed(1),
      'sending s': ((timing!.last_accepted.getTime() - timing!.first_accepted.getTime()) / 1000).toFixed(1),
      'recipients/s': fmt(perSecond),
      'of ceiling': `${((perSecond / CEILING) * 100).toFixed(1)} %`,
      'peak RSS MB': fmt(Math.max(hwm, peakRss) / 1024),
      'idle RSS MB': fmt(idleRss / 1024),
      'worker CPU s': cpu.toFixed(1),
      'sim CPU s': simCpu.toFixed(1),
      'PG CPU s': pgCpu.toFixed(1),
      requests: fmt(Object.values(multicast.statuses as Record<string, number>).reduce((a, b) => a + b, 0)),
      statuses: Object.entries(multicast.statuses as Record<string, number>)
        .map(([code, n]) => `${code}:${n}`)
        .join(' '),
      duplicates: String(duplicates),
      'dup ids': String(Math.max(check.byUnit.duplicateIdsInRequests, check.byText.duplicateIdsInRequests)),
      losses: String(losses),
      unexpected: String(Math.max(check.byUnit.unexpected, check.byText.unexpected)),
      'success %': accepted + failed === 0 ? 'n/a' : ((accepted * 100) / (accepted + failed)).toFixed(2),
      faults: `5xx ${check.faults.error} + after accept ${check.faults.errorAfterAccept}, timeouts ${check.faults.stall ?? 0}, 409 ${check.retryKeyConflicts}, 429 ${check.rateLimited}`,
      load,
    };
    results.push(result);
    console.log(`\nRun ${index + 1}/${scenarios.length} (${scenario.name}): ${JSON.stringify(result)}`);
    if (duplicates > 0 || losses > 0 || check.byUnit.guests !== RECIPIENTS) failedGoal = true;
    if (!scenario.faults && index === 0 && (perSecond < GOAL.share * CEILING || Math.max(hwm, peakRss) / 1024 >= GOAL.rssMb)) failedGoal = true;
  }
  await closeRuntime(runtime);

  console.log(`\nCampaign of ${fmt(RECIPIENTS)} recipients, multicast (500 a request), LINE simulator with LINE's limits and strict validation, round trip ± ${JITTER} ms`);
  const columns = ['run', 'status', 'wall s', 'to 1st accepted s', 'sending s', 'recipients/s', 'of ceiling', 'peak RSS MB', 'idle RSS MB', 'worker CPU s', 'sim CPU s', 'PG CPU s', 'requests', 'duplicates', 'dup ids', 'losses', 'unexpected', 'success %'];
  console.log(table(columns, results.map((r) => columns.map((c) => r[c] ?? ''))));
  for (const r of results) console.log(`  ${r.run}: multicast answers ${r.statuses}; ${r.faults}; load before ${r.load}`);
  console.log(`\nGoal: ≥ ${GOAL.share * 100} % of ${fmt(CEILING)} recipients/s, peak RSS < ${GOAL.rssMb} MB, zero duplicates and losses (with faults too): ${failedGoal ? 'NOT MET' : 'met'}`);
  console.log(`Load average after: ${loadAverage()}`);
  if (failedGoal) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await owner.end();
  if (!KEEP) await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
process.exit(exitCode);
