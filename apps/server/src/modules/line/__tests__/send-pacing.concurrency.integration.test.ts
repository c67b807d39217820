import { randomUUID } from 'node:crypto';
import { startSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs } from '../../../../test/api-client.ts';
import { TEST_LOGIN_ROLE, withDatabaseName, withUser } from '../../../../test/database.ts';
import { createTestTenant, startTestEnv, type TestEnv } from '../../../../test/harness.ts';
import { openDatabase, queryRows, type Database } from '../../../core/db/database.ts';
import { asTenantId } from '../../../core/ids.ts';
import { createLineSender, createSendPacing, type SendingChannel, type SendOutcome } from '../index.ts';
import { connectSimulatedChannel } from './simulated-channel.ts';

/**
 * LINE's rate limits are per channel, whatever number of worker processes send: the pace is kept in the database and
 * shared. Each "process" here has its own connection pool on the same database (on PostgreSQL; PGlite has one).
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let channel: SendingChannel;
let guests: string[];
const processes: Database[] = [];
const LINE = { channelId: '2007400001', channelSecret: '2468ace013579bdf'.repeat(2), channelAccessToken: 'test-access-token-for-the-pacing-0001', loginChannelId: '2007400002' };
const MULTICAST = 'POST /v2/bot/message/multicast';

/** Another process's pool on the test database (PostgreSQL), or the same database (PGlite runs in this process). */
async function anotherProcess(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return env.runtime.db;
  const [row] = await env.runtime.db.withTenant(asTenantId(channel.tenantId), (tx) => queryRows<{ name: string }>(tx, sql`select current_database() as name`));
  const db = await openDatabase({ engine: 'postgres', connectionString: withDatabaseName(url, row!.name), appConnectionString: withUser(withDatabaseName(url, row!.name), TEST_LOGIN_ROLE), poolSize: 5 });
  processes.push(db);
  return db;
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 'innkeeper-pacing-test' });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  const url = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const tenant = await createTestTenant(env);
  const admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  const connected = await connectSimulatedChannel(admin, sim, url, LINE, { hotel: '節流飯店', basicId: '@pacing-hotel', propertyId: tenant.propertyIds[0]!, welcomeMessage: '歡迎！' });
  channel = { tenantId: tenant.tenantId, id: connected.id, accessToken: LINE.channelAccessToken };
  guests = sim.sim.addFriends(LINE.channelId, { count: 3, seed: 'pacing-guests' }).map((f) => f.userId);
});
afterAll(async () => {
  for (const db of processes) await db.close();
  await env.close();
  await sim.close();
});

describe('one pace per channel, shared by every worker process', () => {
  it(`[concurrency] 45 reservations from three processes at once get 45 distinct slots, one interval apart (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, async () => {
    const pools = [env.runtime.db, await anotherProcess(), await anotherProcess()];
    const pace = { multicast: { perSecond: 100, burst: 1 } };
    const slots = await Promise.all(pools.flatMap((db) => Array.from({ length: 15 }, () => createSendPacing({ db, pace, maxWaitMs: 60_000 }).reserve(channel, 'multicast'))));
    const times = slots.map((slot) => ('slotAt' in slot ? slot.slotAt : Number.NaN)).sort((a, b) => a - b);
    expect(times.every(Number.isFinite)).toBe(true);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 10 ms apart at 100/s (to the microsecond the database keeps); never two in one slot.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(9.99);
  });

  it('[concurrency] a sender that would wait longer than it may reserves nothing and hears how long the channel is booked', async () => {
    const pacing = createSendPacing({ db: env.runtime.db, pace: { push: { perSecond: 0.1, burst: 2 } }, maxWaitMs: 15_000 });
    const slots = await Promise.all(Array.from({ length: 6 }, () => pacing.reserve(channel, 'push')));
    const granted = slots.filter((s) => 'waitMs' in s);
    const refused = slots.filter((s) => 'busyForMs' in s);
    // A burst of 2 goes at once, one more 10 s later (within the 15 s it may wait); the rest are told to come back.
    expect(granted).toHaveLength(3);
    expect(refused).toHaveLength(3);
    for (const s of refused) expect((s as { busyForMs: number }).busyForMs).toBeGreaterThan(5000);
  });

  it(`[concurrency] two workers multicasting at once stay within LINE’s limit when paced, and do not when they are not`, async () => {
    // LINE's limit for this channel: 40 multicasts a second with a burst of 4. Innkeeper paces at a quarter of it, so
    // only a send held up by ~300 ms (a starved event loop on a shared machine) could meet a 429; twelve at once do.
    sim.sim.updateChannel(LINE.channelId, { rateLimits: { enabled: true, overrides: { [MULTICAST]: { limit: 40, periodMs: 1000, capacity: 4 } } } });
    const pace = { multicast: { perSecond: 10, burst: 1 } };
    const workers = [env.runtime.db, await anotherProcess()].map((db) => createLineSender({ lineApi: env.runtime.lineApi, pacing: createSendPacing({ db, pace, maxWaitMs: 60_000 }) }));
    const send = (sender: ReturnType<typeof createLineSender>, n: number) => sender.multicast(channel, { to: guests, messages: [{ type: 'text', text: `分批 ${n}` }], retryKey: randomUUID(), customAggregationUnits: ['paced_campaign'] });
    const paced: SendOutcome[] = await Promise.all(workers.flatMap((sender, w) => Array.from({ length: 6 }, (_, i) => send(sender, w * 6 + i))));
    expect(paced.map((o) => o.kind)).toEqual(Array(12).fill('accepted'));
    expect(sim.sim.counters(LINE.channelId).requests[MULTICAST]?.statuses).toEqual({ 200: 12 });
    expect(sim.sim.unitDeliveries(LINE.channelId, 'paced_campaign').deliveries).toBe(12 * guests.length);

    const unpaced = createLineSender({ lineApi: env.runtime.lineApi });
    const rushed = await Promise.all(Array.from({ length: 12 }, (_, i) => send(unpaced, 100 + i)));
    expect(rushed.some((o) => o.kind === 'retryable' && o.reason === 'rate_limited')).toBe(true);
  });

  it('[concurrency] requests held up by a stalled event loop leave one interval apart as they actually leave, not together', async () => {
    // 50 a second: a slot every 20 ms. Six multicasts reserve together; as the second leaves, the event loop stalls for
    // 300 ms (a long GC, a heavy chunk of work), so the last four slots are overdue when it comes back. Woken by their
    // own timers they would all leave in that one turn, and a small bucket at LINE would refuse most of them.
    // What is asserted is when they leave (below). LINE's own limit as the simulator keeps it (200 a second, a bucket
    // of 10), not the previous test's small one (40, 4): this test's simulator runs in the test's own process, whose
    // event loop the stall (and a busy CI machine) also holds up, so it may read requests that left apart together.
    sim.sim.updateChannel(LINE.channelId, { rateLimits: { enabled: true, overrides: { [MULTICAST]: { limit: 200, periodMs: 1000, capacity: 10 } } } });
    const pace = { multicast: { perSecond: 50, burst: 1 } };
    // LINE's side starts afresh: the test before rushed twelve multicasts at the same three guests, and on a busy
    // machine its empty bucket or the guests' recent deliveries could still refuse this test's first request (CI).
    const reset = await fetch(`${sim.url}/_sim/channels/${LINE.channelId}/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keepFriends: true }) });
    expect(reset.ok).toBe(true);
    const departures: number[] = [];
    const stalling = {
      ...env.runtime.lineApi,
      messaging(token: string) {
        departures.push(performance.now());
        if (departures.length === 2) for (const until = performance.now() + 300; performance.now() < until; );
        return env.runtime.lineApi.messaging(token);
      },
    };
    const sender = createLineSender({ lineApi: stalling, pacing: createSendPacing({ db: env.runtime.db, pace, maxWaitMs: 60_000 }) });
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => sender.multicast(channel, { to: guests, messages: [{ type: 'text', text: `停頓 ${i}` }], retryKey: randomUUID() })));
    expect(outcomes.map((o) => o.kind)).toEqual(Array(6).fill('accepted'));
    const overdue = departures.slice(2);
    expect(overdue).toHaveLength(4);
    // Two may leave together after the stall (the gate's tolerance of one interval), never three; less 1 ms for the
    // millisecond clock the gate keeps.
    for (let i = 0; i + 2 < overdue.length; i++) expect(overdue[i + 2]! - overdue[i]!).toBeGreaterThanOrEqual(19);
    expect(overdue.at(-1)! - overdue[0]!).toBeGreaterThanOrEqual(39);
  });

  it('[concurrency] a process whose requests were held back books its next slots after them, so other processes’ slots are not among them', async () => {
    // A process's clock stands still (its timers never fire by themselves): its five requests reserved at 100/s wait in
    // its gate while 2 s pass on that clock, as in a stalled process. Its next reservation must start after them (the
    // five leave one interval apart from then), and the slot another process reserves next comes after that.
    let localNow = 0;
    const due: Array<{ at: number; fn: () => void }> = [];
    const timers = { now: () => localNow, setTimeout: (fn: () => void, ms: number) => void due.push({ at: localNow + ms, fn }) };
    const pace = { push: { perSecond: 100, burst: 1 } };
    const stalled = createSendPacing({ db: env.runtime.db, pace, maxWaitMs: 60_000, timers });
    const held = await Promise.all(Array.from({ length: 5 }, () => stalled.reserve(channel, 'push')));
    // The channel's push slots may be booked ahead by the tests before: the stall is counted from the last one. Its
    // clock read 0 when the database's read about now (one machine, one clock).
    const reservedAt = Date.now();
    const slotsAt = held.map((s) => ('slotAt' in s ? s.slotAt : Number.NaN));
    expect(slotsAt.every(Number.isFinite)).toBe(true);
    const departed: number[] = [];
    for (const slot of held) void stalled.depart(channel, 'push', slot as { slotAt: number }).then(() => departed.push(localNow));
    await new Promise((r) => setImmediate(r));
    // 2 s after the last slot on the stalled process's clock, one timer fires: one request leaves (with a second, its
    // tolerance); three wait.
    localNow = Math.max(localNow, slotsAt.at(-1)! - reservedAt) + 2000;
    const stalledAt = localNow;
    for (const timer of due.splice(0)) timer.fn();
    await new Promise((r) => setImmediate(r));
    expect(departed.filter((t) => t === stalledAt).length).toBeLessThanOrEqual(2);
    expect(departed.length).toBeLessThan(5);
    const next = await stalled.reserve(channel, 'push');
    const other = await createSendPacing({ db: env.runtime.db, pace, maxWaitMs: 60_000 }).reserve(channel, 'push');
    expect('slotAt' in next && 'slotAt' in other).toBe(true);
    const nextAt = (next as { slotAt: number }).slotAt;
    // Booked after the held-back requests: ~2 s after the fifth slot (plus what is left of the five), not one interval
    // after it as the row alone would have it.
    expect(nextAt - slotsAt.at(-1)!).toBeGreaterThanOrEqual(1900);
    expect((other as { slotAt: number }).slotAt).toBeGreaterThan(nextAt);
  });
});
