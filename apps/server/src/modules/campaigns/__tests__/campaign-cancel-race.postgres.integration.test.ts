import { randomUUID } from 'node:crypto';
import { startSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { TEST_LOGIN_ROLE, withDatabaseName, withUser } from '../../../../test/database.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { createRuntime, type Runtime } from '../../../app/runtime.ts';
import { systemContext } from '../../../core/context.ts';
import { openDatabase, queryRows, type Database, type Tx } from '../../../core/db/database.ts';
import { aggregationUnitOf } from '../index.ts';

/**
 * The attack review's last question: do a cancellation's outcomes and the weekly cap's lock hold when staff and two
 * worker processes act on the same campaigns at the same moment? On PostgreSQL (TEST_DATABASE_URL), where the
 * requests' and the workers' transactions really overlap:
 *  - a cancel racing the approval, and a cancel landing while batches are on their way to LINE, end the campaign
 *    cancelled with every guest either sent it once (LINE accepted their batch) or recorded as not sent because it
 *    was cancelled, never queued, failed or sent twice, and the simulator's per-guest counts say the same;
 *  - with a weekly cap of one push, the guests a cancellation left unsent are not counted at the cap (the next
 *    campaign reaches them), those who got it are; and two campaigns started at once by two workers, one of them
 *    cancelled meanwhile, never give a guest two pushes.
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let admin: ApiClient;
let second: Runtime;
const pools: Database[] = [];
let guests: string[];
const GUESTS = 1200;
/** Called on each simulated round trip to LINE (its latency): lets a test act while a send is in flight. */
let onRoundTrip: (() => Promise<void>) | undefined;
const LINE = { channelId: '2007900001', channelSecret: '2468ace013579bdf'.repeat(2), channelAccessToken: 'test-access-token-for-cancel-races-1', loginChannelId: '2007900002' };

async function anotherPool(): Promise<Database> {
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ name: string }>(tx, sql`select current_database() as name`));
  const url = process.env.TEST_DATABASE_URL!;
  const db = await openDatabase({ engine: 'postgres', connectionString: withDatabaseName(url, row!.name), appConnectionString: withUser(withDatabaseName(url, row!.name), TEST_LOGIN_ROLE), poolSize: 5 });
  pools.push(db);
  return db;
}

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: 'innkeeper-cancel-races',
    rateLimitBurstMs: null,
    strictHttps: false,
    sleep: async (ms) => {
      await onRoundTrip?.();
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
  });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  expect(env.engine).toBe('postgres');
  await env.runtime.queue.start({ work: false });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  sim.sim.createChannel({ ...LINE, displayName: '取消競速飯店', basicId: '@cancel-races' });
  const created = await admin.post('/api/line/channels', { name: '集團 LINE', propertyId: null, channelId: LINE.channelId, channelSecret: LINE.channelSecret, accessToken: LINE.channelAccessToken, welcomeMessage: '' });
  expect((await admin.post(`/api/line/channels/${created.body.id}/verify`)).status).toBe(200);
  guests = sim.sim.addFriends(LINE.channelId, { count: GUESTS, seed: 'cancel-races' }).map((f) => f.userId);
  await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    for (const [i, lineUserId] of guests.entries()) {
      await tx.execute(sql`insert into members (tenant_id, id, member_no, marketing_opt_in, line_user_id, line_status) values (${tenant.tenantId}, ${randomUUID()}, ${`R${i}`}, true, ${lineUserId}, 'following')`);
    }
  });
  expect((await admin.request('PUT', '/api/campaign-settings', { weeklyCap: 1, quietHours: null })).status).toBe(200);
  second = await createRuntime(env.config, { db: await anotherPool(), clock: env.runtime.clock, keyring: env.runtime.keyring, logger: pino({ level: 'silent' }), lineBaseUrl: () => sim.url, queueDriver: 'inline' });
  await second.queue.start({ work: false });
}, 180_000);
afterAll(async () => {
  await second?.queue.stop();
  for (const db of pools) await db.close();
  await env?.close();
  await sim?.close();
});

const workers = () => [env.runtime, second];
const inTenant = <T>(work: (tx: Tx) => Promise<T>) => env.runtime.db.withTenant(tenant.tenantId, work);

async function draft(name: string): Promise<{ id: string; version: number }> {
  const created = await admin.post('/api/campaigns', { name, propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: `${name}：限時優惠` }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; version: number };
}

/** Both workers run the due job at once (each claims what the other has not locked). */
async function startOnBothWorkers(): Promise<string[]> {
  const started = await Promise.all(workers().map((w) => w.db.withTenant(tenant.tenantId, (tx) => w.campaignDelivery.startDueCampaigns(systemContext(tx, tenant.tenantId, 'test')))));
  return started.flat();
}

/**
 * Every queued batch of the campaign, run by both workers, each taking them one after another from its own end (the
 * first in order, the second from the last), retried as the queue would while LINE says later.
 */
async function sendOnBothWorkers(campaignId: string): Promise<void> {
  const batches = await inTenant((tx) => queryRows<{ batch_no: number }>(tx, sql`select batch_no from campaign_batches where campaign_id = ${campaignId} and status = 'queued' order by batch_no`));
  const run = async (w: Runtime, batchNo: number) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await w.campaignDelivery.sendBatch({ tenantId: tenant.tenantId, campaignId, batchNo }, attempt);
      } catch (error) {
        if (attempt >= 10) throw error;
      }
    }
  };
  const [first, other] = workers() as [Runtime, Runtime];
  const inTurn = async (w: Runtime, order: typeof batches) => {
    for (const b of order) await run(w, b.batch_no);
  };
  await Promise.all([inTurn(first, batches), inTurn(other, [...batches].reverse())]);
  // The jobs the start queued find their batches settled (or cancelled) and send nothing.
  await Promise.all(workers().map((w) => w.queue.drain()));
}

async function outcomes(campaignId: string) {
  const rows = await inTenant((tx) => queryRows<{ line_user_id: string; status: string; reason: string }>(tx, sql`select line_user_id, status, reason from campaign_recipient_outcomes where campaign_id = ${campaignId}`));
  const batches = await inTenant((tx) => queryRows<{ status: string; recipients: number }>(tx, sql`select status, recipients from campaign_batches where campaign_id = ${campaignId}`));
  const accepted = rows.filter((r) => r.status === 'accepted').map((r) => r.line_user_id);
  const byOutcome: Record<string, number> = {};
  for (const r of rows) byOutcome[`${r.status}:${r.reason}`] = (byOutcome[`${r.status}:${r.reason}`] ?? 0) + 1;
  return { rows, batches, accepted, byOutcome };
}

/** The simulator's count agrees with the outcomes: each guest recorded as sent got it exactly once, nobody else did. */
function expectDeliveredExactlyTo(campaignId: string, accepted: string[]): void {
  const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(campaignId), { audience: accepted });
  expect(counted.audience).toEqual({ size: accepted.length, missing: [], undeliverable: [], unexpected: [] });
  expect(counted.duplicates).toEqual([]);
}

const statusOf = async (id: string) => (await admin.get(`/api/campaigns/${id}`)).body.status as string;
const auditCount = async (action: string, id: string) => ((await admin.get(`/api/audit-log?action=${action}&targetId=${id}`)).body.data as unknown[]).length;

describe('cancellations and the weekly cap under concurrent staff and workers (PostgreSQL)', () => {
  it('a cancel racing the approval: cancelled either way, nothing sent, one audit entry each', async () => {
    for (let round = 0; round < 4; round += 1) {
      const c = await draft(`競速取消 ${round}`);
      const [approved, cancelled] = await Promise.all([admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, now: true }), admin.post(`/api/campaigns/${c.id}/cancel`)]);
      // The approval lost (the draft was cancelled first) or won and was cancelled after: never both refused.
      expect([approved.status === 200 || approved.status === 409, cancelled.status]).toEqual([true, 200]);
      await startOnBothWorkers();
      await sendOnBothWorkers(c.id);
      expect(await statusOf(c.id)).toBe('cancelled');
      expect([await auditCount('campaign.cancelled', c.id), await auditCount('campaign.scheduled', c.id)]).toEqual([1, approved.status === 200 ? 1 : 0]);
      const { rows, accepted } = await outcomes(c.id);
      expect(rows.filter((r) => r.status === 'queued' || r.status === 'failed')).toEqual([]);
      expectDeliveredExactlyTo(c.id, accepted);
      expect(accepted).toEqual([]);
    }
  }, 180_000);

  it('a cancel while batches are on their way to LINE: each guest sent once or recorded as not sent; the cap counts only the sent', async () => {
    const c = await draft('發送中取消');
    expect((await admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, now: true })).status).toBe(200);
    expect(await startOnBothWorkers()).toEqual([c.id]);
    // The second request to reach LINE sets off the cancellation, and both wait for it: it commits while the first
    // batch of each worker (batch 1, and batch 3 from the other end) is at LINE, and before either takes up batch 2.
    // (Set off by the first request, on a loaded machine the other worker's batch 3 sometimes had not left yet and
    // was stopped too: a right outcome, but not the one this test is about. CI, 2026-12-07.)
    sim.sim.updateChannel(LINE.channelId, { faults: { latencyMs: 80 } });
    let cancel: ReturnType<ApiClient['post']> | undefined;
    let atLine = 0;
    let bothAtLine!: () => void;
    const bothArrived = new Promise<void>((resolve) => (bothAtLine = resolve));
    onRoundTrip = async () => {
      atLine += 1;
      if (atLine === 2) bothAtLine();
      await bothArrived;
      cancel ??= admin.post(`/api/campaigns/${c.id}/cancel`);
      await cancel;
    };
    try {
      await sendOnBothWorkers(c.id);
    } finally {
      onRoundTrip = undefined;
      sim.sim.updateChannel(LINE.channelId, { faults: { latencyMs: 0 } });
    }
    expect((await cancel!).status).toBe(200);
    expect(await statusOf(c.id)).toBe('cancelled');
    const sent = await outcomes(c.id);
    // Two outcomes only: the batches at LINE went out and are recorded sent (500 + 200); the one not yet taken up was
    // stopped, its 500 guests recorded as not sent because the campaign was cancelled.
    expect(sent.byOutcome).toEqual({ 'accepted:': 700, 'skipped:cancelled': 500 });
    for (const b of sent.batches) expect(['accepted', 'cancelled']).toContain(b.status);
    expect(sent.batches.filter((b) => b.status === 'accepted').reduce((n, b) => n + b.recipients, 0)).toBe(sent.accepted.length);
    expectDeliveredExactlyTo(c.id, sent.accepted);
    // The progress says the same: nothing failed, the unsent ones counted as cancelled.
    const progress = (await admin.get(`/api/campaigns/${c.id}/progress`)).body;
    expect(progress).toMatchObject({ status: 'cancelled', queued: 0, failed: 0, accepted: sent.accepted.length, cancelled: GUESTS - sent.accepted.length });

    // The next campaign the same week, cap one: the guests who got the cancelled one are capped, those it never
    // reached are not (a cancelled outcome does not count as a push).
    const next = await draft('取消後的下一檔');
    expect((await admin.post(`/api/campaigns/${next.id}/schedule`, { version: next.version, now: true })).status).toBe(200);
    expect(await startOnBothWorkers()).toEqual([next.id]);
    await sendOnBothWorkers(next.id);
    const after = await outcomes(next.id);
    expect(new Set(after.accepted)).toEqual(new Set(sent.rows.filter((r) => r.reason === 'cancelled').map((r) => r.line_user_id)));
    expect(after.byOutcome['skipped:capped'] ?? 0).toBe(sent.accepted.length);
    expectDeliveredExactlyTo(next.id, after.accepted);
  }, 180_000);

  it('two campaigns started at once by two workers, one cancelled meanwhile: no guest gets two pushes', async () => {
    // A new week: last week's pushes no longer count.
    env.clock.advanceMinutes(8 * 24 * 60);
    admin = await signedInAs(env, tenant.adminEmail, tenant.password);
    const [p, q] = [await draft('同時開跑 甲'), await draft('同時開跑 乙')];
    const approvals = await Promise.all([p, q].map((c) => admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, now: true })));
    expect(approvals.map((a) => a.status)).toEqual([200, 200]);
    const [started, cancelled] = await Promise.all([startOnBothWorkers(), admin.post(`/api/campaigns/${p.id}/cancel`)]);
    expect(started.filter((id) => id === q.id)).toEqual([q.id]);
    await Promise.all([sendOnBothWorkers(p.id), sendOnBothWorkers(q.id)]);
    // Either the cancel reached 甲 first (cancelled), or 甲 started after 乙, found every guest at the week's cap of one,
    // and was over before the cancel came (sent to nobody; the cancel of a finished campaign is a 409). Both happen
    // under load; in neither may a guest get two pushes.
    if (cancelled.status === 200) expect(await statusOf(p.id)).toBe('cancelled');
    else {
      expect(cancelled.status).toBe(409);
      expect(await statusOf(p.id)).toBe('sent');
      expect((await outcomes(p.id)).byOutcome).toEqual({ 'skipped:capped': GUESTS });
    }
    expect(await statusOf(q.id)).toBe('sent');
    const [ofP, ofQ] = [await outcomes(p.id), await outcomes(q.id)];
    expectDeliveredExactlyTo(p.id, ofP.accepted);
    expectDeliveredExactlyTo(q.id, ofQ.accepted);
    // The cap's lock: whichever started first, a guest is sent at most one of the two, and nobody is left queued.
    const both = ofP.accepted.filter((id) => ofQ.accepted.includes(id));
    expect(both).toEqual([]);
    expect([...ofP.rows, ...ofQ.rows].filter((r) => r.status === 'queued' || r.status === 'failed')).toEqual([]);
    // The cancelled one sent nothing: it was cancelled before its batches could go (no latency, but no send ran yet).
    expect(ofP.accepted).toEqual([]);
  }, 180_000);
});
