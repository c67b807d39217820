import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { queryRows, type Tx } from '../../../core/db/database.ts';
import { systemContext } from '../../../core/context.ts';
import { cappedMembers } from '../campaign-delivery.repository.ts';
import { aggregationUnitOf } from '../index.ts';
import { scheduledCampaign as scheduledCampaignOf, startDueCampaigns, startFriendsHotel, type Sim } from './friends-hotel.ts';

/**
 * A campaign's outcome is settled per batch (migration 0055): settling a batch writes its batch row, not its five
 * hundred recipients, whose rows stay queued and whose outcome is their batch's (campaign_recipient_outcomes). And a
 * batch's recipients are a range of members read through the recipients' primary key: a guest merged into another
 * record while their batch waits is still in it, and still gets the campaign once.
 */
let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let admin: ApiClient;
let guests: string[];
const LINE = { channelId: '2007700101', channelSecret: '1f2e3d4c5b6a7988'.repeat(2), channelAccessToken: 'test-access-token-for-outcomes-per-batch', loginChannelId: '2007700102' };
const SLOW = 120_000;

const scheduledCampaign = (text: string) => scheduledCampaignOf(admin, text);
const startDue = () => startDueCampaigns({ env, tenant });
const inTenant = <T>(fn: (tx: Tx) => Promise<T>) => env.runtime.db.withTenant(tenant.tenantId, fn);

beforeAll(async () => {
  ({ sim, env, tenant, admin, guests } = await startFriendsHotel({ seed: 'outcomes-per-batch', line: LINE, displayName: '批次結算飯店', basicId: '@outcomes-per-batch', count: 1100, memberNoPrefix: 'B' }));
}, SLOW);
afterAll(async () => {
  await env?.close();
  await sim?.close();
});

describe('campaign outcomes settled per batch', () => {
  it('settling writes the batches, not their recipients: the rows stay queued, and every recipient reads as accepted when their batch was', async () => {
    const id = await scheduledCampaign('每批結算一次');
    await startDue();
    await env.runtime.queue.drain();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: guests });
    expect([counted.audience?.missing, counted.exactlyOnce]).toEqual([[], true]);
    const [rows] = await inTenant((tx) =>
      queryRows<{ queued_rows: number; accepted: number; at_settled: number; batches: number }>(
        tx,
        sql`select (select count(*)::int from campaign_recipients where campaign_id = ${id} and status = 'queued') as queued_rows,
                   (select count(*)::int from campaign_recipient_outcomes where campaign_id = ${id} and status = 'accepted' and reason = '') as accepted,
                   (select count(*)::int from campaign_recipient_outcomes o join campaign_batches b on b.campaign_id = o.campaign_id and b.batch_no = o.batch_no
                     where o.campaign_id = ${id} and o.accepted_at = b.settled_at and o.updated_at = b.settled_at) as at_settled,
                   (select count(*)::int from campaign_batches where campaign_id = ${id} and status = 'accepted') as batches`,
      ),
    );
    expect(rows).toEqual({ queued_rows: 1100, accepted: 1100, at_settled: 1100, batches: 3 });
    const progress = await admin.get(`/api/campaigns/${id}/progress`);
    expect(progress.body).toMatchObject({ status: 'sent', total: 1100, accepted: 1100, queued: 0, failed: 0, skipped: 0, cancelled: 0, successRate: 100 });
  }, SLOW);

  it('a guest merged into another record while their batch waits is still sent it, once, by the batch they were in', async () => {
    const id = await scheduledCampaign('合併後仍寄一次');
    await startDue();
    // The last batch's first guest is merged into a record made now, whose id falls outside that batch's range.
    const [last] = await inTenant((tx) => queryRows<{ batch_no: number; first: string; last: string }>(tx, sql`select batch_no, first_member_id::text as first, last_member_id::text as last from campaign_batches where campaign_id = ${id} order by batch_no desc limit 1`));
    const created = await admin.post('/api/members', { lastName: '林', firstName: '保留' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const keep = created.body.id as string;
    expect(keep >= last!.first && keep <= last!.last).toBe(false);
    const merged = await admin.post(`/api/members/${keep}/merge`, { mergedMemberId: last!.first, choices: {} });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const [moved] = await inTenant((tx) => queryRows<{ batch_no: number; status: string }>(tx, sql`select batch_no, status from campaign_recipients where campaign_id = ${id} and member_id = ${keep}`));
    expect(moved).toEqual({ batch_no: last!.batch_no, status: 'queued' });

    await env.runtime.queue.drain();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: guests });
    expect([counted.audience?.missing, counted.exactlyOnce]).toEqual([[], true]);
    const [outcome] = await inTenant((tx) => queryRows<{ status: string }>(tx, sql`select status from campaign_recipient_outcomes where campaign_id = ${id} and member_id = ${keep}`));
    expect(outcome).toEqual({ status: 'accepted' });
  }, SLOW);

  it('a cancelled campaign’s unsent recipients read as skipped for the cancel, their rows untouched', async () => {
    const id = await scheduledCampaign('取消未寄');
    await startDue();
    const cancelled = await admin.post(`/api/campaigns/${id}/cancel`, {});
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    await env.runtime.queue.drain();
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(0);
    // Every recipient its batches held (the guest merged above is one without marketing consent now: skipped as such).
    const [batched] = await inTenant((tx) => queryRows<{ n: number; rows_queued: number }>(tx, sql`select (select sum(recipients)::int from campaign_batches where campaign_id = ${id} and status = 'cancelled') as n, (select count(*)::int from campaign_recipients where campaign_id = ${id} and status = 'queued') as rows_queued`));
    expect(batched!.n).toBe(batched!.rows_queued);
    const outcomes = await inTenant((tx) => queryRows<{ status: string; reason: string; n: number }>(tx, sql`select status, reason, count(*)::int as n from campaign_recipient_outcomes where campaign_id = ${id} and reason = 'cancelled' or campaign_id = ${id} and status <> 'skipped' group by status, reason`));
    expect(outcomes).toEqual([{ status: 'skipped', reason: 'cancelled', n: batched!.n }]);
    const progress = await admin.get(`/api/campaigns/${id}/progress`);
    expect(progress.body).toMatchObject({ status: 'cancelled', accepted: 0, queued: 0, cancelled: batched!.n, successRate: null });
  }, SLOW);

  it('the weekly cap of many guests at once reads the week’s batches, not every recipient the hotel ever had', async () => {
    // A campaign three weeks old and one of this week, to the same guests. Every row stays queued (0055), so a cap read
    // through the outcomes view reads and probes the old campaign's rows too; from the week's batches it reads this
    // week's only, however long the hotel's history.
    const old = await scheduledCampaign('三週前的推播');
    await startDue();
    await env.runtime.queue.drain();
    await env.runtime.db.ownerTransaction((owner) => owner.query(`update campaign_batches set settled_at = $2 where tenant_id = $1 and status = 'accepted'`, [tenant.tenantId, new Date(env.clock.now().getTime() - 20 * 24 * 3600_000)]));
    const recent = await scheduledCampaign('本週的推播');
    await startDue();
    await env.runtime.queue.drain();
    await env.runtime.db.ownerTransaction((owner) => owner.query(`insert into campaign_settings (tenant_id, weekly_cap) values ($1, 1) on conflict (tenant_id) do update set weekly_cap = 1`, [tenant.tenantId]));
    const [sent] = await inTenant((tx) =>
      queryRows<{ old: number; recent: number; all_rows: number }>(
        tx,
        sql`select (select count(*)::int from campaign_recipient_outcomes where campaign_id = ${old} and status = 'accepted') as old,
                   (select count(*)::int from campaign_recipient_outcomes where campaign_id = ${recent} and status = 'accepted') as recent,
                   (select count(*)::int from campaign_recipients) as all_rows`,
      ),
    );
    expect(sent!.old).toBeGreaterThan(1000);
    expect(sent!.recent).toBeGreaterThan(1000);

    // Who this week's campaign reached is at the cap of one: the estimate counts them (the old one no longer counts).
    const capped = await inTenant((tx) => env.runtime.campaignDelivery.countCapped(systemContext(tx, tenant.tenantId, 'test'), { lineFriends: true }, 'all'));
    expect(capped).toBe(sent!.recent);

    // The rows of campaign_recipients the cap's statement reads (returned, or read and filtered out), from its plan,
    // with statistics as weeks-old rows have them (without, a table this small may be read through the guest index).
    await env.runtime.db.ownerTransaction((owner) => owner.query('analyze campaign_recipients, campaign_batches'));
    const [plan] = await inTenant((tx) => queryRows<{ 'QUERY PLAN': unknown }>(tx, sql`explain (analyze, format json) select count(*) from (${cappedMembers(tenant.tenantId, 1, env.clock.now(), [])}) c`));
    const json = plan!['QUERY PLAN'];
    const root = (typeof json === 'string' ? JSON.parse(json) : json) as Array<{ Plan: PlanNode }>;
    type PlanNode = { 'Relation Name'?: string; 'Actual Rows': number; 'Actual Loops': number; 'Rows Removed by Filter'?: number; 'Rows Removed by Index Recheck'?: number; Plans?: PlanNode[] };
    const rowsRead = (node: PlanNode): number =>
      (node['Relation Name'] === 'campaign_recipients' ? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * node['Actual Loops'] : 0) +
      (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child), 0);
    expect(sent!.all_rows).toBeGreaterThanOrEqual(sent!.old + sent!.recent);
    // This week's rows, within the rounding of Actual Rows (a mean per loop); the history's would double them.
    expect(Math.abs(rowsRead(root[0]!.Plan) - sent!.recent)).toBeLessThan(3);
  }, SLOW);
});

