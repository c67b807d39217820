import { randomUUID } from 'node:crypto';
import { startSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';

/** The quota shown before sending and the over-quota confirmation; test sends to chosen guests, against the simulator. */
type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let other: TestTenant;
let admin: ApiClient;
const LINE = { channelId: '2007600001', channelSecret: '1357ace02468bdf9'.repeat(2), channelAccessToken: 'test-access-token-for-the-quota-0001', loginChannelId: '2007600002' };
let friends: string[];
let memberIds: string[];
let otherMemberId: string;

async function insertMember(t: TestTenant, lineUserId: string | null, firstName: string): Promise<string> {
  const id = randomUUID();
  await env.runtime.db.withTenant(t.tenantId, (tx) =>
    tx.execute(sql`insert into members (tenant_id, id, member_no, last_name, first_name, marketing_opt_in, line_user_id, line_status)
                   values (${t.tenantId}, ${id}, ${`Q${Date.now()}${firstName}`}, '林', ${firstName}, true, ${lineUserId}, ${lineUserId ? 'following' : 'never'})`),
  );
  return id;
}

async function draft(text: string): Promise<{ id: string; version: number }> {
  const created = await admin.post('/api/campaigns', { name: text.slice(0, 20), propertyId: null, audience: { kind: 'all' }, holdoutPercent: 0, messages: [{ type: 'text', text }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

/** Called while the simulator holds a quota request (its latency): what the test wants to look at meanwhile. */
let duringQuotaRead: (() => Promise<void>) | undefined;
const QUOTA_ENDPOINTS = ['GET /v2/bot/message/quota', 'GET /v2/bot/message/quota/consumption'];

/**
 * Database transactions open (other than the probe's) while LINE is being asked. PostgreSQL says so directly (a
 * request's transaction waiting on LINE is "idle in transaction"). PGlite runs one transaction at a time: the probe's
 * own transaction gets through only if none is open; one still open would hold it until LINE answered, which waits
 * for this probe, so after a while the probe reports it held instead.
 */
async function openTransactions(): Promise<number> {
  if (process.env.TEST_DATABASE_URL) {
    const rows = await env.runtime.db.ownerTransaction((owner) =>
      owner.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%' and pid <> pg_backend_pid()`),
    );
    return rows[0]!.n;
  }
  return Promise.race([env.runtime.db.withTenant(tenant.tenantId, async () => 0), new Promise<number>((resolve) => setTimeout(() => resolve(1), 3000))]);
}

const deliveriesByUser = () => sim.sim.counters(LINE.channelId).deliveriesByUser as Record<string, number>;

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: 'innkeeper-quota-test',
    rateLimitBurstMs: null,
    strictHttps: false,
    sleep: async (ms) => {
      await duringQuotaRead?.();
      await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
    },
  });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  // As the API process does: an approval to send now queues the start job (nothing runs it here).
  await env.runtime.queue.start({ work: false });
  tenant = await createTestTenant(env);
  other = await createTestTenant(env, { slug: `other-${Date.now()}` });
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  sim.sim.createChannel({ ...LINE, displayName: '額度飯店', basicId: '@quota-hotel' });
  const created = await admin.post('/api/line/channels', { name: '集團 LINE', propertyId: null, channelId: LINE.channelId, channelSecret: LINE.channelSecret, accessToken: LINE.channelAccessToken, welcomeMessage: '' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  friends = sim.sim.addFriends(LINE.channelId, { count: 3, seed: 'quota-friends' }).map((f) => f.userId);
  memberIds = [];
  for (const [i, f] of friends.entries()) memberIds.push(await insertMember(tenant, f, `客${i}`));
  otherMemberId = await insertMember(other, null, '別家');
}, 120_000);
afterAll(async () => {
  await env?.close();
  await sim?.close();
});

describe('the quota before sending', () => {
  it('is shown with the cost, and an approval over it is refused until confirmed', async () => {
    sim.sim.updateChannel(LINE.channelId, { monthlyQuota: 2 });
    const c = await draft('平日商務優惠');
    const estimate = await admin.get(`/api/campaigns/${c.id}/estimate`);
    expect(estimate.status).toBe(200);
    expect(estimate.body).toMatchObject({ recipients: 3, messageCost: 3, quota: { known: true, limit: 2, used: 0, remaining: 2, reason: null }, exceedsQuota: true });
    const refused = await admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, now: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('campaign.over_quota');
    expect((await admin.get(`/api/campaigns/${c.id}`)).body.status).toBe('draft');
    const accepted = await admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, now: true, confirmOverQuota: true });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.status).toBe('scheduled');
  });

  it('the estimate asks LINE after its transaction committed (no connection waits on LINE); the approval, deciding on it, within', async () => {
    sim.sim.updateChannel(LINE.channelId, { monthlyQuota: 100, faults: { latencyMs: 2, endpoints: QUOTA_ENDPOINTS } });
    const c = await draft('額度在交易之後');
    const open: number[] = [];
    // The quota and its consumption are asked at once: one probe at a time, so no probe sees another's transaction.
    let probes = Promise.resolve();
    duringQuotaRead = () => (probes = probes.then(async () => void open.push(await openTransactions())));
    try {
      const saved = await admin.get(`/api/campaigns/${c.id}/estimate`);
      const unsaved = await admin.post('/api/campaigns/estimate', { audience: { kind: 'all' }, messages: [{ type: 'text', text: 'x' }] });
      for (const estimate of [saved, unsaved]) {
        expect(estimate.status, JSON.stringify(estimate.body)).toBe(200);
        expect(estimate.body).toMatchObject({ recipients: 3, messageCost: 3, quota: { known: true, limit: 100, remaining: 100 }, exceedsQuota: false });
      }
      // Two requests, each asking LINE twice (quota and consumption; looked at on the way there and back), none with
      // a transaction open.
      expect(open).toEqual(Array.from({ length: 8 }, () => 0));
      if (process.env.TEST_DATABASE_URL) {
        // The probe sees a transaction held across LINE's answer: the approval's, which must decide on the quota.
        open.length = 0;
        expect((await admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, now: true })).status).toBe(200);
        expect(open).toHaveLength(4);
        expect(open.every((n) => n >= 1)).toBe(true);
      }
    } finally {
      duringQuotaRead = undefined;
      sim.sim.updateChannel(LINE.channelId, { faults: { latencyMs: 0, endpoints: null } });
    }
  });

  it('within the quota needs no confirmation; unlimited is shown as no limit', async () => {
    sim.sim.updateChannel(LINE.channelId, { monthlyQuota: null });
    const c = await draft('家庭旅遊推播');
    const estimate = await admin.get(`/api/campaigns/${c.id}/estimate`);
    expect(estimate.body).toMatchObject({ quota: { known: true, limit: null, remaining: null }, exceedsQuota: false });
    expect((await admin.post(`/api/campaigns/${c.id}/schedule`, { version: c.version, now: true })).status).toBe(200);
  });
});

describe('a test send', () => {
  it('reaches the chosen guests only, personalised, and records no campaign delivery', async () => {
    const c = await draft('{firstName} 您好，平日入住 85 折');
    const before = deliveriesByUser();
    const sent = await admin.post(`/api/campaigns/${c.id}/test-send`, { memberIds: [memberIds[0], memberIds[2]] });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.results).toEqual([
      { memberId: memberIds[0], outcome: 'accepted', cause: null, message: '' },
      { memberId: memberIds[2], outcome: 'accepted', cause: null, message: '' },
    ]);
    const after = deliveriesByUser();
    expect((after[friends[0]!] ?? 0) - (before[friends[0]!] ?? 0)).toBe(1);
    expect((after[friends[1]!] ?? 0) - (before[friends[1]!] ?? 0)).toBe(0);
    expect((after[friends[2]!] ?? 0) - (before[friends[2]!] ?? 0)).toBe(1);
    const rows = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from campaign_recipients where campaign_id = ${c.id}`));
    expect(rows[0]!.n).toBe(0);
    expect((await admin.get(`/api/campaigns/${c.id}`)).body.status).toBe('draft');
    const audit = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from audit_log where action = 'campaign.test_sent' and target_id = ${c.id}`));
    expect(audit[0]!.n).toBe(1);
  });

  it('a push LINE refuses is reported by its cause, with LINE’s own words apart (the screen explains the cause)', async () => {
    const c = await draft('額度用完的測試');
    sim.sim.updateChannel(LINE.channelId, { monthlyQuota: 0 });
    try {
      const sent = await admin.post(`/api/campaigns/${c.id}/test-send`, { memberIds: [memberIds[0]] });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      expect(sent.body.results).toEqual([{ memberId: memberIds[0], outcome: 'failed', cause: 'quota_exhausted', message: 'You have reached your monthly limit.' }]);
    } finally {
      sim.sim.updateChannel(LINE.channelId, { monthlyQuota: null });
    }
  });

  it('refuses another tenant’s member ids and sends nothing', async () => {
    const c = await draft('別家的客人');
    const before = deliveriesByUser();
    const refused = await admin.post(`/api/campaigns/${c.id}/test-send`, { memberIds: [memberIds[0], otherMemberId] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('campaign.test_send_unknown_guests');
    expect(deliveriesByUser()).toEqual(before);
  });

  it('refuses an account without campaigns.edit', async () => {
    const c = await draft('權限不足');
    const role = await admin.post('/api/roles', { name: 'reader', permissions: ['members.read'] });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const email = 'reader@quota.example';
    expect((await admin.post('/api/accounts', { email, displayName: email, roleId: role.body.id, allProperties: true, propertyIds: [] })).status).toBe(201);
    await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
    const reader = await signedInAs(env, email, 'long enough passphrase');
    const before = deliveriesByUser();
    const refused = await reader.post(`/api/campaigns/${c.id}/test-send`, { memberIds: [memberIds[0]] });
    expect(refused.status).toBe(403);
    expect(deliveriesByUser()).toEqual(before);
  });
});
