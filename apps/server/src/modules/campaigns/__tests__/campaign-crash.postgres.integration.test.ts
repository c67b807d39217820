import { spawn, type ChildProcess } from 'node:child_process';
import crypto, { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { TEST_LOGIN_ROLE, withDatabaseName, withUser } from '../../../../test/database.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { systemClock } from '../../../core/clock.ts';
import { queryRows } from '../../../core/db/database.ts';
import { aggregationUnitOf } from '../index.ts';

/**
 * Crash safety (issue 11): a worker process is killed with SIGKILL in the middle of a campaign and started again; the
 * campaign finishes with every guest served exactly once. Everything runs as in production: the LINE simulator in
 * its own process with LINE's round trip (80 ms ± 40 ms) and rate limits, the worker as `npm run worker` runs it
 * (entrypoints/worker.ts, pg-boss, its own pools), PostgreSQL shared by the processes. The proof is the simulator's
 * count per guest under the campaign's aggregation unit and by the message's text, never per retry key.
 *
 * PostgreSQL only (vitest.config.ts runs `*.postgres.integration.test.ts` with TEST_DATABASE_URL): a second process
 * cannot open the embedded database.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../..');
const GUESTS = 2000;
const LINE = { channelId: '2007900001', channelSecret: '9a8b7c6d5e4f3a2b'.repeat(2), channelAccessToken: 'test-access-token-for-the-crash-0001', loginChannelId: '2007900002' };
const KEYS = { ENCRYPTION_KEYS: `crash:${crypto.randomBytes(32).toString('base64')}`, BLIND_INDEX_KEY: crypto.randomBytes(32).toString('base64') };
const SLOW = 300_000;

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let simulator: ChildProcess;
let simUrl: string;
let guests: string[];
let workerEnv: NodeJS.ProcessEnv;
const workers: ChildProcess[] = [];

function listening(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`not ready after 60 s: ${out.slice(-2000)}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready: ${out.slice(-2000)}`));
    });
  });
}

async function simJson<T = any>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(`${simUrl}${url}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A worker process, as `npm run worker` starts it. */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'apps/server/src/entrypoints/worker.ts')], { cwd: ROOT, env: workerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-20_000)));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM') console.error(`worker exited with ${code ?? signal}:\n${log.slice(-4000)}`);
  });
  workers.push(child);
  return child;
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

const campaignStatus = async (id: string) => {
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ status: string; status_reason: string }>(tx, sql`select status, status_reason from campaigns where id = ${id}`));
  return row!;
};
/** Deliveries per guest under the campaign's aggregation unit, as the simulator counted them. */
const perGuest = async (id: string) => (await simJson<{ perUser: Record<string, number> }>('GET', `/_sim/channels/${LINE.channelId}/units/${aggregationUnitOf(id)}`)).perUser;

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, everyMs: number, forMs: number): Promise<T> {
  const deadline = Date.now() + forMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${forMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Sends a campaign through a worker that is killed (SIGKILL) as soon as LINE has received the first guests, then a
 * fresh worker; returns what the simulator counted.
 */
async function sendThroughACrash(text: string) {
  const created = await admin.post('/api/campaigns', { name: text.slice(0, 20), propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  expect((await admin.post(`/api/campaigns/${id}/schedule`, { version: created.body.version, now: true })).status).toBe(200);
  const first = startWorker();
  await listening(first, /worker started/);
  // The per-minute run for this tenant, now rather than at the next minute.
  await env.runtime.queue.enqueueNow({ name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) }, { tenantId: tenant.tenantId });
  await until('the first guests at LINE', () => perGuest(id), (counts) => Object.keys(counts).length > 0, 5, 60_000);
  await stop(first, 'SIGKILL');
  // Requests that reached LINE before the kill are delivered all the same: let the last of them arrive.
  await new Promise((r) => setTimeout(r, 300));
  const atKill = Object.keys(await perGuest(id)).length;
  const statusAtKill = (await campaignStatus(id)).status;
  const second = startWorker();
  await listening(second, /worker started/);
  const final = await until('the campaign to finish', () => campaignStatus(id), (c) => c.status !== 'sending', 250, 180_000);
  await stop(second, 'SIGTERM');
  const counts = await perGuest(id);
  const byText = await simJson<{ perUser: Record<string, number>; duplicates: unknown[]; audience: { missing: string[]; unexpected: string[] } }>('POST', `/_sim/channels/${LINE.channelId}/deliveries/check`, { textContains: text, audience: guests });
  const recipients = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ status: string; n: number }>(tx, sql`select status, count(*)::int as n from campaign_recipient_outcomes where campaign_id = ${id} group by status`));
  return { id, atKill, statusAtKill, final, counts, byText, recipients };
}

function expectEachGuestOnce(result: Awaited<ReturnType<typeof sendThroughACrash>>) {
  // Killed in the middle: LINE had some of the guests, not all, and the campaign was still sending.
  expect(result.atKill).toBeGreaterThan(0);
  expect(result.atKill).toBeLessThan(GUESTS);
  expect(result.statusAtKill).toBe('sending');
  expect(result.final).toEqual({ status: 'sent', status_reason: '' });
  // Per guest, under the campaign's aggregation unit: every guest once, nobody missed, nobody else.
  expect(Object.keys(result.counts).sort()).toEqual([...guests].sort());
  expect(Object.entries(result.counts).filter(([, n]) => n !== 1)).toEqual([]);
  // And by the message's text, whatever key or unit it came under.
  expect(result.byText.audience).toMatchObject({ missing: [], unexpected: [] });
  expect(result.byText.duplicates).toEqual([]);
  expect(Object.values(result.byText.perUser).every((n) => n === 1)).toBe(true);
  expect(result.recipients).toEqual([{ status: 'accepted', n: GUESTS }]);
}

beforeAll(async () => {
  simulator = spawn(process.execPath, [path.join(ROOT, 'apps/line-simulator/src/main.ts')], {
    // As strict as LINE: https media only (the campaign is text), Flex values checked.
    env: { ...process.env, LINE_SIM_PORT: '0', LINE_SIM_DEMO: '0', LINE_SIM_LATENCY_MS: '80', LINE_SIM_LATENCY_JITTER_MS: '40', LINE_SIM_SEED: 'innkeeper-crash', LINE_SIM_STRICT_HTTPS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  simUrl = (await listening(simulator, /listening on (http:\/\/\S+)/))[1]!;
  env = await startTestEnv(KEYS, { queue: 'pg-boss', runtime: { lineBaseUrl: () => simUrl, clock: systemClock } });
  await env.runtime.queue.start({ work: false });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  // LINE takes this channel's multicasts 4 a second (no burst): the worker keeps 64 batches in flight, so at LINE's
  // 200/s the campaign's 4 batches would all be delivered before the test could kill it in the middle. The rest of
  // each second's batches meet 429 and back off, as they would on a busy channel.
  await simJson('POST', '/_sim/channels', { ...LINE, displayName: '當機飯店', basicId: '@crash-hotel', rateLimits: { overrides: { 'POST /v2/bot/message/multicast': { limit: 4, periodMs: 1000, capacity: 1 } } } });
  guests = (await simJson<{ friends: Array<{ userId: string }> }>('POST', `/_sim/channels/${LINE.channelId}/friends`, { count: GUESTS, seed: 'crash' })).friends.map((f) => f.userId);
  const channel = await admin.post('/api/line/channels', { name: '集團 LINE', propertyId: null, channelId: LINE.channelId, channelSecret: LINE.channelSecret, accessToken: LINE.channelAccessToken, welcomeMessage: '' });
  expect(channel.status, JSON.stringify(channel.body)).toBe(201);
  expect((await admin.post(`/api/line/channels/${channel.body.id}/verify`)).status).toBe(200);
  await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    for (const [i, lineUserId] of guests.entries()) {
      await tx.execute(sql`insert into members (tenant_id, id, member_no, marketing_opt_in, line_user_id, line_status) values (${tenant.tenantId}, ${randomUUID()}, ${`K${i}`}, true, ${lineUserId}, 'following')`);
    }
  });
  const [database] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ name: string }>(tx, sql`select current_database() as name`));
  const owner = withDatabaseName(process.env.TEST_DATABASE_URL!, database!.name);
  workerEnv = {
    ...process.env,
    ...KEYS,
    NODE_ENV: 'production',
    DATABASE_URL: owner,
    DATABASE_APP_URL: withUser(owner, TEST_LOGIN_ROLE),
    SEED_DEMO: 'false',
    LINE_SIMULATOR: 'off',
    LINE_API_BASE_URL: simUrl,
    SMTP_URL: 'smtp://mail.invalid',
    PUBLIC_URL: 'https://innkeeper.test',
    // 'worker started' is logged at info: the test waits for it.
    LOG_LEVEL: 'info',
  };
}, SLOW);

afterAll(async () => {
  for (const worker of workers) await stop(worker, 'SIGKILL');
  await env?.close();
  if (simulator) await stop(simulator, 'SIGTERM');
});

describe('a worker killed in the middle of a campaign (PostgreSQL, simulator in its own process)', () => {
  it(`SIGKILL, then a fresh worker: each of ${GUESTS} guests gets the campaign exactly once`, async () => {
    expectEachGuestOnce(await sendThroughACrash('當機也只送一次：平日商務住房 85 折'));
  }, SLOW);

  it('the same with LINE answering 500 after accepting, or dropping the connection after accepting', async () => {
    await simJson('PATCH', `/_sim/channels/${LINE.channelId}`, { faults: { errorAfterAcceptRate: 0.25, dropAfterAcceptRate: 0.25 } });
    try {
      const result = await sendThroughACrash('故障與當機：家庭旅遊推播');
      expectEachGuestOnce(result);
      const counters = await simJson<{ faults: { errorAfterAccept: number; dropAfterAccept: number }; retryKeyConflicts: number }>('GET', `/_sim/channels/${LINE.channelId}/counters`);
      // The faults did strike, and their retries met the stored key (409) instead of sending again.
      expect(counters.faults.errorAfterAccept + counters.faults.dropAfterAccept).toBeGreaterThan(0);
      expect(counters.retryKeyConflicts).toBeGreaterThan(0);
    } finally {
      await simJson('PATCH', `/_sim/channels/${LINE.channelId}`, { faults: { errorAfterAcceptRate: 0, dropAfterAcceptRate: 0 } });
    }
  }, SLOW);
});
