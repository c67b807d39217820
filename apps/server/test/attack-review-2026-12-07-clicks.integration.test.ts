import { randomUUID } from 'node:crypto';
import { buildSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { signedInAs, type ApiClient } from './api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from './harness.ts';
import { queryRows } from '../src/core/db/database.ts';
import { signLink } from '../src/modules/campaigns/campaign-links.ts';

/**
 * The attack review of 2026-12-07, the tracked redirect's new memory (links remembered per tenant then per link, each
 * with the anonymous sum its clicks go to): clicks on both sides of a minute's edge, and across a statement the
 * database refused once, are each counted exactly once, in their own minute; another hotel's id with this hotel's
 * remembered link counts nothing. Against the LINE simulator, as campaign-clicks.integration.test.ts.
 */
let env: TestEnv;
let tenant: TestTenant;
let other: TestTenant;
let admin: ApiClient;
let closeSim: () => Promise<void>;
const LINE = { channelId: '2007700091', channelSecret: '13579bdf2468ace0'.repeat(2), channelAccessToken: 'test-access-token-for-the-atk-0001', loginChannelId: '2007700092' };
const TARGET = 'https://hotel.example/book?plan=edge';
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.9.0';

const redirect = (path: string) => env.app.inject({ method: 'GET', url: path, headers: { 'user-agent': BROWSER } });
/** The campaign's anonymous sums as stored, per minute (once every click answered so far is written or given up). */
const sums = async (campaignId: string) => {
  await env.runtime.campaignClicks.settled();
  return env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    queryRows<{ minute: string; clicks: number }>(tx, sql`select to_char(clicked_minute at time zone 'UTC', 'HH24:MI') as minute, clicks from campaign_click_counts where campaign_id = ${campaignId} order by clicked_minute`),
  );
};

async function sentCampaign(name: string): Promise<{ id: string; path: string }> {
  const created = await admin.post('/api/campaigns', {
    name,
    propertyId: null,
    audience: { kind: 'all' },
    messages: [{ type: 'buttons', altText: name, title: name, text: '邊界', actions: [{ type: 'uri', label: '訂房', uri: TARGET, tagIds: [] }] }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, now: true })).status).toBe(200);
  env.clock.advanceMinutes(1);
  await env.runtime.queue.enqueueNow({ name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) }, { tenantId: tenant.tenantId });
  await env.runtime.queue.drain();
  expect((await admin.get(`/api/campaigns/${created.body.id}`)).body.status).toBe('sent');
  const actionId = (created.body.messages[0].actions[0] as { id: string }).id;
  return { id: created.body.id, path: `/c/${tenant.tenantId}/${signLink(env.runtime.keyring, tenant.tenantId, { campaignId: created.body.id, actionId })}` };
}

/** The test clock at second `second` of the next minute. */
function atSecond(second: number, millisecond = 0): void {
  const next = new Date(env.clock.current);
  next.setUTCSeconds(second, millisecond);
  if (next <= env.clock.current) next.setUTCMinutes(next.getUTCMinutes() + 1);
  env.clock.current = next;
}

beforeAll(async () => {
  const built = buildSimulator({ seed: 'innkeeper-atk-clicks', rateLimitBurstMs: null, strictHttps: false, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) });
  const url = await built.app.listen({ port: 0, host: '127.0.0.1' });
  built.sim.ctx.options.publicUrl = url;
  closeSim = () => built.app.close();
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => url } });
  await env.runtime.queue.start({ work: false });
  tenant = await createTestTenant(env);
  other = await createTestTenant(env, { slug: `atk-clicks-other-${Date.now()}` });
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  const channel = await admin.post('/api/line/channels', { name: '集團 LINE', propertyId: null, channelId: LINE.channelId, channelSecret: LINE.channelSecret, accessToken: LINE.channelAccessToken, welcomeMessage: '' });
  expect(channel.status, JSON.stringify(channel.body)).toBe(201);
  built.sim.createChannel({ ...LINE, displayName: '邊界飯店', basicId: '@edge-hotel' });
  expect((await admin.post(`/api/line/channels/${channel.body.id}/verify`)).status).toBe(200);
  const guests = built.sim.addFriends(LINE.channelId, { count: 2, seed: 'edge-guests' }).map((f) => f.userId);
  await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    for (const [i, lineUserId] of guests.entries())
      await tx.execute(sql`insert into members (tenant_id, id, member_no, last_name, first_name, marketing_opt_in, line_user_id, line_status)
                           values (${tenant.tenantId}, ${randomUUID()}, ${`E${i}`}, '林', ${`客${i}`}, true, ${lineUserId}, 'following')`);
  });
}, 120_000);
afterAll(async () => {
  await env?.close();
  await closeSim?.();
});

describe('anonymous clicks at the edges', () => {
  it('clicks on both sides of a minute’s edge, with no write between them: each minute its own sum, every click once', async () => {
    const campaign = await sentCampaign('分鐘邊界');
    atSecond(59, 998);
    const minute = (d: Date) => d.toISOString().slice(11, 16);
    const before = minute(env.clock.now());
    for (let i = 0; i < 2; i += 1) expect((await redirect(campaign.path)).headers.location).toBe(TARGET);
    env.clock.current = new Date(env.clock.current.getTime() + 2);
    const after = minute(env.clock.now());
    expect(after).not.toBe(before);
    for (let i = 0; i < 3; i += 1) expect((await redirect(campaign.path)).headers.location).toBe(TARGET);
    expect(await sums(campaign.id)).toEqual([{ minute: before, clicks: 2 }, { minute: after, clicks: 3 }]);
  });

  it('a statement refused once, with clicks before and after it and across a minute’s edge: all counted once when the next one is taken', async () => {
    const campaign = await sentCampaign('失敗一次');
    atSecond(30);
    expect((await redirect(campaign.path)).statusCode).toBe(302);
    await env.runtime.campaignClicks.settled();
    const first = env.clock.now().toISOString().slice(11, 16);
    // The next statement fails once (the database in a moment's trouble); the ones after it go through.
    const statement = env.runtime.db.statement.bind(env.runtime.db);
    let refused = 0;
    const statements = vi.spyOn(env.runtime.db, 'statement').mockImplementation(((...args: Parameters<typeof statement>) => {
      if (refused === 0) {
        refused += 1;
        return Promise.reject(new Error('connection reset (probe)'));
      }
      return statement(...args);
    }) as typeof statement);
    const logged = vi.spyOn(env.runtime.logger, 'error').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 4; i += 1) expect((await redirect(campaign.path)).statusCode).toBe(302);
      atSecond(0);
      const second = env.clock.now().toISOString().slice(11, 16);
      for (let i = 0; i < 2; i += 1) expect((await redirect(campaign.path)).statusCode).toBe(302);
      expect(await sums(campaign.id)).toEqual([{ minute: first, clicks: 5 }, { minute: second, clicks: 2 }]);
      expect(refused).toBe(1);
      // Nothing was given up (the error log names lost clicks only when a sum runs out of attempts).
      expect(logged.mock.calls.filter((call) => call[1] === 'anonymous campaign clicks not stored')).toEqual([]);
    } finally {
      statements.mockRestore();
      logged.mockRestore();
    }
  });

  it('this hotel’s remembered link under another hotel’s id, or a hotel id in capitals, counts nothing and goes to the invalid-link page', async () => {
    const campaign = await sentCampaign('換館號');
    expect((await redirect(campaign.path)).headers.location).toBe(TARGET);
    const link = campaign.path.split('/')[3]!;
    const invalid = `${env.config.publicUrl}/c/invalid`;
    for (const path of [`/c/${other.tenantId}/${link}`, `/c/${tenant.tenantId.toUpperCase()}/${link}`, `/c/${'-'.repeat(36)}/${link}`, `/c/${tenant.tenantId}/${link}%00`, `/c/${tenant.tenantId}/${link}x`])
      expect([path, (await redirect(path)).headers.location]).toEqual([path, invalid]);
    expect((await sums(campaign.id)).reduce((n, s) => n + s.clicks, 0)).toBe(1);
    const [counted] = await env.runtime.db.ownerTransaction((owner) => owner.query<{ n: number }>(`select count(*)::int as n from campaign_click_counts where tenant_id = '${other.tenantId}'`));
    expect(counted!.n).toBe(0);
  });
});
