import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { systemContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { aggregationUnitOf, LOST_BATCH_AFTER_MS } from '../index.ts';
import { scheduledCampaign as scheduledCampaignOf, startDueCampaigns, startFriendsHotel, type Sim } from './friends-hotel.ts';

/**
 * A campaign never hangs on a lost job: a queued batch whose job is gone from the queue (expired on its last run, a
 * handler that kept failing, rows lost) is queued again by the sweep with its stored retry key, and each guest is
 * still counted once by the simulator, per guest under the campaign's aggregation unit (never per retry key).
 */
let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let admin: ApiClient;
let guests: string[];
const LINE = { channelId: '2007700001', channelSecret: '0f1e2d3c4b5a6978'.repeat(2), channelAccessToken: 'test-access-token-for-lost-batches-01', loginChannelId: '2007700002' };
const SLOW = 120_000;

async function scheduledCampaign(text: string): Promise<string> {
  // A fresh sign-in: the sweeps move the clock on past the session's idle timeout.
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  return scheduledCampaignOf(admin, text);
}

const startDue = () => startDueCampaigns({ env, tenant });
const sweep = () => env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.campaignDelivery.sweepLostBatches(systemContext(tx, tenant.tenantId, 'test')));
/** The queue loses the campaign's batch jobs (as when pg-boss dropped or expired them for good). */
const loseJobs = (campaignId: string) =>
  env.runtime.db.ownerTransaction((owner) => owner.query(`delete from pgboss.job where name = 'campaigns.send-batch' and singleton_key like $1 returning id`, [`${campaignId}:%`]));
const batches = (campaignId: string) =>
  env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ batch_no: number; status: string; requeues: number; message: string }>(tx, sql`select batch_no, status, requeues, message from campaign_batches where campaign_id = ${campaignId} order by batch_no`));
const status = async (campaignId: string) => {
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ status: string; status_reason: string; status_params: unknown }>(tx, sql`select status, status_reason, status_params from campaigns where id = ${campaignId}`));
  return row!;
};
const afterTheBound = () => env.clock.advanceMinutes(LOST_BATCH_AFTER_MS / 60_000 + 1);

beforeAll(async () => {
  ({ sim, env, tenant, admin, guests } = await startFriendsHotel({ seed: 'lost-batches', line: LINE, displayName: '遺失飯店', basicId: '@lost-batches', count: 1100, memberNoPrefix: 'L' }));
}, SLOW);
afterAll(async () => {
  await env?.close();
  await sim?.close();
});

describe('the sweep for lost batch jobs', () => {
  it('leaves a batch whose job is still in the queue alone, however long it waits', async () => {
    const id = await scheduledCampaign('還在排隊的批次');
    expect(await startDue()).toEqual([id]);
    afterTheBound();
    // Quiet for longer than the bound, but the queue still holds each batch's job: nothing is queued twice.
    expect(await sweep()).toEqual({ requeued: 0, failed: 0, finished: 0 });
    await env.runtime.queue.drain();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: guests });
    expect(counted.audience).toEqual({ size: 1100, missing: [], undeliverable: [], unexpected: [] });
    expect(counted.exactlyOnce).toBe(true);
    expect((await status(id)).status).toBe('sent');
  }, SLOW);

  it('queues a lost job’s batch again, not before the bound, and each guest gets the campaign once', async () => {
    const id = await scheduledCampaign('遺失的工作');
    await startDue();
    expect((await loseJobs(id)).length).toBe(3);
    // Lost, but not quiet for long yet: a job that was just queued may not be visible to the sweep's transaction.
    expect(await sweep()).toEqual({ requeued: 0, failed: 0, finished: 0 });
    await env.runtime.queue.drain();
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(0);
    expect((await status(id)).status).toBe('sending');
    afterTheBound();
    expect(await sweep()).toEqual({ requeued: 3, failed: 0, finished: 0 });
    // A second sweep at once finds them queued (their jobs live, their batches touched): nothing twice.
    expect(await sweep()).toEqual({ requeued: 0, failed: 0, finished: 0 });
    await env.runtime.queue.drain();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: guests });
    expect(counted.audience).toEqual({ size: 1100, missing: [], undeliverable: [], unexpected: [] });
    expect(counted.exactlyOnce).toBe(true);
    expect((await batches(id)).map((b) => [b.status, b.requeues])).toEqual([['accepted', 1], ['accepted', 1], ['accepted', 1]]);
    expect((await status(id)).status).toBe('sent');
  }, SLOW);

  it('a batch LINE accepted before its job was lost is sent again with its stored key: 409, recorded sent, nobody twice', async () => {
    const id = await scheduledCampaign('送出後才遺失');
    await startDue();
    // A worker sends batch 1 with its stored key, LINE accepts it, and the worker dies before it records the outcome.
    const { channel, key, to } = await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
      const [batch] = await queryRows<{ retry_key: string }>(tx, sql`select retry_key from campaign_batches where campaign_id = ${id} and batch_no = 1`);
      const rows = await queryRows<{ line_user_id: string }>(tx, sql`select line_user_id from campaign_recipients where campaign_id = ${id} and batch_no = 1 order by member_id`);
      return { channel: await env.runtime.campaignDelivery.channelFor(systemContext(tx, tenant.tenantId, 'test'), { propertyId: null }), key: batch!.retry_key, to: rows.map((r) => r.line_user_id) };
    });
    const sent = await env.runtime.lineSender.multicast(channel!, { to, messages: [{ type: 'text', text: '送出後才遺失' }], retryKey: key, customAggregationUnits: [aggregationUnitOf(id)], attempt: 1 });
    expect(sent.kind).toBe('accepted');
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(500);
    await loseJobs(id);
    afterTheBound();
    const conflictsBefore = sim.sim.counters(LINE.channelId).retryKeyConflicts;
    expect(await sweep()).toEqual({ requeued: 3, failed: 0, finished: 0 });
    await env.runtime.queue.drain();
    expect(sim.sim.counters(LINE.channelId).retryKeyConflicts).toBeGreaterThan(conflictsBefore);
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: guests });
    expect(counted.audience).toEqual({ size: 1100, missing: [], undeliverable: [], unexpected: [] });
    expect(counted.exactlyOnce).toBe(true);
    expect((await batches(id))[0]).toMatchObject({ status: 'accepted', message: 'already accepted (409)' });
    expect((await status(id)).status).toBe('sent');
  }, SLOW);

  it('a paused campaign’s batches are the resume’s, not the sweep’s', async () => {
    const id = await scheduledCampaign('暫停中不掃');
    await startDue();
    expect((await admin.post(`/api/campaigns/${id}/pause`, {})).status).toBe(200);
    await loseJobs(id);
    afterTheBound();
    expect(await sweep()).toEqual({ requeued: 0, failed: 0, finished: 0 });
    admin = await signedInAs(env, tenant.adminEmail, tenant.password);
    expect((await admin.post(`/api/campaigns/${id}/resume`, {})).body.status).toBe('sending');
    await env.runtime.queue.drain();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: guests });
    expect([counted.audience?.missing, counted.exactlyOnce]).toEqual([[], true]);
  }, SLOW);

  it('a batch lost again and again is failed with the reason, and its campaign ends', async () => {
    const id = await scheduledCampaign('一再遺失');
    await startDue();
    for (let sweepNo = 1; sweepNo <= 3; sweepNo++) {
      await loseJobs(id);
      afterTheBound();
      expect(await sweep()).toEqual({ requeued: 3, failed: 0, finished: 0 });
    }
    await loseJobs(id);
    afterTheBound();
    expect(await sweep()).toEqual({ requeued: 0, failed: 3, finished: 0 });
    expect((await batches(id)).map((b) => [b.status, b.message])).toEqual([1, 2, 3].map(() => ['failed', 'its job was lost 4 times; whether LINE accepted it is unknown']));
    // Innkeeper's own failure is a cause the screens translate, with no English "LINE message" under it.
    expect(await status(id)).toEqual({ status: 'failed', status_reason: 'recipients_failed', status_params: { failed: 1100, attempted: 1100, cause: 'job_lost' } });
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(0);
  }, SLOW);
});
