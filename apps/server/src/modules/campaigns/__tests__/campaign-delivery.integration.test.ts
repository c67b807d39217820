import { randomUUID } from 'node:crypto';
import { startSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { systemContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { inSmallChunks } from './small-chunks.ts';
import { aggregationUnitOf } from '../index.ts';

/**
 * The delivery engine against the LINE simulator over real HTTP: a scheduled campaign is started by the per-minute
 * job, materialised into recipients, sent in batches with stored retry keys, and counted per guest by the simulator
 * under the campaign's aggregation unit (never per retry key, which would hide a re-send under a new key).
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let admin: ApiClient;
let channelDbId: string;
const LINE = { channelId: '2007500001', channelSecret: '2468ace013579bdf'.repeat(2), channelAccessToken: 'test-access-token-for-the-engine-0001', loginChannelId: '2007500002' };
const MULTICAST = 'POST /v2/bot/message/multicast';

/** Guests of the hotel: `following` friends who opted in (reachable), and the ones a push must skip. */
let reachable: string[];
let noConsent: string[];
let blocked: string[];
let noLine = 0;

// 1,203 guests pushed one by one, or every batch retried through injected faults, over HTTP to the simulator: longer
// than the default 30 s on a busy 2-core CI machine.
const SLOW_SEND = 120_000;

const faults = (f: Record<string, unknown>) => sim.sim.updateChannel(LINE.channelId, { faults: f });

async function insertMembers(rows: Array<{ lineUserId: string | null; status: 'following' | 'blocked' | 'never'; optIn: boolean }>): Promise<void> {
  await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    for (const [i, row] of rows.entries()) {
      await tx.execute(sql`insert into members (tenant_id, id, member_no, last_name, first_name, marketing_opt_in, line_user_id, line_status)
                           values (${tenant.tenantId}, ${randomUUID()}, ${`E${Date.now()}${i}`}, '王', ${`客${i}`}, ${row.optIn}, ${row.lineUserId}, ${row.status})`);
    }
  });
}

/** A campaign approved to go out now (through the API, as the push-permission staff do it). */
async function scheduledCampaign(text: string, options: { holdoutPercent?: number; confirmOverQuota?: true } = {}): Promise<string> {
  const created = await admin.post('/api/campaigns', { name: text.slice(0, 20), propertyId: null, audience: { kind: 'all' }, holdoutPercent: options.holdoutPercent ?? 0, messages: [{ type: 'text', text }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const scheduled = await admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, now: true, ...(options.confirmOverQuota ? { confirmOverQuota: true } : {}) });
  expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
  return created.body.id as string;
}

/**
 * A campaign to a saved segment (everyone), approved to go out now and started: its first chunk of the audience is
 * written, the rest is not yet (the tests deleting the segment meanwhile).
 */
async function startedOnSegment(segmentName: string, campaignName: string): Promise<{ id: string; segmentId: string }> {
  const segment = await admin.post('/api/segments', { name: segmentName, definition: { type: 'group', op: 'and', conditions: [] } });
  expect(segment.status, JSON.stringify(segment.body)).toBe(201);
  const created = await admin.post('/api/campaigns', { name: campaignName, propertyId: null, audience: { kind: 'segment', segmentId: segment.body.id }, holdoutPercent: 0, messages: [{ type: 'text', text: campaignName }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, now: true })).status).toBe(200);
  await startDue();
  return { id: created.body.id as string, segmentId: segment.body.id as string };
}

/** The per-minute job's run for this tenant, then every job it queued, as the queue would run them. */
async function runDueJob(): Promise<void> {
  env.clock.advanceMinutes(1);
  await env.runtime.queue.enqueueNow({ name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) }, { tenantId: tenant.tenantId });
  await env.runtime.queue.drain();
}

/** Only the per-minute job's first half: the due campaigns are started and their batch jobs queued, none run yet. */
const startDue = () => {
  env.clock.advanceMinutes(1);
  return env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.campaignDelivery.startDueCampaigns(systemContext(tx, tenant.tenantId, 'test')));
};
const progress = async (campaignId: string) => (await admin.get(`/api/campaigns/${campaignId}/progress`)).body as { status: string; queued: number; accepted: number; skipped: number; failed: number; cancelled: number; total: number; byReason: unknown[]; secondsLeft: number | null; recipientsPerSecond: number | null; successRate: number | null };

const recipients = (campaignId: string) =>
  env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    queryRows<{ status: string; reason: string; n: number }>(tx, sql`select status, reason, count(*)::int as n from campaign_recipient_outcomes where campaign_id = ${campaignId} group by status, reason order by status, reason`),
  );
const campaignStatus = async (campaignId: string) => (await admin.get(`/api/campaigns/${campaignId}`)).body as { status: string; statusReason?: string; statusDetail: Record<string, unknown> | null };
const adminName = async () => ((await admin.get('/api/auth/me')).body as { account: { displayName: string } }).account.displayName;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 'innkeeper-engine-test', rateLimitBurstMs: null, strictHttps: false, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  await env.runtime.queue.start({ work: false });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  // The channel without a webhook: the guests are put in the CRM directly, as imported members would be.
  sim.sim.createChannel({ ...LINE, displayName: '引擎飯店', basicId: '@engine-hotel' });
  const created = await admin.post('/api/line/channels', { name: '集團 LINE', propertyId: null, channelId: LINE.channelId, channelSecret: LINE.channelSecret, accessToken: LINE.channelAccessToken, welcomeMessage: '' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  channelDbId = created.body.id;
  expect((await admin.post(`/api/line/channels/${channelDbId}/verify`)).status).toBe(200);
  reachable = sim.sim.addFriends(LINE.channelId, { count: 1203, seed: 'engine-reachable' }).map((f) => f.userId);
  noConsent = sim.sim.addFriends(LINE.channelId, { count: 3, seed: 'engine-no-consent' }).map((f) => f.userId);
  blocked = sim.sim.addFriends(LINE.channelId, { count: 2, seed: 'engine-blocked' }).map((f) => f.userId);
  noLine = 2;
  await insertMembers([
    ...reachable.map((lineUserId) => ({ lineUserId, status: 'following' as const, optIn: true })),
    ...noConsent.map((lineUserId) => ({ lineUserId, status: 'following' as const, optIn: false })),
    ...blocked.map((lineUserId) => ({ lineUserId, status: 'blocked' as const, optIn: true })),
    ...Array.from({ length: noLine }, () => ({ lineUserId: null, status: 'never' as const, optIn: true })),
  ]);
}, 120_000);
afterAll(async () => {
  await env?.close();
  await sim?.close();
});

/**
 * Every reachable guest got the campaign exactly once (counted by the simulator per guest), and the others are skipped
 * with their reason. To 所有 LINE 好友: the two members who never added the account are not in its audience at all (no
 * 'no_line' skips).
 */
async function expectEveryReachableGuestOnce(id: string): Promise<void> {
  const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable });
  expect(counted.audience).toEqual({ size: 1203, missing: [], undeliverable: [], unexpected: [] });
  expect(counted.exactlyOnce).toBe(true);
  expect(await recipients(id)).toEqual([
    { status: 'accepted', reason: '', n: 1203 },
    { status: 'skipped', reason: 'blocked', n: 2 },
    { status: 'skipped', reason: 'no_consent', n: 3 },
  ]);
}

describe('a scheduled campaign goes out', () => {
  it('to every reachable guest exactly once, in batches of at most 500, skipping the rest with their reason', async () => {
    const id = await scheduledCampaign('平日商務住房 85 折！');
    await runDueJob();
    await expectEveryReachableGuestOnce(id);
    const batches = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ recipients: number; status: string }>(tx, sql`select recipients, status from campaign_batches where campaign_id = ${id} order by batch_no`));
    expect(batches).toEqual([{ recipients: 500, status: 'accepted' }, { recipients: 500, status: 'accepted' }, { recipients: 203, status: 'accepted' }]);
    expect((await campaignStatus(id)).status).toBe('sent');
  });

  it('written in chunks, its first batches go out before the rest of the audience is written, and it ends only after the last chunk, every guest once', async () => {
    await inSmallChunks(async () => {
      const id = await scheduledCampaign('分批寫入的受眾');
      const pending = async () =>
        (await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ pending: boolean; recipients: number }>(tx, sql`select audience_pending as pending, (select count(*)::int from campaign_recipients where campaign_id = ${id}) as recipients from campaigns where id = ${id}`)))[0];
      await startDue();
      // The start wrote the first chunk only: the audience's guests among the tenant's first 100 members (by id), in
      // one batch (the two members who never added the account are not in the audience).
      const [first] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ n: number }>(tx, sql`select count(*)::int as n from (select line_status from members where tenant_id = ${tenant.tenantId} order by id limit 100) m where line_status <> 'never'`),
      );
      expect(first!.n).toBeGreaterThan(90);
      expect(await pending()).toEqual({ pending: true, recipients: first!.n });
      // That batch settled while the rest is not written yet: the campaign goes on sending.
      await env.runtime.campaignDelivery.sendBatch({ tenantId: tenant.tenantId, campaignId: id, batchNo: 1 }, 1);
      expect((await campaignStatus(id)).status).toBe('sending');
      // The writing job run twice (a re-run after a crash, or a second worker): the second has nothing left to write.
      await env.runtime.campaignDelivery.writeAudience({ tenantId: tenant.tenantId, campaignId: id });
      await env.runtime.campaignDelivery.writeAudience({ tenantId: tenant.tenantId, campaignId: id });
      expect(await pending()).toEqual({ pending: false, recipients: 1208 });
      await env.runtime.queue.drain();
      await expectEveryReachableGuestOnce(id);
      // Chunks of 100, 400, 400 and the last 310 members: a batch each, numbered on from the chunk before.
      const batches = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ batch_no: number; status: string }>(tx, sql`select batch_no, status from campaign_batches where campaign_id = ${id} order by batch_no`));
      expect(batches.map((b) => b.batch_no)).toEqual([1, 2, 3, 4]);
      expect(batches.every((b) => b.status === 'accepted')).toBe(true);
      expect((await campaignStatus(id)).status).toBe('sent');
    });
  });

  it('approved to send now, it starts at once (no wait for the next minute), and the minute’s run after it sends nothing twice', async () => {
    const id = await scheduledCampaign('核准後立即發送');
    // No cron run, the clock not moved: only the job the approval queued.
    await env.runtime.queue.drain();
    expect((await campaignStatus(id)).status).toBe('sent');
    await runDueJob();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable });
    expect(counted.audience?.missing).toEqual([]);
    expect(counted.exactlyOnce).toBe(true);
    // The guest's timeline says they received it (read from the outcomes, not written per recipient); a guest skipped
    // for no consent has no such entry.
    const [guest, skipped] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      Promise.all([
        queryRows<{ id: string }>(tx, sql`select id from members where line_user_id = ${reachable[0]!}`),
        queryRows<{ id: string }>(tx, sql`select id from members where line_user_id = ${noConsent[0]!}`),
      ]),
    );
    const timeline = async (memberId: string) => ((await admin.get(`/api/members/${memberId}/timeline`)).body as { data: Array<{ type: string; campaignId: string | null; details: Record<string, unknown> }> }).data;
    expect((await timeline(guest[0]!.id)).filter((e) => e.campaignId === id)).toEqual([expect.objectContaining({ type: 'campaign_received', details: { campaignName: '核准後立即發送' } })]);
    expect((await timeline(skipped[0]!.id)).filter((e) => e.campaignId === id)).toEqual([]);
  });

  it('approved for a later minute, nothing starts before it', async () => {
    const created = await admin.post('/api/campaigns', { name: '稍後發送', propertyId: null, audience: { kind: 'all' }, holdoutPercent: 0, messages: [{ type: 'text', text: '稍後發送' }] });
    const later = new Date(env.clock.now().getTime() + 3 * 3600_000).toLocaleString('sv-SE', { timeZone: 'Asia/Taipei' }).slice(0, 16).replace(' ', 'T');
    const scheduled = await admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, sendAt: later });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    await env.runtime.queue.drain();
    expect((await campaignStatus(created.body.id)).status).toBe('scheduled');
    expect((await admin.post(`/api/campaigns/${created.body.id}/cancel`, {})).status).toBe(200);
  });

  it('holds out a random share of the reachable guests (recorded, and not sent to)', async () => {
    const id = await scheduledCampaign('週末家庭方案', { holdoutPercent: 10 });
    await runDueJob();
    const rows = await recipients(id);
    expect(rows.find((r) => r.reason === 'holdout')?.n).toBe(120);
    expect(rows.find((r) => r.status === 'accepted')?.n).toBe(1083);
    const held = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ line_user_id: string }>(tx, sql`select line_user_id from campaign_recipients where campaign_id = ${id} and reason = 'holdout'`));
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable.filter((u) => !held.some((h) => h.line_user_id === u)) });
    expect(counted.audience).toMatchObject({ missing: [], unexpected: [] });
    expect(counted.exactlyOnce).toBe(true);
  });

  it('written in chunks, the holdout is the share of the whole audience (not rounded down per chunk), and the same guests when drawn again', async () => {
    await inSmallChunks(async () => {
      const id = await scheduledCampaign('分批寫入的對照組', { holdoutPercent: 10 });
      await runDueJob();
      // Four chunks: per chunk, floor(10 % of each) would have held out fewer than floor(10 % of 1,203) = 120.
      const rows = await recipients(id);
      expect(rows.find((r) => r.reason === 'holdout')?.n).toBe(120);
      expect(rows.find((r) => r.status === 'accepted')?.n).toBe(1083);
      const [stored] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ key: string; batches: number }>(tx, sql`select holdout_key as key, (select count(*)::int from campaign_batches where campaign_id = ${id}) as batches from campaigns where id = ${id}`),
      );
      expect(stored!.batches).toBeGreaterThanOrEqual(4);
      // Decided reproducibly: the held-out guests are those of the smallest keys of this campaign, drawn again the same.
      const held = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ member_id: string }>(tx, sql`select member_id::text from campaign_recipients where campaign_id = ${id} and reason = 'holdout' order by member_id`),
      );
      const drawn = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ member_id: string }>(
          tx,
          sql`select member_id::text from (select id as member_id from members where tenant_id = ${tenant.tenantId} and line_status = 'following' and marketing_opt_in
                order by md5(${id}::text || id::text) collate "C" limit 120) h order by member_id`,
        ),
      );
      expect(held).toEqual(drawn);
      const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable });
      // The 120 held out got nothing; everyone else once.
      expect([counted.audience?.missing.length, counted.audience?.unexpected, counted.duplicates]).toEqual([120, [], []]);
      expect(stored!.key).toMatch(/^[0-9a-f]{32}$/);
    });
  });

  it('its saved segment deleted while the audience is written: what was written is sent, the rest is not, and the campaign says why', async () => {
    await inSmallChunks(async () => {
      const { id, segmentId } = await startedOnSegment('寫入途中刪除', '分眾途中刪除');
      const written = (await recipients(id)).reduce((n, r) => n + r.n, 0);
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThanOrEqual(100);
      expect((await admin.delete(`/api/segments/${segmentId}`)).status).toBe(204);
      await env.runtime.queue.drain();
      // Nothing more was written; what was written went out; the campaign ended with the reason, not silently.
      expect((await recipients(id)).reduce((n, r) => n + r.n, 0)).toBe(written);
      const accepted = (await recipients(id)).find((r) => r.status === 'accepted')?.n ?? 0;
      const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable });
      expect([counted.audience!.size - counted.audience!.missing.length, counted.duplicates]).toEqual([accepted, []]);
      const after = await campaignStatus(id);
      expect([after.status, after.statusReason, after.statusDetail?.code]).toEqual(['sent', 'audience_unavailable', 'segment.not_found']);
    });
  });

  it('cut short while paused: the pause says paused, and once resumed the campaign ends saying its audience was cut short', async () => {
    await inSmallChunks(async () => {
      const { id, segmentId } = await startedOnSegment('暫停時刪除', '暫停時分眾刪除');
      expect((await admin.post(`/api/campaigns/${id}/pause`)).status).toBe(200);
      expect((await admin.delete(`/api/segments/${segmentId}`)).status).toBe(204);
      await env.runtime.queue.drain();
      const paused = await campaignStatus(id);
      expect([paused.status, paused.statusReason]).toEqual(['paused', 'paused_by_staff']);
      const resumed = await admin.post(`/api/campaigns/${id}/resume`);
      expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
      await env.runtime.queue.drain();
      const after = await campaignStatus(id);
      expect([after.status, after.statusReason, after.statusDetail?.code]).toEqual(['sent', 'audience_unavailable', 'segment.not_found']);
      const written = (await recipients(id)).reduce((n, r) => n + r.n, 0);
      expect(written).toBeGreaterThan(0);
      // Every guest written reached an outcome: none is left queued by the pause.
      expect((await recipients(id)).find((r) => r.status === 'queued')).toBeUndefined();
      expect((await recipients(id)).find((r) => r.status === 'accepted')?.n).toBeGreaterThan(0);
    });
  });

  it('a personalised text is pushed guest by guest, each with their own name and retry key, once', async () => {
    const id = await scheduledCampaign('{lastName}{firstName} 您好：會員專屬優惠');
    await runDueJob();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable });
    expect(counted.audience).toEqual({ size: 1203, missing: [], undeliverable: [], unexpected: [] });
    expect(counted.exactlyOnce).toBe(true);
    const [keys] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ batches: number; keys: number; push: number }>(tx, sql`select count(*)::int as batches, count(distinct r.retry_key)::int as keys, count(*) filter (where b.mode = 'push')::int as push from campaign_batches b join campaign_recipients r using (tenant_id, campaign_id, batch_no) where b.campaign_id = ${id}`));
    expect(keys).toEqual({ batches: 1203, keys: 1203, push: 1203 });
    const [member] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ first_name: string }>(tx, sql`select first_name from members where line_user_id = ${reachable[0]!}`));
    const texts = sim.sim.inbox(LINE.channelId, reachable[0]!).map((e) => JSON.stringify('message' in e ? e.message : ''));
    expect(texts.filter((t) => t.includes('會員專屬優惠'))).toEqual([expect.stringContaining(`王${member!.first_name} 您好：會員專屬優惠`)]);
  }, SLOW_SEND);

  it('retries after 5xx and after "accepted, then 500" never send twice', async () => {
    // Approved before the faults are set: the approval reads the quota from the simulator, whose seeded dice must be
    // the same for the multicasts whatever the approval asked. Rates of one half: with three batches and the seeded
    // dice, 0.3 happened to strike none once the approval's quota requests moved the sequence.
    const id = await scheduledCampaign('重試不重複');
    // The faults the simulator struck, 500s before and after accepting (a copy: the counters are live).
    const struck = () => {
      const f = sim.sim.counters(LINE.channelId).faults;
      return f.error + f.errorAfterAccept;
    };
    const struckBefore = struck();
    faults({ errorRate: 0.5, errorAfterAcceptRate: 0.5, endpoints: [MULTICAST] });
    // The first multicast is struck whatever the dice say, so the run always proves a retry (the dice add more).
    sim.sim.injectErrors(LINE.channelId, 1);
    try {
      await runDueJob();
      const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable });
      expect(counted.audience).toEqual({ size: 1203, missing: [], undeliverable: [], unexpected: [] });
      expect(counted.exactlyOnce).toBe(true);
      expect((await campaignStatus(id)).status).toBe('sent');
      // The faults did strike, counted by the simulator (a batch's `attempts` counts the job's runs, and a run retries
      // up to three times itself, so a batch saved by its second try leaves no trace there).
      expect(struck()).toBeGreaterThan(struckBefore);
    } finally {
      sim.sim.injectErrors(LINE.channelId, 0);
      faults({ errorRate: 0, errorAfterAcceptRate: 0, endpoints: null });
    }
  }, SLOW_SEND);

  it('pauses with the reason when the month’s quota runs out, leaving the unsent batches queued', async () => {
    sim.sim.updateChannel(LINE.channelId, { monthlyQuota: 0 });
    try {
      // Approved over the quota on purpose (the approval refuses it otherwise): the engine must still pause, not fail.
      const id = await scheduledCampaign('額度用完', { confirmOverQuota: true });
      await runDueJob();
      const campaign = await campaignStatus(id);
      expect(campaign.status).toBe('paused');
      expect(campaign.statusReason).toBe('quota_exhausted');
      // Said for people: the quota, by nobody (the engine), with LINE's own words kept for support.
      expect(campaign.statusDetail).toMatchObject({ reason: 'quota_exhausted', by: null, failed: null, lineMessage: expect.any(String) });
      expect(await recipients(id)).toContainEqual({ status: 'queued', reason: '', n: 1203 });
      expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(0);
      // Once the quota is raised, resuming sends the waiting batches with their stored keys: each guest once.
      sim.sim.updateChannel(LINE.channelId, { monthlyQuota: null });
      expect((await admin.post(`/api/campaigns/${id}/resume`, {})).status).toBe(200);
      await env.runtime.queue.drain();
      expect((await campaignStatus(id)).status).toBe('sent');
      const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable });
      expect(counted.audience).toEqual({ size: 1203, missing: [], undeliverable: [], unexpected: [] });
      expect(counted.exactlyOnce).toBe(true);
    } finally {
      sim.sim.updateChannel(LINE.channelId, { monthlyQuota: null });
    }
  });

  it('started by the release before 0047 (no audience_cursor; its chunks written by member order), the rest is written on from its last member, nobody twice', async () => {
    await inSmallChunks(async () => {
      const id = await scheduledCampaign('升級途中的分批受眾');
      await startDue();
      // As the release before left it: its first chunk written, the audience still pending, no cursor (that release
      // read where the writing stood from the largest member written).
      await env.runtime.db.withTenant(tenant.tenantId, (tx) => tx.execute(sql`update campaigns set audience_cursor = null where id = ${id}`));
      await env.runtime.campaignDelivery.writeAudience({ tenantId: tenant.tenantId, campaignId: id });
      const [state] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ pending: boolean; recipients: number }>(tx, sql`select audience_pending as pending, (select count(*)::int from campaign_recipients where campaign_id = ${id}) as recipients from campaigns where id = ${id}`),
      );
      expect(state).toEqual({ pending: false, recipients: 1208 });
      await env.runtime.queue.drain();
      await expectEveryReachableGuestOnce(id);
      expect((await campaignStatus(id)).status).toBe('sent');
    });
  });

  it('started by the release before 0047 with a holdout (no holdout_key), the rest of its audience still has its holdout', async () => {
    await inSmallChunks(async () => {
      const id = await scheduledCampaign('升級途中的對照組', { holdoutPercent: 10 });
      await startDue();
      // As the release before left it: the first chunk written with its own holdout, no cursor and no holdout key.
      const [firstChunk] = await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
        await tx.execute(sql`update campaigns set audience_cursor = null, holdout_key = null where id = ${id}`);
        return queryRows<{ last: string }>(tx, sql`select member_id::text as last from campaign_recipients where campaign_id = ${id} order by member_id desc limit 1`);
      });
      await env.runtime.campaignDelivery.writeAudience({ tenantId: tenant.tenantId, campaignId: id });
      const [rest] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ held: number; reachable: number; key: string | null }>(
          tx,
          sql`select count(*) filter (where reason = 'holdout')::int as held, count(*) filter (where reason = 'holdout' or status = 'queued')::int as reachable,
                     (select holdout_key from campaigns where id = ${id}) as key
                from campaign_recipients where campaign_id = ${id} and member_id > ${firstChunk!.last}::uuid`,
        ),
      );
      // The key is drawn over the whole audience, so about a tenth of the rest is held out (the exact share of these
      // ~1,100 guests is the md5 keys' draw); the defect was nobody held out.
      expect(rest!.key).toMatch(/^[0-9a-f]{32}$/);
      expect(rest!.held).toBeGreaterThan(rest!.reachable * 0.05);
      expect(rest!.held).toBeLessThan(rest!.reachable * 0.15);
      await env.runtime.queue.drain();
      expect((await campaignStatus(id)).status).toBe('sent');
      const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable });
      expect(counted.duplicates).toEqual([]);
      expect(counted.audience?.unexpected).toEqual([]);
    });
  });
  it('whose audience was too small for anybody to be held out when it started holds nobody out, however its audience grows while the rest is written', async () => {
    await inSmallChunks(async () => {
      const tag = (await admin.post('/api/tags', { name: '晚到的對照組', kind: 'campaign' })).body.id as string;
      // Reachable members in member-id order: one in the first chunk's range, six past it.
      const members = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ id: string }>(tx, sql`select id::text from members where line_status = 'following' and marketing_opt_in order by id`),
      );
      const tagMembers = (ids: string[]) =>
        env.runtime.db.withTenant(tenant.tenantId, (tx) =>
          tx.execute(sql`insert into member_tags (tenant_id, tag_id, member_id, source) select ${tenant.tenantId}, ${tag}, unnest(${`{${ids.join(',')}}`}::uuid[]), 'staff'`),
        );
      await tagMembers([members[0]!.id]);
      const created = await admin.post('/api/campaigns', {
        name: '小眾對照組',
        propertyId: null,
        audience: { kind: 'conditions', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tag }] } },
        holdoutPercent: 50,
        messages: [{ type: 'text', text: '小眾對照組' }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, now: true })).status).toBe(200);
      const id = created.body.id as string;
      // One reachable guest at the start: half of one is nobody, so nobody is held out (the estimate's count).
      await startDue();
      // Six more guests join its audience past the first chunk before the rest is written.
      await tagMembers(members.slice(500, 506).map((m) => m.id));
      await env.runtime.campaignDelivery.writeAudience({ tenantId: tenant.tenantId, campaignId: id });
      // The holdout was drawn once, at the start, and held nobody out: a second draw over the grown audience
      // (half of seven: three) must not hold out the later guests.
      expect(await recipients(id)).toEqual([{ status: 'queued', reason: '', n: 7 }]);
    });
  });
});

describe('the hotel’s push limits', () => {
  const limits = (body: unknown) => admin.request('PUT', '/api/campaign-settings', body);

  it('skips as capped the guests who already had the weekly number of marketing pushes', async () => {
    // Every reachable guest has received the campaigns above within the last seven days.
    expect((await limits({ weeklyCap: 2, quietHours: null })).status).toBe(200);
    try {
      // The estimate says so beforehand, with the number, rather than a bare 0 reachable.
      const estimate = await admin.post('/api/campaigns/estimate', { propertyId: null, audience: { kind: 'all' }, holdoutPercent: 0, messages: [{ type: 'text', text: '本週第三則' }] });
      expect(estimate.body).toMatchObject({ reachable: 1203, capped: 1203, recipients: 0, noConsent: 3, blocked: 2, noLine: 0 });
      const id = await scheduledCampaign('本週第三則');
      await runDueJob();
      expect(await recipients(id)).toContainEqual({ status: 'skipped', reason: 'capped', n: 1203 });
      expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(0);
      expect((await campaignStatus(id)).status).toBe('sent');
    } finally {
      await limits({ weeklyCap: null, quietHours: null });
    }
  });

  it('in quiet hours a due campaign waits, and goes out at the first run after them', async () => {
    expect((await limits({ weeklyCap: null, quietHours: { start: '00:00', end: '23:59' } })).status).toBe(200);
    const id = await scheduledCampaign('勿擾時段後發送');
    try {
      await runDueJob();
      expect((await campaignStatus(id)).status).toBe('scheduled');
      expect(await recipients(id)).toEqual([]);
    } finally {
      await limits({ weeklyCap: null, quietHours: null });
    }
    await runDueJob();
    expect((await campaignStatus(id)).status).toBe('sent');
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable }).exactlyOnce).toBe(true);
  });
});

describe('staff control a send under way', () => {
  it('pause holds the unsent batches, progress shows them, resume sends each guest once', async () => {
    const id = await scheduledCampaign('暫停再繼續');
    expect(await startDue()).toEqual([id]);
    const paused = await admin.post(`/api/campaigns/${id}/pause`, {});
    expect([paused.status, paused.body.status, paused.body.may]).toEqual([200, 'paused', expect.objectContaining({ pause: false, resume: true, cancel: true })]);
    expect(paused.body.statusDetail).toMatchObject({ reason: 'paused_by_staff', by: await adminName(), at: expect.any(String) });
    await env.runtime.queue.drain();
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(0);
    expect(await progress(id)).toMatchObject({ status: 'paused', total: 1208, queued: 1203, accepted: 0, skipped: 5, failed: 0, secondsLeft: null });
    expect((await admin.post(`/api/campaigns/${id}/pause`, {})).body.error.code).toBe('campaign.wrong_status');
    const resumed = (await admin.post(`/api/campaigns/${id}/resume`, {})).body;
    expect([resumed.status, resumed.statusDetail]).toEqual(['sending', null]);
    await env.runtime.queue.drain();
    expect(await progress(id)).toMatchObject({ status: 'sent', queued: 0, accepted: 1203, secondsLeft: null });
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable });
    expect(counted.audience).toEqual({ size: 1203, missing: [], undeliverable: [], unexpected: [] });
    expect(counted.exactlyOnce).toBe(true);
    const audit = (await admin.get(`/api/audit-log?targetType=campaign&targetId=${id}`)).body.data.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['campaign.paused', 'campaign.resumed']));
  });

  it('after an hour’s pause the rate and the time left are measured since the resume, not over the paused hour', async () => {
    const id = await scheduledCampaign('暫停一小時後的速度');
    expect(await startDue()).toEqual([id]);
    // Paused at once, the whole audience is written meanwhile and nothing goes out.
    expect((await admin.post(`/api/campaigns/${id}/pause`, {})).status).toBe(200);
    await env.runtime.queue.drain();
    const batches = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ batch_no: number; n: number }>(tx, sql`select batch_no, count(*)::int as n from campaign_recipients where campaign_id = ${id} and status = 'queued' group by batch_no order by batch_no`),
    );
    expect(batches.length).toBeGreaterThanOrEqual(3);
    const [first, second] = batches as [{ batch_no: number; n: number }, { batch_no: number; n: number }];
    const sendOne = (batchNo: number) => env.runtime.campaignDelivery.sendBatch({ tenantId: tenant.tenantId, campaignId: id, batchNo }, 1);
    // Paused for a while, the page open (it reads the progress meanwhile, which keeps the staff's session alive).
    const pausedFor = async (minutes: number) => {
      for (let waited = 0; waited < minutes; waited += 10) {
        env.clock.advanceMinutes(10);
        expect((await progress(id)).status).toBe('paused');
      }
    };
    // Resumed, one batch goes out a minute later; paused again for an hour; resumed, the next one a minute later.
    expect((await admin.post(`/api/campaigns/${id}/resume`, {})).status).toBe(200);
    env.clock.advanceMinutes(1);
    await sendOne(first.batch_no);
    expect((await admin.post(`/api/campaigns/${id}/pause`, {})).status).toBe(200);
    await pausedFor(60);
    expect((await admin.post(`/api/campaigns/${id}/resume`, {})).status).toBe(200);
    env.clock.advanceMinutes(1);
    await sendOne(second.batch_no);
    const now = (await admin.get(`/api/campaigns/${id}/progress`)).body as { status: string; accepted: number; queued: number; recipientsPerSecond: number | null; secondsLeft: number | null };
    // Since the resume: `second.n` guests in 60 s. Over the whole send (62 minutes, the paused hour in it) the rate
    // would be about a sixtieth of that, and the time left sixty times too long.
    const rate = second.n / 60;
    expect(now).toMatchObject({ status: 'sending', accepted: first.n + second.n, recipientsPerSecond: Math.round(rate * 10) / 10, secondsLeft: Math.ceil(now.queued / rate) });
    expect(now.secondsLeft!).toBeLessThan(Math.ceil(now.queued / ((first.n + second.n) / (61 * 60))) / 10);
    // Just resumed, before a batch was accepted since, there is nothing to measure yet: no stale figure.
    expect((await admin.post(`/api/campaigns/${id}/pause`, {})).status).toBe(200);
    await pausedFor(30);
    expect((await admin.post(`/api/campaigns/${id}/resume`, {})).status).toBe(200);
    expect(await progress(id)).toMatchObject({ status: 'sending', secondsLeft: null });
    await env.runtime.queue.drain();
    const finished = await progress(id);
    expect(finished).toMatchObject({ status: 'sent', queued: 0, accepted: 1203, secondsLeft: null });
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: reachable }).exactlyOnce).toBe(true);
    // Finished, its rate is over the time it was sending: the first batch to the last (91 minutes) less the hour and the
    // half hour it was paused in between, 1,203 guests in 60 s. Over the 91 minutes it read 0.2 a second.
    expect(finished.recipientsPerSecond).toBe(Math.round((1203 / 60) * 10) / 10);
    const spans = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ paused_spans: Array<{ from: string; to: string | null }> }>(tx, sql`select paused_spans from campaigns where id = ${id}`));
    expect(spans[0]!.paused_spans.map((span) => span.to === null ? null : (Date.parse(span.to) - Date.parse(span.from)) / 60_000)).toEqual([0, 60, 30]);
  });

  it('cancel while sending sends nothing more and records the unsent recipients as cancelled', async () => {
    const id = await scheduledCampaign('取消中的活動');
    await startDue();
    const cancelled = await admin.post(`/api/campaigns/${id}/cancel`, {});
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    expect(cancelled.body.statusDetail).toMatchObject({ reason: 'cancelled', by: await adminName(), at: expect.any(String) });
    await env.runtime.queue.drain();
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(0);
    // Never attempted: skipped because the campaign was cancelled, not failed; no success rate over nobody attempted.
    expect(await recipients(id)).toContainEqual({ status: 'skipped', reason: 'cancelled', n: 1203 });
    expect(await progress(id)).toMatchObject({ status: 'cancelled', accepted: 0, failed: 0, skipped: 5, cancelled: 1203, successRate: null, secondsLeft: null });
    // The list says the same.
    const listed = (await admin.get('/api/campaigns?status=cancelled')).body as { data: Array<{ id: string; outcome: unknown }> };
    expect(listed.data.find((c) => c.id === id)?.outcome).toEqual({ accepted: 0, failed: 0, cancelled: expect.any(Number), successRate: null });
  });

  it('cancelled after one batch went out: the list says how far it got and how many were not sent', async () => {
    const id = await scheduledCampaign('送出一批後取消');
    expect(await startDue()).toEqual([id]);
    expect((await admin.post(`/api/campaigns/${id}/pause`, {})).status).toBe(200);
    await env.runtime.queue.drain();
    const [first] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ batch_no: number; n: number }>(tx, sql`select batch_no, count(*)::int as n from campaign_recipients where campaign_id = ${id} and status = 'queued' group by batch_no order by batch_no limit 1`),
    );
    expect((await admin.post(`/api/campaigns/${id}/resume`, {})).status).toBe(200);
    await env.runtime.campaignDelivery.sendBatch({ tenantId: tenant.tenantId, campaignId: id, batchNo: first!.batch_no }, 1);
    expect((await admin.post(`/api/campaigns/${id}/cancel`, {})).status).toBe(200);
    await env.runtime.queue.drain();
    const listed = (await admin.get('/api/campaigns?status=cancelled')).body as { data: Array<{ id: string; outcome: unknown }> };
    expect(listed.data.find((c) => c.id === id)?.outcome).toEqual({ accepted: first!.n, failed: 0, cancelled: 1203 - first!.n, successRate: 100 });
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(first!.n);
  });

  it('pause, resume and cancel of a send need campaigns.push', async () => {
    const created = await admin.post('/api/roles', { name: '活動編輯', permissions: ['members.read', 'campaigns.edit'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const email = 'editor@engine.example';
    expect((await admin.post('/api/accounts', { email, displayName: email, roleId: created.body.id, allProperties: true, propertyIds: [] })).status).toBe(201);
    await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
    const editor = await signedInAs(env, email, 'long enough passphrase');
    const id = await scheduledCampaign('權限檢查');
    await startDue();
    for (const action of ['pause', 'resume', 'cancel']) expect((await editor.post(`/api/campaigns/${id}/${action}`, {})).status).toBe(403);
    expect((await editor.get(`/api/campaigns/${id}/progress`)).status).toBe(200);
    expect((await admin.post(`/api/campaigns/${id}/cancel`, {})).status).toBe(200);
  });
});

describe('a fault that never clears', () => {
  const batchRows = (campaignId: string) =>
    env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ status: string; message: string }>(tx, sql`select status, message from campaign_batches where campaign_id = ${campaignId} order by batch_no`));

  it('once a batch’s retries are used up it fails with LINE’s last answer, and a campaign nobody received ends failed', async () => {
    const id = await scheduledCampaign('永遠 500');
    await startDue();
    faults({ errorRate: 1, endpoints: [MULTICAST] });
    try {
      // Every run of every batch job is refused; the last run gives up instead of leaving the batch queued for ever.
      expect((await env.runtime.queue.drain()).failed).toEqual([]);
    } finally {
      faults({ errorRate: 0, endpoints: null });
    }
    const batches = await batchRows(id);
    expect(batches).toHaveLength(3);
    for (const batch of batches) expect([batch.status, batch.message]).toEqual(['failed', expect.stringMatching(/^500 /)]);
    expect(await recipients(id)).toEqual([
      { status: 'failed', reason: 'gave_up', n: 1203 },
      { status: 'skipped', reason: 'blocked', n: 2 },
      { status: 'skipped', reason: 'no_consent', n: 3 },
    ]);
    const campaign = await campaignStatus(id);
    // A code and its parameters, not a sentence: the screens say it; LINE's last answer is kept for support.
    expect([campaign.status, campaign.statusReason]).toEqual(['failed', 'recipients_failed']);
    expect(campaign.statusDetail).toMatchObject({ reason: 'recipients_failed', cause: 'gave_up', by: null, failed: 1203, attempted: 1203, lineMessage: batches[0]!.message });
    expect(await progress(id)).toMatchObject({ status: 'failed', queued: 0, accepted: 0, failed: 1203, successRate: 0, secondsLeft: null });
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(0);
  });

  it('a campaign some guests received ends sent, its failures counted and its success rate shown', async () => {
    const id = await scheduledCampaign('部分失敗');
    await startDue();
    // The first batch goes out before the fault starts; the other two never get through.
    await env.runtime.campaignDelivery.sendBatch({ tenantId: tenant.tenantId, campaignId: id, batchNo: 1 }, 1);
    faults({ errorRate: 1, endpoints: [MULTICAST] });
    try {
      expect((await env.runtime.queue.drain()).failed).toEqual([]);
    } finally {
      faults({ errorRate: 0, endpoints: null });
    }
    expect((await batchRows(id)).map((b) => b.status)).toEqual(['accepted', 'failed', 'failed']);
    const campaign = await campaignStatus(id);
    expect(campaign.status).toBe('sent');
    expect(campaign.statusReason).toBe('recipients_failed');
    expect(campaign.statusDetail).toMatchObject({ reason: 'recipients_failed', cause: 'gave_up', failed: 703, attempted: 1203, lineMessage: expect.stringMatching(/^500 /) });
    expect(await progress(id)).toMatchObject({ status: 'sent', queued: 0, accepted: 500, failed: 703, successRate: 41.5 });
    const listed = (await admin.get('/api/campaigns?status=sent')).body as { data: Array<{ id: string; outcome: unknown }> };
    expect(listed.data.find((c) => c.id === id)?.outcome).toEqual({ accepted: 500, failed: 703, cancelled: 0, successRate: 41.5 });
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id));
    expect([counted.counted, counted.exactlyOnce]).toEqual([500, true]);
  });

  it('a batch still refused after the bound since the campaign went out gives up at its next run', async () => {
    const id = await scheduledCampaign('重試超過時限');
    await startDue();
    faults({ errorRate: 1, endpoints: [MULTICAST] });
    try {
      env.clock.advanceMinutes(121);
      expect((await env.runtime.queue.drain()).failed).toEqual([]);
    } finally {
      faults({ errorRate: 0, endpoints: null });
    }
    // One run each (three attempts in it), not the queue's twenty retries.
    const attempts = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ status: string; attempts: number }>(tx, sql`select status, attempts from campaign_batches where campaign_id = ${id} order by batch_no`));
    expect(attempts).toEqual([1, 2, 3].map(() => ({ status: 'failed', attempts: 1 })));
    // (Read in the database: the admin's session has idled out over those two hours.)
    const [campaign] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ status: string }>(tx, sql`select status from campaigns where id = ${id}`));
    expect(campaign!.status).toBe('failed');
  });
});
