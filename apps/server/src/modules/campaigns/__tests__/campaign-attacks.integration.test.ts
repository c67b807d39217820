import { randomUUID } from 'node:crypto';
import { startSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs, type ApiResponse } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { systemContext } from '../../../core/context.ts';
import { queryRows } from '../../../core/db/database.ts';
import { aggregationUnitOf } from '../index.ts';

/**
 * An attack pass on campaigns, meant for PostgreSQL (`TEST_DATABASE_URL`), where requests and workers really run at
 * once: the same change asked for several times at once, sends controlled while batches are in flight, another
 * tenant's ids, and bad input. Every outcome is read back from the database and from the simulator's per-guest counts
 * (by the campaign's aggregation unit, never by retry key).
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let other: TestTenant;
let admin: ApiClient;
let approver: ApiClient;
let stranger: ApiClient;
let guests: string[];
let memberIds: string[];
let strangerMember: string;
let strangerSegment: string;
let strangerTag: string;
const LINE = { channelId: '2007800001', channelSecret: 'a1b2c3d4e5f60718'.repeat(2), channelAccessToken: 'test-access-token-for-the-attacks-01', loginChannelId: '2007800002' };
const SLOW = 120_000;
const GUESTS = 1200;

/** Called on each simulated round trip (the simulator's latency): lets a test act while a send is in flight. */
let onRoundTrip: (() => Promise<void>) | undefined;

async function account(email: string, permissions: string[]): Promise<ApiClient> {
  const role = await admin.post('/api/roles', { name: email, permissions });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  expect((await admin.post('/api/accounts', { email, displayName: email, roleId: role.body.id, allProperties: true, propertyIds: [] })).status).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

async function draft(text: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
  const created = await admin.post('/api/campaigns', { name: text.slice(0, 20), propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text }], ...overrides });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

async function sending(text: string): Promise<string> {
  const c = await draft(text);
  expect((await admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, now: true })).status).toBe(200);
  env.clock.advanceMinutes(1);
  const started = await env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.campaignDelivery.startDueCampaigns(systemContext(tx, tenant.tenantId, 'test')));
  expect(started).toContain(c.id);
  return c.id;
}

const audit = async (campaignId: string, action: string) => {
  const rows = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from audit_log where target_id = ${campaignId} and action = ${action}`));
  return rows[0]!.n;
};
const campaignRow = async (campaignId: string) => {
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ status: string; scheduled_at: Date | null }>(tx, sql`select status, scheduled_at from campaigns where id = ${campaignId}`));
  return row!;
};
/** The guests the database records as accepted for the campaign. */
const acceptedInDb = async (campaignId: string) =>
  (await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ line_user_id: string }>(tx, sql`select line_user_id from campaign_recipient_outcomes where campaign_id = ${campaignId} and status = 'accepted'`))).map((r) => r.line_user_id);
const codes = (responses: ApiResponse[]) => responses.map((r) => (r.status === 200 ? 200 : `${r.status} ${r.body.error?.code}`)).sort();

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: 'innkeeper-campaign-attacks',
    rateLimitBurstMs: null,
    strictHttps: false,
    sleep: async (ms) => {
      await onRoundTrip?.();
      await new Promise((r) => setTimeout(r, ms));
    },
  });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  await env.runtime.queue.start({ work: false });
  tenant = await createTestTenant(env);
  other = await createTestTenant(env, { slug: `attacker-${Date.now()}` });
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  stranger = await signedInAs(env, other.adminEmail, other.password);
  approver = await account('approver@attacks.example', ['members.read', 'campaigns.push']);
  sim.sim.createChannel({ ...LINE, displayName: '攻防飯店', basicId: '@attacks' });
  const created = await admin.post('/api/line/channels', { name: '集團 LINE', propertyId: null, channelId: LINE.channelId, channelSecret: LINE.channelSecret, accessToken: LINE.channelAccessToken, welcomeMessage: '' });
  expect((await admin.post(`/api/line/channels/${created.body.id}/verify`)).status).toBe(200);
  guests = sim.sim.addFriends(LINE.channelId, { count: GUESTS, seed: 'attacks' }).map((f) => f.userId);
  memberIds = guests.map(() => randomUUID());
  await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    for (const [i, lineUserId] of guests.entries()) {
      await tx.execute(sql`insert into members (tenant_id, id, member_no, first_name, marketing_opt_in, line_user_id, line_status) values (${tenant.tenantId}, ${memberIds[i]}, ${`A${i}`}, ${`客${i}`}, true, ${lineUserId}, 'following')`);
    }
  });
  strangerMember = randomUUID();
  await env.runtime.db.withTenant(other.tenantId, (tx) => tx.execute(sql`insert into members (tenant_id, id, member_no, marketing_opt_in, line_user_id, line_status) values (${other.tenantId}, ${strangerMember}, 'X1', true, ${guests[0]}, 'following')`));
  strangerTag = (await stranger.post('/api/tags', { name: '別家標籤', kind: 'campaign' })).body.id;
  strangerSegment = (await stranger.post('/api/segments', { name: '別家分眾', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: strangerTag }] } })).body.id;
}, SLOW);
afterAll(async () => {
  await env?.close();
  await sim?.close();
});

describe(`requests at once (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[concurrency] six approvals of one campaign at once, by two accounts, schedule it once', async () => {
    const c = await draft('同時核准');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? admin : approver).post(`/api/campaigns/${c.id}/schedule`, { version: c.version, sendAt: `2026-12-0${i + 1}T09:00` })),
    );
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    for (const lost of results.filter((r) => r.status !== 200)) expect([lost.status, lost.body.error.code]).toEqual([409, 'campaign.wrong_status']);
    expect(new Date((await campaignRow(c.id)).scheduled_at!).toISOString()).toBe(new Date(won[0]!.body.scheduledAt).toISOString());
    expect(await audit(c.id, 'campaign.scheduled')).toBe(1);
  });

  it('[concurrency] pause and resume at once, round after round: each change is one compare-and-set, the audit matches, each guest gets it once', async () => {
    const id = await sending('暫停與繼續同時');
    let paused = 0;
    let resumed = 0;
    for (let round = 0; round < 8; round++) {
      const [pause, resume] = await Promise.all([admin.post(`/api/campaigns/${id}/pause`), approver.post(`/api/campaigns/${id}/resume`)]);
      for (const r of [pause, resume]) if (r.status !== 200) expect([r.status, r.body.error.code]).toEqual([409, 'campaign.wrong_status']);
      if (pause.status === 200) paused += 1;
      if (resume.status === 200) resumed += 1;
      // Whatever the order, the row ends in the state of the last change that won.
      const status = (await campaignRow(id)).status;
      expect(['sending', 'paused']).toContain(status);
      if (status === 'paused') {
        expect((await admin.post(`/api/campaigns/${id}/resume`)).status).toBe(200);
        resumed += 1;
      }
    }
    expect(paused).toBeGreaterThanOrEqual(8);
    expect([await audit(id, 'campaign.paused'), await audit(id, 'campaign.resumed')]).toEqual([paused, resumed]);
    // Every resume queued the unsent batches again: the jobs meet settled batches and send nothing more.
    await env.runtime.queue.drain();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: guests });
    expect(counted.audience).toEqual({ size: GUESTS, missing: [], undeliverable: [], unexpected: [] });
    expect(counted.exactlyOnce).toBe(true);
    expect((await campaignRow(id)).status).toBe('sent');
  }, SLOW);

  it('[concurrency] four resumes of a paused send at once resume it once', async () => {
    const id = await sending('四個繼續');
    expect((await admin.post(`/api/campaigns/${id}/pause`)).status).toBe(200);
    const results = await Promise.all([admin, approver, admin, approver].map((client) => client.post(`/api/campaigns/${id}/resume`)));
    expect(codes(results)).toEqual([200, '409 campaign.wrong_status', '409 campaign.wrong_status', '409 campaign.wrong_status']);
    expect(await audit(id, 'campaign.resumed')).toBe(1);
    await env.runtime.queue.drain();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id), { audience: guests });
    expect([counted.audience?.missing, counted.exactlyOnce]).toEqual([[], true]);
  }, SLOW);

  it('[concurrency] cancel while every batch is in flight: the database records as sent exactly the guests LINE received, each once', async () => {
    const id = await sending('送出中取消');
    sim.sim.updateChannel(LINE.channelId, { faults: { latencyMs: 80, latencyJitterMs: 40 } });
    let cancel: Promise<ApiResponse> | undefined;
    // The first request to reach LINE sets off the cancellation and waits for it: it lands while sends are under way.
    onRoundTrip = async () => {
      if (!cancel) cancel = approver.post(`/api/campaigns/${id}/cancel`);
      await cancel;
    };
    try {
      const runs = [1, 2, 3].map((batchNo) => env.runtime.campaignDelivery.sendBatch({ tenantId: tenant.tenantId, campaignId: id, batchNo }, 1));
      await Promise.all(runs);
    } finally {
      onRoundTrip = undefined;
      sim.sim.updateChannel(LINE.channelId, { faults: { latencyMs: 0, latencyJitterMs: 0 } });
    }
    expect((await cancel!).status).toBe(200);
    await env.runtime.queue.drain();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id));
    expect(counted.duplicates).toEqual([]);
    const delivered = Object.keys(counted.perUser).sort();
    // The cancellation landed while a send was at LINE: that batch went out, and is recorded so.
    expect(delivered.length).toBeGreaterThan(0);
    expect((await acceptedInDb(id)).sort()).toEqual(delivered);
    const rows = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ status: string; reason: string; n: number }>(tx, sql`select status, reason, count(*)::int as n from campaign_recipient_outcomes where campaign_id = ${id} group by status, reason order by status`));
    expect(rows.reduce((n, r) => n + r.n, 0)).toBe(GUESTS);
    for (const r of rows) expect(['accepted', 'skipped:cancelled']).toContain(r.status === 'accepted' ? 'accepted' : `${r.status}:${r.reason}`);
    expect((await campaignRow(id)).status).toBe('cancelled');
    expect(await audit(id, 'campaign.cancelled')).toBe(1);
  }, SLOW);

  it('[concurrency] a cancel and a pause at once: one wins, the other is told, nothing is queued again', async () => {
    const id = await sending('取消與暫停同時');
    const [cancel, pause] = await Promise.all([approver.post(`/api/campaigns/${id}/cancel`), admin.post(`/api/campaigns/${id}/pause`)]);
    expect(cancel.status).toBe(200);
    // The pause either came first (and the cancel then cancelled the paused send) or found it cancelled.
    if (pause.status !== 200) expect(pause.body.error.code).toBe('campaign.wrong_status');
    expect((await admin.post(`/api/campaigns/${id}/resume`)).body.error.code).toBe('campaign.wrong_status');
    await env.runtime.queue.drain();
    expect(sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(id)).counted).toBe(0);
    expect((await campaignRow(id)).status).toBe('cancelled');
  }, SLOW);

  it('[concurrency] a due campaign withdrawn or cancelled while the worker claims it: one of them, never half of each', async () => {
    for (const action of ['unschedule', 'cancel', 'unschedule', 'cancel']) {
      const c = await draft(`到點時撤回 ${action}`);
      expect((await admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, now: true })).status).toBe(200);
      env.clock.advanceMinutes(1);
      const [started, staff] = await Promise.all([
        env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.campaignDelivery.startDueCampaigns(systemContext(tx, tenant.tenantId, 'test'))),
        approver.post(`/api/campaigns/${c.id}/${action}`),
      ]);
      const { status } = await campaignRow(c.id);
      const [batches] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ n: number; queued: number }>(tx, sql`select count(*)::int as n, count(*) filter (where status = 'queued')::int as queued from campaign_batches where campaign_id = ${c.id}`));
      if (started.includes(c.id)) {
        // Claimed first: a withdrawal is refused; a cancellation stops the send it finds.
        if (action === 'unschedule') expect([staff.status, status, batches!.n]).toEqual([409, 'sending', 3]);
        else expect([staff.status, status, batches!.queued]).toEqual([200, 'cancelled', 0]);
      } else {
        // Withdrawn or cancelled first: nothing was written for a send.
        expect([staff.status, status, batches!.n]).toEqual([200, action === 'unschedule' ? 'draft' : 'cancelled', 0]);
      }
      await env.runtime.queue.drain();
      const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(c.id));
      if (status === 'sending') expect([counted.counted, counted.exactlyOnce]).toEqual([GUESTS, true]);
      else expect(counted.counted).toBe(0);
    }
  }, SLOW);

  it('[concurrency] test sends at once of one campaign each reach their guests, personalised', async () => {
    const c = await draft('{firstName} 您好：測試推播');
    const before = sim.sim.counters(LINE.channelId).deliveriesByUser as Record<string, number>;
    const chosen = [memberIds.slice(0, 3), memberIds.slice(3, 6), memberIds.slice(6, 9)];
    const results = await Promise.all(chosen.map((ids, i) => (i === 1 ? approver : admin).post(`/api/campaigns/${c.id}/test-send`, { memberIds: ids })));
    // 測試推播 needs campaigns.edit: the approver (push only) is refused; the others are sent, each guest once.
    expect(results.map((r) => r.status)).toEqual([200, 403, 200]);
    const after = sim.sim.counters(LINE.channelId).deliveriesByUser as Record<string, number>;
    const sent = guests.slice(0, 9).map((g) => (after[g] ?? 0) - (before[g] ?? 0));
    expect(sent).toEqual([1, 1, 1, 0, 0, 0, 1, 1, 1]);
    expect(await audit(c.id, 'campaign.test_sent')).toBe(2);
    expect((await campaignRow(c.id)).status).toBe('draft');
  }, SLOW);
});

describe('test sends skip the approval, so they are bounded', () => {
  it('[concurrency] a campaign’s test sends reach at most 10 distinct guests in all, at once too; the same ones may get it again', async () => {
    const c = await draft('{firstName} 您好：測試上限');
    const before = sim.sim.counters(LINE.channelId).deliveriesByUser as Record<string, number>;
    const send = (from: number, to: number) => admin.post(`/api/campaigns/${c.id}/test-send`, { memberIds: memberIds.slice(from, to) });
    // Three requests at once of four new guests each: two fit (8), the third would make 12.
    const atOnce = await Promise.all([send(20, 24), send(24, 28), send(28, 32)]);
    expect(codes(atOnce)).toEqual([200, 200, '409 campaign.test_send_limit']);
    const refused = atOnce.find((r) => r.status === 409)!;
    expect(refused.body.error.details).toEqual({ limit: 10, used: 8 });
    const reached = atOnce.flatMap((r, i) => (r.status === 200 ? memberIds.slice(20 + i * 4, 24 + i * 4) : []));
    // The same guests again (after an edit, say): free. Two more new ones: 10. One more: refused.
    expect((await admin.post(`/api/campaigns/${c.id}/test-send`, { memberIds: reached })).status).toBe(200);
    expect((await send(40, 42)).status).toBe(200);
    const eleventh = await send(42, 43);
    expect([eleventh.status, eleventh.body.error.code]).toEqual([409, 'campaign.test_send_limit']);
    const after = sim.sim.counters(LINE.channelId).deliveriesByUser as Record<string, number>;
    const got = (i: number) => (after[guests[i]!] ?? 0) - (before[guests[i]!] ?? 0);
    expect(reached.map((id) => got(memberIds.indexOf(id)))).toEqual(reached.map(() => 2));
    expect([got(40), got(41), got(42)]).toEqual([1, 1, 0]);
    const unreached = [20, 24, 28].find((from) => !reached.includes(memberIds[from]!))!;
    expect([0, 1, 2, 3].map((i) => got(unreached + i))).toEqual([0, 0, 0, 0]);
    expect(await audit(c.id, 'campaign.test_sent')).toBe(4);
  }, SLOW);

  it('[concurrency] an account’s test sends reach at most 20 distinct guests in 30 days, whatever the campaign: more drafts do not reach more guests', async () => {
    const drafter = await account('drafter@attacks.example', ['members.read', 'campaigns.edit']);
    const drafts = [];
    for (const n of [1, 2, 3]) {
      const created = await drafter.post('/api/campaigns', { name: `草稿 ${n}`, propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: `草稿 ${n} 測試` }] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      drafts.push(created.body.id as string);
    }
    const before = sim.sim.counters(LINE.channelId).deliveriesByUser as Record<string, number>;
    const ten = (from: number) => memberIds.slice(from, from + 10);
    // Two drafts of ten guests each at once: both fit (20); the third draft's ten would make 30.
    const atOnce = await Promise.all([drafter.post(`/api/campaigns/${drafts[0]}/test-send`, { memberIds: ten(100) }), drafter.post(`/api/campaigns/${drafts[1]}/test-send`, { memberIds: ten(110) })]);
    expect(codes(atOnce)).toEqual([200, 200]);
    const third = await drafter.post(`/api/campaigns/${drafts[2]}/test-send`, { memberIds: ten(120) });
    expect([third.status, third.body.error?.code, third.body.error?.details]).toEqual([409, 'campaign.test_send_account_limit', { limit: 20, days: 30, used: 20 }]);
    // The same guests again, on the third draft too: free.
    expect((await drafter.post(`/api/campaigns/${drafts[2]}/test-send`, { memberIds: ten(100) })).status).toBe(200);
    const after = sim.sim.counters(LINE.channelId).deliveriesByUser as Record<string, number>;
    const got = (i: number) => (after[guests[i]!] ?? 0) - (before[guests[i]!] ?? 0);
    expect([...Array(10).keys()].map((i) => got(120 + i))).toEqual(Array(10).fill(0));
    expect([got(100), got(110)]).toEqual([2, 1]);
    // Another account has its own 20.
    const colleague = await account('colleague@attacks.example', ['members.read', 'campaigns.edit']);
    expect((await colleague.post(`/api/campaigns/${drafts[2]}/test-send`, { memberIds: ten(100) })).status).toBe(200);
  }, SLOW);
});

describe('an audience that changes after approval', () => {
  it('a scheduled campaign whose saved segment was deleted fails at its minute with the reason; the other due campaign still goes out', async () => {
    const tag = (await admin.post('/api/tags', { name: '即將刪除的分眾標籤', kind: 'campaign' })).body.id;
    const segment = (await admin.post('/api/segments', { name: '即將刪除', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tag }] } })).body.id;
    const doomed = await draft('分眾被刪', { audience: { kind: 'segment', segmentId: segment } });
    const fine = await draft('照常送出');
    for (const c of [doomed, fine]) expect((await admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, now: true })).status).toBe(200);
    expect((await admin.delete(`/api/segments/${segment}`)).status).toBe(204);
    env.clock.advanceMinutes(1);
    const started = await env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.campaignDelivery.startDueCampaigns(systemContext(tx, tenant.tenantId, 'test')));
    expect(started).toEqual([fine.id]);
    const failed = (await admin.get(`/api/campaigns/${doomed.id}`)).body;
    expect([failed.status, failed.statusReason, failed.statusDetail?.code]).toEqual(['failed', 'audience_unavailable', 'segment.not_found']);
    await env.runtime.queue.drain();
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(fine.id), { audience: guests });
    expect([counted.audience?.missing, counted.exactlyOnce]).toEqual([[], true]);
  }, SLOW);

  it('a tag named in a scheduled campaign’s own conditions cannot be deleted from under it', async () => {
    const tag = (await admin.post('/api/tags', { name: '條件用標籤', kind: 'campaign' })).body.id;
    const c = await draft('條件裡的標籤', { audience: { kind: 'conditions', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tag }] } } });
    expect((await admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, sendAt: '2026-12-24T10:00' })).status).toBe(200);
    const refused = await admin.delete(`/api/tags/${tag}`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'tag.in_use']);
  });
});

describe('another tenant’s ids and bad input', () => {
  it('another tenant’s segment, tags and members are unknown on every route that takes them', async () => {
    const c = await draft('別家的參照');
    const field = (r: ApiResponse) => [r.status, r.body.error?.code, (r.body.error?.details?.issues ?? []).map((i: { path: string }) => i.path)];
    expect(field(await admin.post('/api/campaigns', { name: 'x', audience: { kind: 'segment', segmentId: strangerSegment } }))).toEqual([400, 'request.validation', ['audience.segmentId']]);
    expect(field(await admin.patch(`/api/campaigns/${c.id}`, { audience: { kind: 'segment', segmentId: strangerSegment } }))).toEqual([400, 'request.validation', ['audience.segmentId']]);
    expect(field(await admin.post('/api/campaigns/estimate', { audience: { kind: 'segment', segmentId: strangerSegment } }))).toEqual([400, 'request.validation', ['audience.segmentId']]);
    expect(field(await admin.patch(`/api/campaigns/${c.id}`, { tagIds: [strangerTag] }))).toEqual([400, 'request.validation', ['tagIds.0']]);
    // Chosen right on a button (a click tag need not be the campaign's first), another hotel's tag is refused there.
    const tapping = { type: 'buttons', altText: '優惠', text: '內文', actions: [{ type: 'postback', label: '好', tagIds: [strangerTag] }] };
    expect(field(await admin.patch(`/api/campaigns/${c.id}`, { messages: [tapping] }))).toEqual([400, 'request.validation', ['messages.0.actions.0.tagIds.0']]);
    const conditions = { kind: 'conditions', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: strangerTag }] } };
    // Conditions of the campaign's own are checked when saved (they were saved unchecked and failed only when sent).
    expect(field(await admin.post('/api/campaigns', { name: 'x', audience: conditions }))).toEqual([400, 'request.validation', ['audience.definition']]);
    expect(field(await admin.patch(`/api/campaigns/${c.id}`, { audience: conditions }))).toEqual([400, 'request.validation', ['audience.definition']]);
    // The estimate answers as for a tag that does not exist at all: nothing tells their tags from none.
    const estimate = await admin.post('/api/campaigns/estimate', { audience: conditions });
    const unknown = await admin.post('/api/campaigns/estimate', { audience: { ...conditions, definition: { ...conditions.definition, conditions: [{ type: 'tag', tagId: randomUUID() }] } } });
    expect([estimate.status, estimate.body.error?.code]).toEqual([unknown.status, unknown.body.error?.code]);
    const testSend = await admin.post(`/api/campaigns/${c.id}/test-send`, { memberIds: [strangerMember] });
    expect([testSend.status, testSend.body.error.code]).toEqual([400, 'campaign.test_send_unknown_guests']);
    expect((await admin.get(`/api/campaigns/${c.id}`)).body.version).toBe(c.version);
  });

  it('bad input is refused before anything is written', async () => {
    const c = await draft('壞輸入');
    const refused = async (response: Promise<ApiResponse>, status = 400) => {
      const r = await response;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
    };
    const text = (n: number) => ({ type: 'text', text: '字'.repeat(n) });
    // Oversized text, six messages, holdout of 100%, unknown tags, in each route that takes them.
    await refused(admin.post('/api/campaigns', { name: 'x', messages: [text(5001)] }));
    await refused(admin.patch(`/api/campaigns/${c.id}`, { messages: Array.from({ length: 6 }, () => text(5)) }));
    await refused(admin.post('/api/campaigns/estimate', { audience: { kind: 'all' }, messages: Array.from({ length: 6 }, () => text(5)) }));
    for (const holdoutPercent of [100, 51, -1, 10.5]) {
      await refused(admin.post('/api/campaigns', { name: 'x', holdoutPercent }));
      await refused(admin.patch(`/api/campaigns/${c.id}`, { holdoutPercent }));
      await refused(admin.post('/api/campaigns/estimate', { audience: { kind: 'all' }, holdoutPercent }));
    }
    await refused(admin.post('/api/campaigns', { name: 'x', tagIds: [randomUUID()] }));
    await refused(admin.post('/api/campaigns', { name: 'x', tagIds: Array.from({ length: 21 }, () => randomUUID()) }));
    await refused(admin.post('/api/campaigns', { name: 'x', audience: { kind: 'segment', segmentId: randomUUID() } }));
    // A body over the server's limit is refused unread.
    await refused(admin.post('/api/campaigns', { name: 'x', messages: [{ type: 'text', text: '字'.repeat(600_000) }] }), 413);
    // Scheduling: in the past, a date that does not exist, both a time and now, a version that never was.
    await refused(admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, sendAt: '2026-11-22T09:00' }));
    await refused(admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, sendAt: '2026-13-01T09:00' }));
    await refused(admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, sendAt: '2026-12-01T09:00', now: true }));
    await refused(admin.post(`/api/campaigns/${c.id}/schedule`, { version: 0, now: true }));
    await refused(admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version + 1, now: true }), 409);
    // Test sends: none, eleven, not ids; and ids that are not uuids anywhere.
    await refused(admin.post(`/api/campaigns/${c.id}/test-send`, { memberIds: [] }));
    await refused(admin.post(`/api/campaigns/${c.id}/test-send`, { memberIds: memberIds.slice(0, 11) }));
    await refused(admin.post(`/api/campaigns/${c.id}/test-send`, { memberIds: ['guest-1'] }));
    for (const path of ['/api/campaigns/not-a-uuid', '/api/campaigns/not-a-uuid/progress', '/api/campaigns/not-a-uuid/estimate']) await refused(admin.get(path));
    await refused(admin.post('/api/campaigns/not-a-uuid/pause'));
    const after = (await admin.get(`/api/campaigns/${c.id}`)).body;
    expect(after).toMatchObject({ status: 'draft', version: c.version, holdoutPercent: 0, messages: [{ type: 'text', text: '壞輸入' }] });
    expect(await audit(c.id, 'campaign.updated')).toBe(0);
  });
});
