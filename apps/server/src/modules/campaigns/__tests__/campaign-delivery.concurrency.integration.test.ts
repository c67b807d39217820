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
import { openDatabase, queryRows, type Database } from '../../../core/db/database.ts';
import { AUDIENCE_CHUNKS } from '../campaign-delivery.ts';
import { aggregationUnitOf } from '../index.ts';

/**
 * Two worker processes on the same campaign: both run the due job at the same minute, and both run every batch at
 * once (as when a job's lease expired while its first worker was still sending). Each process has its own pool on
 * the same database (PostgreSQL; PGlite runs one transaction at a time and proves nothing here).
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let admin: ApiClient;
let second: Runtime;
const pools: Database[] = [];
let guests: string[];
const LINE = { channelId: '2007600001', channelSecret: '1357acef2468bdf0'.repeat(2), channelAccessToken: 'test-access-token-for-two-workers-01', loginChannelId: '2007600002' };

async function anotherPool(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return env.runtime.db;
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ name: string }>(tx, sql`select current_database() as name`));
  const db = await openDatabase({ engine: 'postgres', connectionString: withDatabaseName(url, row!.name), appConnectionString: withUser(withDatabaseName(url, row!.name), TEST_LOGIN_ROLE), poolSize: 5 });
  pools.push(db);
  return db;
}

beforeAll(async () => {
  // Latency keeps both workers' requests for a batch in flight together.
  sim = await startSimulator({ port: 0, seed: 'innkeeper-two-workers', rateLimitBurstMs: null, strictHttps: false });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  await env.runtime.queue.start({ work: false });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  sim.sim.createChannel({ ...LINE, displayName: '雙工飯店', basicId: '@two-workers' });
  const created = await admin.post('/api/line/channels', { name: '集團 LINE', propertyId: null, channelId: LINE.channelId, channelSecret: LINE.channelSecret, accessToken: LINE.channelAccessToken, welcomeMessage: '' });
  expect((await admin.post(`/api/line/channels/${created.body.id}/verify`)).status).toBe(200);
  guests = sim.sim.addFriends(LINE.channelId, { count: 1700, seed: 'two-workers' }).map((f) => f.userId);
  await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    for (const [i, lineUserId] of guests.entries()) {
      await tx.execute(sql`insert into members (tenant_id, id, member_no, marketing_opt_in, line_user_id, line_status) values (${tenant.tenantId}, ${randomUUID()}, ${`W${i}`}, true, ${lineUserId}, 'following')`);
    }
  });
  second = await createRuntime(env.config, { db: await anotherPool(), clock: env.runtime.clock, keyring: env.runtime.keyring, logger: pino({ level: 'silent' }), lineBaseUrl: () => sim.url, queueDriver: 'inline' });
  await second.queue.start({ work: false });
}, 120_000);
afterAll(async () => {
  await second?.queue.stop();
  for (const db of pools) await db.close();
  await env?.close();
  await sim?.close();
});

describe('two workers on one campaign', () => {
  it(`[concurrency] both start it and both send every batch at once; each guest gets it once (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, async () => {
    const campaign = await admin.post('/api/campaigns', { name: '雙工測試', propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: '兩個工作程序，一次送達' }] });
    expect((await admin.post(`/api/campaigns/${campaign.body.id}/schedule`, { version: campaign.body.version, now: true })).status).toBe(200);
    env.clock.advanceMinutes(1);
    const workers = [env.runtime, second];
    const started = await Promise.all(workers.map((w) => w.db.withTenant(tenant.tenantId, (tx) => w.campaignDelivery.startDueCampaigns(systemContext(tx, tenant.tenantId, 'test')))));
    expect(started.flat()).toEqual([campaign.body.id]);
    sim.sim.updateChannel(LINE.channelId, { faults: { latencyMs: 40 } });
    const batches = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ batch_no: number }>(tx, sql`select batch_no from campaign_batches where campaign_id = ${campaign.body.id}`));
    expect(batches).toHaveLength(4);
    /** One worker's run of a batch, retried as the queue would while LINE says "later". */
    const run = async (w: Runtime, batchNo: number) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await w.campaignDelivery.sendBatch({ tenantId: tenant.tenantId, campaignId: campaign.body.id, batchNo }, attempt);
        } catch (error) {
          if (attempt >= 10) throw error;
        }
      }
    };
    await Promise.all(batches.flatMap((b) => workers.map((w) => run(w, b.batch_no))));
    // The jobs the start queued (by whichever worker won) find their batches settled and send nothing.
    await Promise.all(workers.map((w) => w.queue.drain()));
    const counted = sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(campaign.body.id), { audience: guests });
    expect(counted.audience).toEqual({ size: 1700, missing: [], undeliverable: [], unexpected: [] });
    expect(counted.exactlyOnce).toBe(true);
    expect((await admin.get(`/api/campaigns/${campaign.body.id}`)).body.status).toBe('sent');
    const rows = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ status: string; n: number }>(tx, sql`select status, count(*)::int as n from campaign_recipient_outcomes where campaign_id = ${campaign.body.id} group by status`));
    expect(rows).toEqual([{ status: 'accepted', n: 1700 }]);
    // The race did reach LINE: the slower worker of a batch sent the same stored key and was refused (409).
    expect(sim.sim.counters(LINE.channelId).retryKeyConflicts).toBeGreaterThan(0);
  });

  it(`[concurrency] two campaigns' audiences written at once, each by both workers, under a weekly cap of one: every range once, every guest queued by exactly one campaign (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, async () => {
    // A week on: the campaign above no longer counts toward the cap.
    env.clock.advanceMinutes(8 * 24 * 60);
    admin = await signedInAs(env, tenant.adminEmail, tenant.password);
    const chunks = { ...AUDIENCE_CHUNKS };
    Object.assign(AUDIENCE_CHUNKS, { first: 100, most: 400 });
    expect((await admin.request('PUT', '/api/campaign-settings', { weeklyCap: 1, quietHours: null })).status).toBe(200);
    try {
      const ids: string[] = [];
      for (const name of ['同時寫入甲', '同時寫入乙']) {
        const created = await admin.post('/api/campaigns', { name, propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: name }] });
        expect((await admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, now: true })).status).toBe(200);
        ids.push(created.body.id as string);
      }
      env.clock.advanceMinutes(1);
      const workers = [env.runtime, second];
      const started = await Promise.all(workers.map((w) => w.db.withTenant(tenant.tenantId, (tx) => w.campaignDelivery.startDueCampaigns(systemContext(tx, tenant.tenantId, 'test')))));
      expect(started.flat().sort()).toEqual([...ids].sort());
      // Each campaign's writing job run by both workers at once, both campaigns at once.
      await Promise.all(ids.flatMap((campaignId) => workers.map((w) => w.campaignDelivery.writeAudience({ tenantId: tenant.tenantId, campaignId }))));
      const per = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ campaign_id: string; n: number; queued: number; capped: number; pending: boolean }>(
          tx,
          sql`select r.campaign_id::text, count(*)::int as n, count(*) filter (where r.status = 'queued')::int as queued, count(*) filter (where r.reason = 'capped')::int as capped,
                     bool_or(c.audience_pending) as pending
                from campaign_recipient_outcomes r join campaigns c on c.id = r.campaign_id where r.campaign_id = any(${`{${ids.join(',')}}`}::uuid[]) group by r.campaign_id`,
        ),
      );
      expect(per.map((r) => [r.n, r.queued + r.capped, r.pending])).toEqual([[1700, 1700, false], [1700, 1700, false]]);
      const [both] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ guests: number; twice: number }>(
          tx,
          sql`select count(*)::int as guests, count(*) filter (where q > 1)::int as twice from (
                select member_id, count(*) filter (where status = 'queued') as q from campaign_recipient_outcomes where campaign_id = any(${`{${ids.join(',')}}`}::uuid[]) group by member_id) m where q >= 1`,
        ),
      );
      expect(both).toEqual({ guests: 1700, twice: 0 });
    } finally {
      Object.assign(AUDIENCE_CHUNKS, chunks);
      await admin.request('PUT', '/api/campaign-settings', { weeklyCap: null, quietHours: null });
    }
  });
});
