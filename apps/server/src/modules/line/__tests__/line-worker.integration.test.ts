import { signBody, startSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { createRuntime, type Runtime } from '../../../app/runtime.ts';
import { queryRows } from '../../../core/db/database.ts';
import { postbackResolvers } from '../index.ts';
import { welcomeRetryKey } from '../events.service.ts';
import { connectSimulatedChannel, type TestChannel } from './simulated-channel.ts';

/**
 * The LINE worker as several processes see it: the API process stores webhooks and wakes workers; a worker process
 * (a second runtime on the same database, started only when a test says so) runs the queue. Events are drained by
 * calling the processor directly where a test needs to stop between the batch's commit and its effects. Both run
 * pg-boss's own workers, not the tests' inline driver: this file proves the real path (wake-ups, retries, backoff).
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let admin: ApiClient;
let innkeeperUrl: string;
let worker: Runtime | undefined;
let channel: TestChannel;
const LINE = { channelId: '2007100001', channelSecret: 'fedcba9876543210'.repeat(2), channelAccessToken: 'test-access-token-for-the-worker-0001', loginChannelId: '2007100002' };
const REPLY = 'POST /v2/bot/message/reply';
const PUSH = 'POST /v2/bot/message/push';

/** Waits for another transaction to reach a lock (not for queued work: the queue's own `drain()` does that). */
async function waitUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, label: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${label}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const friendOf = (userId: string) => env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ id: string; line_display_name: string | null; line_status: string }>(tx, sql`select id, line_display_name, line_status from members where line_user_id = ${userId} and deleted_at is null`));
const timeline = async (memberId: string) => (await admin.get(`/api/members/${memberId}/timeline`)).body.data as Array<{ type: string; occurredAt: string; details: { text?: string } }>;
const jobs = (name: string) => env.runtime.db.ownerTransaction((owner) => owner.query<{ state: string; singleton_key: string | null; data: { tenantId?: string } }>(`select state, singleton_key, data from pgboss.job where name = $1`, [name]));
const inboxRow = (webhookEventId: string) => env.runtime.db.ownerTransaction((owner) => owner.query<{ status: string; attempts: number; last_error: string | null }>(`select status, attempts, last_error from line_webhook_inbox where webhook_event_id = $1`, [webhookEventId]));

async function postEvents(events: unknown[]): Promise<number> {
  const body = JSON.stringify({ destination: channel.bot.userId, events });
  const response = await fetch(`${innkeeperUrl}/api/line/webhook/${tenant.tenantId}/${channel.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': signBody(LINE.channelSecret, body) }, body });
  return response.status;
}
const base = { mode: 'active', deliveryContext: { isRedelivery: false } };
const followEvent = (id: string, userId: string, at: number) => ({ ...base, type: 'follow', timestamp: at, source: { type: 'user', userId }, webhookEventId: id, replyToken: `r${id}`.slice(0, 32), follow: { isUnblocked: false } });
const messageEvent = (id: string, userId: string, at: number, text: string) => ({ ...base, type: 'message', timestamp: at, source: { type: 'user', userId }, webhookEventId: id, replyToken: `m${id}`.slice(0, 32), message: { type: 'text', id, text } });

/** Starts the worker process: from now on the queue runs wake-ups and the effects that batches left. */
async function startWorker(): Promise<void> {
  if (worker) return;
  worker = await createRuntime(env.config, { db: env.runtime.db, clock: env.runtime.clock, keyring: env.runtime.keyring, logger: pino({ level: 'silent' }), lineBaseUrl: () => sim.url });
  await worker.queue.start({ work: true });
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 'innkeeper-line-worker-test', strictHttps: false });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url }, queue: 'pg-boss' });
  innkeeperUrl = await env.app.listen({ port: 0, host: '127.0.0.1' });
  // The API process enqueues but works nothing.
  await env.runtime.queue.start({ work: false });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  channel = await connectSimulatedChannel(admin, sim, innkeeperUrl, LINE, { hotel: '工人飯店', basicId: '@worker-hotel', propertyId: tenant.propertyIds[0]!, welcomeMessage: '歡迎加入工人飯店！' });
});
afterAll(async () => {
  await worker?.queue.stop();
  await env.close();
  await sim.close();
});

describe('LINE events keep each guest’s order', () => {
  it('a burst of webhooks for one tenant leaves one queued wake-up, not one per request', async () => {
    const t0 = Date.now();
    const statuses = await Promise.all([1, 2, 3, 4, 5].map((n) => postEvents([messageEvent(`01JWAKE00000000000000000${n}`, `U${'7'.repeat(31)}${n}`, t0 + n, `喚醒 ${n}`)])));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    // The wake-up is written after each request's commit, without the answer waiting for it.
    await env.runtime.queue.soonSent();
    const waiting = (await jobs('line.drain-inbox')).filter((j) => j.state === 'created' && j.data.tenantId === tenant.tenantId);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.singleton_key).toBe(tenant.tenantId);
    await env.runtime.lineEvents.drain(tenant.tenantId);
  });

  it('a follow for a guest who is already a friend changes nothing: one followed, at the follow’s time', async () => {
    const userId = `U${'8'.repeat(31)}1`;
    const t0 = Date.now() - 10_000;
    // LINE sent the follow first, but its request arrived (and was processed) after the guest's first message.
    expect(await postEvents([messageEvent('01JLATEFOLLOW000000000000M', userId, t0 + 1, '先傳訊息')])).toBe(200);
    await env.runtime.lineEvents.drain(tenant.tenantId);
    expect(await postEvents([followEvent('01JLATEFOLLOW000000000000F', userId, t0)])).toBe(200);
    await env.runtime.lineEvents.drain(tenant.tenantId);
    const [member] = await friendOf(userId);
    const types = (await timeline(member!.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'followed')).toHaveLength(1);
    expect(member!.line_status).toBe('following');
    expect(await inboxRow('01JLATEFOLLOW000000000000F')).toMatchObject([{ status: 'processed' }]);
  });

  it('[concurrency] a follow whose request commits after its guest’s first message is still applied first', async () => {
    const userId = `U${'9'.repeat(31)}1`;
    const t0 = Date.now() - 5_000;
    const follow = followEvent('01JRACEFOLLOW0000000000001', userId, t0);
    const message = messageEvent('01JRACEMESSAGE000000000001', userId, t0 + 1, '我想訂房');
    if (env.engine === 'postgres') {
      // Hold the follow's request inside its transaction: a row with its webhookEventId, uncommitted, makes its insert
      // wait. Meanwhile the message's request commits and a worker drains the tenant; then the follow commits.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let held!: () => void;
      const holding = new Promise<void>((resolve) => (held = resolve));
      const blocker = env.runtime.db
        .ownerTransaction(async (owner) => {
          await owner.query(`insert into line_webhook_inbox (tenant_id, id, channel_id, webhook_event_id, event_type, occurred_at, payload) values ($1, gen_random_uuid(), $2, $3, 'blocker', now(), '{}')`, [tenant.tenantId, channel.id, follow.webhookEventId]);
          held();
          await released;
          throw new Error('roll back the blocker');
        })
        .catch(() => undefined);
      await holding;
      const followRequest = postEvents([follow]);
      await waitUntil(() => env.runtime.db.ownerTransaction((owner) => owner.query<{ n: number }>(`select count(*)::int as n from pg_locks where not granted and locktype = 'transactionid'`)), (rows) => rows[0]!.n > 0, 'the follow request waiting');
      expect(await postEvents([message])).toBe(200);
      let drained = false;
      const drain = env.runtime.lineEvents.drain(tenant.tenantId).then(() => (drained = true));
      // The drain either finishes (it did not wait for the follow) or waits for the follow's request to commit.
      await waitUntil(async () => drained || (await env.runtime.db.ownerTransaction((owner) => owner.query<{ n: number }>(`select count(*)::int as n from pg_locks where not granted and locktype = 'advisory'`)))[0]!.n > 0, (done) => done, 'the drain to finish or wait');
      release();
      await blocker;
      expect(await followRequest).toBe(200);
      await drain;
    } else {
      // PGlite runs one transaction at a time, so the requests cannot interleave: both in parallel, trivially ordered.
      expect(await Promise.all([postEvents([message]), postEvents([follow])])).toEqual([200, 200]);
    }
    await env.runtime.lineEvents.drain(tenant.tenantId);
    const [member] = await friendOf(userId);
    const entries = await timeline(member!.id);
    expect(entries.map((e) => e.type)).toEqual(['message_received', 'followed', 'created']);
    expect(new Date(entries[1]!.occurredAt).getTime()).toBe(t0);
  });

  it('a deadlock or serialization failure does not count toward an event’s attempts: the event is retried and applied', async () => {
    const userId = `U${'6'.repeat(31)}1`;
    let failures = 0;
    // A postback resolver whose statement the database aborts, as it would a deadlock victim, for the first four tries
    // (one more than the attempts an event has).
    env.runtime.extensions.add(postbackResolvers, async (ctx, data) => {
      if (data !== 'transient-test') return undefined;
      if (failures >= 4) return undefined;
      failures += 1;
      const code = failures % 2 === 0 ? '40001' : '40P01';
      await ctx.db.execute(sql.raw(`do $$ begin raise exception 'injected' using errcode = '${code}'; end $$`));
      return undefined;
    });
    const t0 = Date.now();
    const postback = { ...base, type: 'postback', timestamp: t0, source: { type: 'user', userId }, webhookEventId: '01JTRANSIENT00000000000001', replyToken: 'p'.repeat(32), postback: { data: 'transient-test' } };
    const later = messageEvent('01JTRANSIENT00000000000002', userId, t0 + 1, '之後的訊息');
    expect(await postEvents([postback, later])).toBe(200);
    await env.runtime.lineEvents.drain(tenant.tenantId);
    expect(failures).toBe(4);
    expect(await inboxRow(postback.webhookEventId)).toEqual([{ status: 'processed', attempts: 1, last_error: null }]);
    const [member] = await friendOf(userId);
    const entries = await timeline(member!.id);
    // The guest's later message waited for the postback: the click comes first.
    expect(entries.map((e) => e.type)).toEqual(['message_received', 'clicked', 'followed', 'created']);
  });
});

describe('effects after the batch are durable', () => {
  /** The effect jobs that the follow of this LINE user left, by name. */
  const effectJobs = (userId: string) =>
    env.runtime.db.ownerTransaction((owner) =>
      owner.query<{ name: string; state: string; output: unknown }>(`select j.name, j.state, j.output from pgboss.job j join line_webhook_inbox i on i.id::text = j.data->>'eventId' where i.line_user_id = $1 order by j.name`, [userId]),
    );
  /** Waits for the worker process to settle every job (retries included), then this user's effect jobs must be done. */
  const welcomeDone = async (userId: string) => {
    // The API process writes its wake-up after answering LINE: once it is written, the worker's queue has the work.
    await env.runtime.queue.soonSent();
    await worker!.queue.drain();
    expect((await effectJobs(userId)).map(({ name, state }) => ({ name, state }))).toEqual([
      { name: 'line.fetch-profile', state: 'completed' },
      { name: 'line.send-welcome', state: 'completed' },
    ]);
  };
  // A retry waits for its backoff (1–2 s) and the next look for jobs (every 5 s for these queues).
  const RETRYING = 30_000;
  const welcomes = (userId: string) => sim.sim.inbox(LINE.channelId, userId).filter((m) => JSON.stringify(m).includes('歡迎加入工人飯店'));

  it('a worker that dies after committing a follow leaves the profile and welcome to the queue: each happens once', async () => {
    const [friend] = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'survivor', state: 'none' });
    expect((await sim.sim.follow(LINE.channelId, friend!.userId)).delivery?.status).toBe(200);
    // The batch commits; the process "dies" before any LINE call (no worker is running the queue).
    expect(await env.runtime.lineEvents.drain(tenant.tenantId)).toBe(1);
    const [before] = await friendOf(friend!.userId);
    expect(before).toMatchObject({ line_status: 'following', line_display_name: null });
    expect(welcomes(friend!.userId)).toHaveLength(0);
    expect((await effectJobs(friend!.userId)).map(({ name, state }) => ({ name, state }))).toEqual([
      { name: 'line.fetch-profile', state: 'created' },
      { name: 'line.send-welcome', state: 'created' },
    ]);
    // By the time another worker runs them, the reply token has expired: the welcome is pushed with the event's key.
    sim.sim.advanceClock(5 * 60_000);
    await startWorker();
    await welcomeDone(friend!.userId);
    expect((await friendOf(friend!.userId))[0]!.line_display_name).toBe(friend!.displayName);
    expect(welcomes(friend!.userId)).toHaveLength(1);
    const [event] = await env.runtime.db.ownerTransaction((owner) => owner.query<{ webhook_event_id: string }>(`select webhook_event_id from line_webhook_inbox where line_user_id = $1 and event_type = 'follow'`, [friend!.userId]));
    const pushes = sim.sim.deliveries(LINE.channelId, { textContains: '歡迎加入工人飯店' }).sends.filter((s) => s.endpoint === 'push');
    expect(pushes.filter((s) => s.retryKey === welcomeRetryKey(tenant.tenantId, event!.webhook_event_id))).toHaveLength(1);
  });

  it('a welcome whose reply fails (LINE answers 500) is pushed on the retry, once', { timeout: RETRYING }, async () => {
    await startWorker();
    sim.sim.updateChannel(LINE.channelId, { faults: { endpoints: [REPLY], errorRate: 1 } });
    try {
      const [friend] = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'unlucky', state: 'none' });
      expect((await sim.sim.follow(LINE.channelId, friend!.userId)).delivery?.status).toBe(200);
      await welcomeDone(friend!.userId);
      expect(welcomes(friend!.userId)).toHaveLength(1);
      expect(sim.sim.counters(LINE.channelId).requests[REPLY]?.statuses['500']).toBeGreaterThanOrEqual(1);
    } finally {
      sim.sim.updateChannel(LINE.channelId, { faults: { endpoints: null, errorRate: 0 } });
    }
  });

  it('a pushed welcome whose answer is lost is retried with the same key and not sent again', { timeout: RETRYING }, async () => {
    await startWorker();
    const conflicts = sim.sim.counters(LINE.channelId).retryKeyConflicts;
    sim.sim.updateChannel(LINE.channelId, { faults: { endpoints: [PUSH], dropAfterAcceptRate: 1 } });
    try {
      const [friend] = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'lost-answer', state: 'friend' });
      // A follow whose reply token LINE no longer accepts (400): the welcome goes out as a push at once.
      expect(await postEvents([followEvent('01JLOSTANSWER0000000000001', friend!.userId, Date.now())])).toBe(200);
      await welcomeDone(friend!.userId);
      expect(sim.sim.counters(LINE.channelId).retryKeyConflicts).toBe(conflicts + 1);
      expect(welcomes(friend!.userId)).toHaveLength(1);
    } finally {
      sim.sim.updateChannel(LINE.channelId, { faults: { endpoints: null, dropAfterAcceptRate: 0 } });
    }
  });
});

describe('a lost wake-up', () => {
  it('events whose wake-up was lost (the API died after its commit) are drained after the sweep finds them', async () => {
    const userId = `U${'7'.repeat(30)}99`;
    // No worker may see the wake-up before it is deleted: a running one could take it, and the queue's drain() would
    // then return while that job's drain (its row gone) still held the event (the CI failure of 2026-12-06).
    await worker?.queue.stop();
    worker = undefined;
    expect(await postEvents([messageEvent('01JLOSTWAKE000000000000001', userId, Date.now(), '沒人叫醒')])).toBe(200);
    await env.runtime.queue.soonSent();
    // As if the process had died between the commit and the wake-up: no wake-up of this tenant exists.
    await env.runtime.db.ownerTransaction((owner) => owner.exec(`delete from pgboss.job where name = 'line.drain-inbox' and singleton_key = '${tenant.tenantId}'`));
    await startWorker();
    await worker!.queue.enqueueNow({ name: 'line.sweep-inbox', schema: z.strictObject({}) }, {});
    await worker!.queue.drain();
    expect(await inboxRow('01JLOSTWAKE000000000000001')).toMatchObject([{ status: 'processed' }]);
    expect((await timeline((await friendOf(userId))[0]!.id)).map((e) => e.details.text)).toContain('沒人叫醒');
  });
});
