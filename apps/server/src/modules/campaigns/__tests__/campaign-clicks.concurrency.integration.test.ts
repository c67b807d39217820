import { randomUUID } from 'node:crypto';
import { startSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { TEST_LOGIN_ROLE, withDatabaseName, withUser } from '../../../../test/database.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { buildApp } from '../../../app/build-app.ts';
import { createRuntime, type Runtime } from '../../../app/runtime.ts';
import { openDatabase, queryRows, type Database } from '../../../core/db/database.ts';
import { signLink } from '../campaign-links.ts';

/**
 * One guest clicking the same tracked button many times at once, on two API processes, while two workers apply the
 * clicks at once: every click is counted and on the timeline, the tag is given once with one provenance and one
 * "tag added" entry. Many guests opening links outside LINE at once, on both processes: every click counted (the
 * anonymous sums, migration 0054: concurrent group commits add to the same rows). Each process has its own pool on
 * the same database (PostgreSQL; PGlite runs one transaction at a time and proves nothing here).
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let admin: ApiClient;
let second: Runtime;
let secondApp: Awaited<ReturnType<typeof buildApp>>;
const pools: Database[] = [];
let channelDbId: string;
let tagId: string;
const LINE = { channelId: '2007800001', channelSecret: '2468bdf013579ace'.repeat(2), channelAccessToken: 'test-access-token-for-click-races-01', loginChannelId: '2007800002' };
const LIFF_ID = '2007800002-Races';
const BROWSER = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36 Line/14.9.0';

async function anotherPool(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return env.runtime.db;
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ name: string }>(tx, sql`select current_database() as name`));
  const db = await openDatabase({ engine: 'postgres', connectionString: withDatabaseName(url, row!.name), appConnectionString: withUser(withDatabaseName(url, row!.name), TEST_LOGIN_ROLE), poolSize: 5 });
  pools.push(db);
  return db;
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 'innkeeper-click-races', rateLimitBurstMs: null, strictHttps: false });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  await env.runtime.queue.start({ work: false });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  const created = await admin.post('/api/line/channels', { name: '集團 LINE', propertyId: null, channelId: LINE.channelId, channelSecret: LINE.channelSecret, accessToken: LINE.channelAccessToken, welcomeMessage: '', loginChannelId: LINE.loginChannelId, liffId: LIFF_ID });
  channelDbId = created.body.id;
  sim.sim.createChannel({ ...LINE, displayName: '搶點飯店', basicId: '@click-races', liffApps: [{ liffId: LIFF_ID, endpointUrl: `${env.config.publicUrl}/liff/${tenant.tenantId}/${channelDbId}` }] });
  tagId = (await admin.post('/api/tags', { name: '商務客', kind: 'campaign' })).body.id;
  second = await createRuntime(env.config, { db: await anotherPool(), clock: env.runtime.clock, keyring: env.runtime.keyring, logger: pino({ level: 'silent' }), lineBaseUrl: () => sim.url, queueDriver: 'inline' });
  await second.queue.start({ work: false });
  secondApp = await buildApp(second, { serveWeb: false });
  await secondApp.ready();
}, 120_000);
afterAll(async () => {
  await secondApp?.close();
  await second?.queue.stop();
  for (const db of pools) await db.close();
  await env?.close();
  await sim?.close();
});

describe('one guest, many clicks at once', () => {
  it(`[concurrency] two API processes take 40 clicks and two workers apply them at once: one tag, one provenance (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, async () => {
    const guest = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'one-eager-guest' })[0]!.userId;
    const memberId = randomUUID();
    await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      tx.execute(sql`insert into members (tenant_id, id, member_no, marketing_opt_in, line_user_id, line_status) values (${tenant.tenantId}, ${memberId}, 'R1', true, ${guest}, 'following')`),
    );
    const campaign = await admin.post('/api/campaigns', {
      name: '搶點測試',
      propertyId: null,
      tagIds: [tagId],
      audience: { kind: 'all' },
      messages: [{ type: 'buttons', altText: '優惠', text: '平日 85 折', actions: [{ type: 'uri', label: '訂房', uri: 'https://hotel.example/book', tagIds: [tagId] }] }],
    });
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    const actionId = campaign.body.messages[0].actions[0].id as string;
    // LINE accepted the campaign for this guest (a button's tags go only to guests it was delivered to).
    await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      tx.execute(sql`insert into campaign_recipients (tenant_id, campaign_id, member_id, line_user_id, status, reason, accepted_at, updated_at)
                     values (${tenant.tenantId}, ${campaign.body.id}, ${memberId}, ${guest}, 'accepted', '', now(), now())`),
    );
    const link = signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.body.id, actionId });
    // Several ID tokens of the same guest (a guest tapping again gets a fresh one), so verification happens in parallel too.
    const tokens = Array.from({ length: 4 }, () => sim.sim.issueIdToken(LINE.channelId, { userId: guest }));
    const apps = [env.app, secondApp];
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        apps[i % 2]!.inject({ method: 'POST', url: `/api/liff/${tenant.tenantId}/${channelDbId}/clicks`, headers: { 'user-agent': BROWSER, authorization: `Bearer ${tokens[i % tokens.length]}` }, payload: { link } }),
      ),
    );
    expect(answers.map((a) => a.json())).toEqual(Array.from({ length: 40 }, () => ({ url: 'https://hotel.example/book' })));

    // Both workers apply at once, a few clicks at a time, until none is pending.
    const workers = [env.runtime, second];
    await Promise.all(workers.map((w) => w.campaignClicks.settled()));
    const apply = async (w: Runtime) => {
      while ((await w.campaignClicks.applyPending(tenant.tenantId, 3)) > 0);
    };
    await Promise.all([...workers.map(apply), ...workers.map(apply)]);

    const rows = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ status: string; n: number }>(tx, sql`select status, count(*)::int as n from campaign_clicks where campaign_id = ${campaign.body.id} group by status`),
    );
    expect(rows).toEqual([{ status: 'applied', n: 40 }]);
    const tags = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ source: string; source_ref: string }>(tx, sql`select source, source_ref from member_tags where member_id = ${memberId}`));
    expect(tags).toEqual([{ source: 'campaign', source_ref: `${campaign.body.id}:${actionId}` }]);
    const history = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ type: string; n: number }>(tx, sql`select type, count(*)::int as n from member_interactions where member_id = ${memberId} group by type order by type`),
    );
    expect(history).toEqual([{ type: 'clicked', n: 40 }, { type: 'tag_added', n: 1 }]);
  });
});

describe('many guests outside LINE at once', () => {
  it(`[concurrency] 300 anonymous redirects on two API processes, over two buttons of two campaigns: every one counted, per button and per campaign (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, async () => {
    const campaigns = await Promise.all(
      ['外部點擊甲', '外部點擊乙'].map(async (name) => {
        const created = await admin.post('/api/campaigns', {
          name,
          propertyId: null,
          tagIds: [],
          audience: { kind: 'all' },
          messages: [{ type: 'buttons', altText: name, text: name, actions: [{ type: 'uri', label: '訂房', uri: 'https://hotel.example/book', tagIds: [] }, { type: 'uri', label: '方案', uri: 'https://hotel.example/plans', tagIds: [] }] }],
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        return { id: created.body.id as string, actions: (created.body.messages[0].actions as Array<{ id: string }>).map((a) => a.id) };
      }),
    );
    const links = campaigns.flatMap((c) => c.actions.map((actionId) => ({ campaignId: c.id, actionId, link: signLink(env.runtime.keyring, tenant.tenantId, { campaignId: c.id, actionId }) })));
    // 300 clicks, 75 per button, all at once on two processes (each its own pool): the two processes' group commits
    // add to the same rows (same buttons, same minute) at the same time.
    const apps = [env.app, secondApp];
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => apps[i % 2]!.inject({ method: 'GET', url: `/c/${tenant.tenantId}/${links[i % links.length]!.link}`, headers: { 'user-agent': BROWSER } })),
    );
    expect(answers.filter((a) => a.statusCode === 302 && a.headers.location?.startsWith('https://hotel.example/'))).toHaveLength(300);
    await Promise.all([env.runtime, second].map((w) => w.campaignClicks.settled()));

    for (const c of campaigns) {
      const counts = (await admin.get(`/api/campaigns/${c.id}/clicks`)).body.data as Array<{ actionId: string; clicks: number; identified: number; anonymous: number; guests: number }>;
      expect(counts).toEqual(expect.arrayContaining(c.actions.map((actionId) => expect.objectContaining({ actionId, clicks: 75, identified: 0, anonymous: 75, guests: 0 }))));
      expect(counts.reduce((n, b) => n + b.clicks, 0)).toBe(150);
    }
    // Stored as sums, not a row per click.
    const [stored] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ rows: number; counted: number }>(
        tx,
        sql`select (select count(*) from campaign_clicks where campaign_id = any(${`{${campaigns.map((c) => c.id).join(',')}}`}::uuid[]))::int as rows,
                   (select coalesce(sum(clicks), 0) from campaign_click_counts where campaign_id = any(${`{${campaigns.map((c) => c.id).join(',')}}`}::uuid[]))::int as counted`,
      ),
    );
    expect(stored).toEqual({ rows: 0, counted: 300 });
  });
});
