import crypto, { randomUUID } from 'node:crypto';
import { buildSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';
import { buildApp } from '../../../app/build-app.ts';
import { LEAN_HEADERS } from '../../../core/http/lean-routes.ts';
import { signLink } from '../campaign-links.ts';

/**
 * Tracked URL buttons end to end against the LINE simulator: a campaign goes out with its URL buttons rewritten to the
 * channel's LIFF URL, a virtual guest taps one on the simulated phone, the member portal's LIFF page (played here by
 * its two requests) reports the click with the guest's LIFF ID token, is sent to the target, and the job tags the guest
 * once however often they click. Outside LINE the redirect counts anonymously; previews, forged and foreign links
 * count nothing and tag nobody.
 */
type Sim = { sim: ReturnType<typeof buildSimulator>['sim']; url: string; close: () => Promise<void> };

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let other: TestTenant;
let admin: ApiClient;
let channelDbId: string;
/** The channel's webhook URL as verifying it set it at LINE (Innkeeper's public address, which no test listens on). */
let webhookUrl: string;
let businessTag: string;
let guests: string[];
/** ID tokens LINE was asked to verify (POST /oauth2/v2.1/verify reached the simulator). */
let verifyCalls = 0;
/** Reads of LINE's ID token keys (GET /oauth2/v2.1/certs). */
let certsCalls = 0;
const memberOf = new Map<string, string>();
const LINE = { channelId: '2007700001', channelSecret: '97531bdf8642ace0'.repeat(2), channelAccessToken: 'test-access-token-for-the-clicks-001', loginChannelId: '2007700002' };
const LIFF_ID = '2007700002-Clicks';
const TARGET = 'https://hotel.example/book?plan=weekday';
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.9.0';

/**
 * The campaign's stored clicks, once every click answered so far is committed (an answer may precede its commit): the
 * rows (identified clicks, and anonymous ones of guests erased since), then one entry per click the anonymous sums
 * count (campaign_click_counts, migration 0054), in click order (a sum by its minute).
 */
const clickRows = async (campaignId: string) => {
  await env.runtime.campaignClicks.settled();
  return env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    queryRows<{ status: string; line_user_id: string | null; via: string; member_id: string | null }>(
      tx,
      sql`select status, line_user_id, via, member_id from (
            select status, line_user_id, via, member_id, clicked_at, id from campaign_clicks where campaign_id = ${campaignId}
            union all
            select 'anonymous', null, via, null, clicked_minute, null from campaign_click_counts, generate_series(1, clicks) where campaign_id = ${campaignId}
          ) as clicks order by clicked_at, id`,
    ),
  );
};
/** The campaign's anonymous clicks as stored: sums per button, way in and minute, no row per click. */
const clickCountRows = async (campaignId: string) => {
  await env.runtime.campaignClicks.settled();
  return env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    queryRows<{ action_id: string; via: string; clicks: number }>(tx, sql`select action_id, via, clicks from campaign_click_counts where campaign_id = ${campaignId} order by action_id, via, clicked_minute`),
  );
};
/** Every click either hotel has stored so far, rows and anonymous sums. */
const allCounted = async () => {
  await env.runtime.campaignClicks.settled();
  const [row] = await env.runtime.db.ownerTransaction((owner) =>
    owner.query<{ rows: number; counted: number }>(`select (select count(*) from campaign_clicks)::int as rows, (select coalesce(sum(clicks), 0) from campaign_click_counts)::int as counted`),
  );
  return row;
};
const memberTags = (memberId: string) =>
  env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ tag_id: string; source: string; source_ref: string; source_label: string; source_detail: string; added_at: Date }>(tx, sql`select tag_id, source, source_ref, source_label, source_detail, added_at from member_tags where member_id = ${memberId}`));
const timeline = async (memberId: string) => ((await admin.get(`/api/members/${memberId}/timeline`)).body.data as Array<{ type: string; campaignId: string | null; actionId: string | null; details: Record<string, unknown> }>);

/** A campaign with a buttons message: a URL button giving 商務客 and a postback button, approved and sent now. */
async function sentCampaign(name: string): Promise<{ id: string; uriActionId: string; postbackActionId: string }> {
  const created = await admin.post('/api/campaigns', {
    name,
    propertyId: null,
    tagIds: [businessTag],
    audience: { kind: 'all' },
    messages: [
      { type: 'buttons', altText: '平日商務優惠', title: '平日商務優惠', text: '週一至週四入住享 85 折', actions: [{ type: 'uri', label: '立即訂房', uri: TARGET, tagIds: [businessTag] }, { type: 'postback', label: '我有興趣', tagIds: [] }] },
    ],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, now: true })).status).toBe(200);
  env.clock.advanceMinutes(1);
  await env.runtime.queue.enqueueNow({ name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) }, { tenantId: tenant.tenantId });
  await env.runtime.campaignClicks.settled();
    await env.runtime.queue.drain();
  expect((await admin.get(`/api/campaigns/${created.body.id}`)).body.status).toBe('sent');
  const [uri, postback] = created.body.messages[0].actions as Array<{ id: string }>;
  return { id: created.body.id, uriActionId: uri!.id, postbackActionId: postback!.id };
}

/** The guest taps the URL button of the latest campaign's message on the simulated phone: what LINE opens. */
async function tapUrlButton(userId: string, _campaignName: string): Promise<URL> {
  const message = sim.sim.inbox(LINE.channelId, userId).findLast((e) => 'message' in e && JSON.stringify(e.message).includes('平日商務優惠'));
  expect(message).toBeDefined();
  const template = (message as unknown as { id: string; message: { template: { actions: Array<Record<string, unknown>> } } }).message.template;
  const result = await sim.sim.tap(LINE.channelId, userId, { messageId: (message as unknown as { id: string }).id, action: template.actions[0]! });
  return new URL(result.open!);
}

/** What the LIFF page does with the URL LINE opened: reads its ID token and reports the click. */
function liffClick(opened: URL, options: { idToken?: string | null } = {}) {
  const context = JSON.parse(Buffer.from(opened.hash.replace('#line-sim-liff=', ''), 'base64url').toString('utf8')) as { idToken: string };
  const [, tenantId, channelId, link] = /^\/liff\/([^/]+)\/([^/]+)\/c\/([^/]+)$/.exec(opened.pathname)!;
  const token = options.idToken === undefined ? context.idToken : options.idToken;
  return env.app.inject({
    method: 'POST',
    url: `/api/liff/${tenantId}/${channelId}/clicks`,
    headers: { 'user-agent': BROWSER, 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: { link: decodeURIComponent(link!) },
  });
}

type Answer = { statusCode: number; headers: Record<string, string | string[] | number | undefined>; body: string };
/** The redirect as Fastify serves it (inject: never the HTTP server's direct door). */
const injected = async (path: string, userAgent = BROWSER, method: 'GET' | 'HEAD' = 'GET'): Promise<Answer> => {
  const res = await env.app.inject({ method, url: path, headers: { 'user-agent': userAgent } });
  return { statusCode: res.statusCode, headers: res.headers, body: res.body };
};
/** The redirect over a socket, as a browser gets it: the HTTP server's direct door first (decision 0016), Fastify for the rest. */
let listening: string;
const overHttp = async (path: string, userAgent = BROWSER, method: 'GET' | 'HEAD' = 'GET'): Promise<Answer> => {
  const res = await fetch(`${listening}${path}`, { method, redirect: 'manual', headers: { 'user-agent': userAgent } });
  return { statusCode: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
};
let redirect = injected;

beforeAll(async () => {
  const built = buildSimulator({ seed: 'innkeeper-clicks-test', rateLimitBurstMs: null, strictHttps: false, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) });
  built.app.addHook('onRequest', async (req) => {
    if (req.method === 'POST' && req.url.startsWith('/oauth2/v2.1/verify')) verifyCalls += 1;
    if (req.method === 'GET' && req.url.startsWith('/oauth2/v2.1/certs')) certsCalls += 1;
  });
  const url = await built.app.listen({ port: 0, host: '127.0.0.1' });
  built.sim.ctx.options.publicUrl = url;
  sim = { sim: built.sim, url, close: () => built.app.close() };
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  await env.runtime.queue.start({ work: false });
  listening = await env.app.listen({ port: 0, host: '127.0.0.1' });
  tenant = await createTestTenant(env);
  other = await createTestTenant(env, { slug: `clicks-other-${Date.now()}` });
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  const created = await admin.post('/api/line/channels', {
    name: '集團 LINE', propertyId: null, channelId: LINE.channelId, channelSecret: LINE.channelSecret, accessToken: LINE.channelAccessToken, welcomeMessage: '', loginChannelId: LINE.loginChannelId, liffId: LIFF_ID,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  channelDbId = created.body.id;
  sim.sim.createChannel({ ...LINE, displayName: '點擊飯店', basicId: '@click-hotel', liffApps: [{ liffId: LIFF_ID, endpointUrl: `${env.config.publicUrl}/liff/${tenant.tenantId}/${channelDbId}` }] });
  const verified = await admin.post(`/api/line/channels/${channelDbId}/verify`);
  expect(verified.status).toBe(200);
  webhookUrl = verified.body.webhookUrl;
  businessTag = (await admin.post('/api/tags', { name: '商務客', kind: 'campaign' })).body.id;
  guests = sim.sim.addFriends(LINE.channelId, { count: 4, seed: 'click-guests' }).map((f) => f.userId);
  await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    for (const [i, lineUserId] of guests.entries()) {
      const id = randomUUID();
      memberOf.set(lineUserId, id);
      await tx.execute(sql`insert into members (tenant_id, id, member_no, last_name, first_name, marketing_opt_in, line_user_id, line_status, line_display_name)
                           values (${tenant.tenantId}, ${id}, ${`K${i}`}, '陳', ${`客${i}`}, true, ${lineUserId}, 'following', ${`LINE 客${i}`})`);
    }
  });
}, 120_000);
afterAll(async () => {
  await env?.close();
  await sim?.close();
});

describe('a campaign URL button goes out as a tracked LIFF link', () => {
  it('is the same LIFF URL for every recipient of the multicast, and opens the member portal’s LIFF page', async () => {
    const campaign = await sentCampaign('點擊追蹤一');
    const [first, second] = [await tapUrlButton(guests[0]!, '點擊追蹤一'), await tapUrlButton(guests[1]!, '點擊追蹤一')];
    const sent = sim.sim.inbox(LINE.channelId, guests[0]!).findLast((e) => 'message' in e) as unknown as { message: { template: { actions: Array<{ type: string; uri?: string; data?: string }> } } };
    const [uri, postback] = sent.message.template.actions;
    expect(uri!.type).toBe('uri');
    expect(uri!.uri).toMatch(new RegExp(`^https://liff\\.line\\.me/${LIFF_ID}/c/${campaign.id.replaceAll('-', '')}${campaign.uriActionId}\\.[A-Za-z0-9_-]{22}$`));
    expect(uri!.uri).not.toContain('hotel.example');
    expect(postback!.data).toBe(`campaign=${campaign.id}&action=${(await admin.get(`/api/campaigns/${campaign.id}`)).body.messages[0].actions[1].id}`);
    // One multicast, one message: both guests open the same path, each with their own ID token.
    expect(first.pathname).toBe(second.pathname);
    expect(first.pathname.startsWith(`/liff/${tenant.tenantId}/${channelDbId}/c/`)).toBe(true);
    expect(first.hash).not.toBe(second.hash);
    // The LIFF page itself is the member portal's entry (served for any path under /liff/ when the web app is built).
  });
});

describe('a guest taps it in LINE', () => {
  it('is sent to the target at once; the tags follow from the inbox by the job, once however often they click', async () => {
    const campaign = await sentCampaign('點擊追蹤二');
    const guest = guests[2]!;
    const member = memberOf.get(guest)!;
    const opened = await tapUrlButton(guest, '點擊追蹤二');
    const answer = await liffClick(opened);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({ url: TARGET });
    // The worker has not run yet: the click is stored (pending) and nothing is tagged; the job is what tags.
    expect(await clickRows(campaign.id)).toEqual([{ status: 'pending', line_user_id: guest, via: 'liff', member_id: null }]);
    expect(await memberTags(member)).toEqual([]);
    await env.runtime.campaignClicks.settled();
    expect((await env.runtime.queue.drain()).failed).toEqual([]);
    const [tagged] = await memberTags(member);
    expect(tagged).toMatchObject({ tag_id: businessTag, source: 'campaign', source_ref: `${campaign.id}:${campaign.uriActionId}`, source_label: '點擊追蹤二', source_detail: '立即訂房' });

    // Twice more (once on a new tap with a fresh token): counted, on the timeline, the tag's provenance untouched.
    env.clock.advanceMinutes(5);
    expect((await liffClick(opened)).json()).toEqual({ url: TARGET });
    expect((await liffClick(await tapUrlButton(guest, '點擊追蹤二'))).json()).toEqual({ url: TARGET });
    await env.runtime.campaignClicks.settled();
    await env.runtime.queue.drain();
    expect(await memberTags(member)).toEqual([tagged]);
    expect((await clickRows(campaign.id)).map((r) => [r.status, r.member_id])).toEqual([['applied', member], ['applied', member], ['applied', member]]);
    const entries = (await timeline(member)).filter((e) => e.campaignId === campaign.id);
    expect(entries.filter((e) => e.type === 'clicked')).toHaveLength(3);
    expect(entries.filter((e) => e.type === 'clicked')[0]).toMatchObject({ actionId: campaign.uriActionId, details: { label: '立即訂房', url: TARGET, via: 'liff', source: '點擊追蹤二' } });
    expect((await timeline(member)).filter((e) => e.type === 'tag_added')).toHaveLength(1);
    // The campaign and the button apart, so the member page says 活動「點擊追蹤二」的「立即訂房」按鈕.
    expect((await timeline(member)).find((e) => e.type === 'tag_added')).toMatchObject({ details: { source: 'campaign', sourceLabel: '點擊追蹤二', sourceDetail: '立即訂房', sourceRef: `${campaign.id}:${campaign.uriActionId}` } });
    expect((await admin.get(`/api/members/${member}/tags`)).body.data).toEqual([expect.objectContaining({ source: 'campaign', sourceLabel: '點擊追蹤二', sourceDetail: '立即訂房', otherProperty: false })]);

    const counts = await admin.get(`/api/campaigns/${campaign.id}/clicks`);
    expect(counts.body).toEqual({
      data: [
        { actionId: campaign.uriActionId, kind: 'uri', label: '立即訂房', url: TARGET, tagIds: [businessTag], clicks: 3, identified: 3, anonymous: 0, guests: 1, pending: 0 },
        { actionId: campaign.postbackActionId, kind: 'postback', label: '我有興趣', url: null, tagIds: [], clicks: 0, identified: 0, anonymous: 0, guests: 0, pending: 0 },
      ],
    });
  });

  it('a token LINE refuses (another channel’s, expired, forged) is counted anonymously and tags nobody', async () => {
    const campaign = await sentCampaign('點擊追蹤三');
    const opened = await tapUrlButton(guests[3]!, '點擊追蹤三');
    const forged = await liffClick(opened, { idToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJVMTIzIn0.c2lnbmF0dXJl' });
    expect(forged.json()).toEqual({ url: TARGET });
    const expired = sim.sim.issueIdToken(LINE.channelId, { userId: guests[3]!, ttlSeconds: -60 });
    expect((await liffClick(opened, { idToken: expired })).json()).toEqual({ url: TARGET });
    expect((await liffClick(opened, { idToken: null })).json()).toEqual({ url: TARGET });
    await env.runtime.campaignClicks.settled();
    await env.runtime.queue.drain();
    expect((await clickRows(campaign.id)).map((r) => r.status)).toEqual(['anonymous', 'anonymous', 'anonymous']);
    expect(await memberTags(memberOf.get(guests[3]!)!)).toEqual([]);
  });

  it('guests behind one address (a carrier NAT) are all identified however many click at once, and forged tokens are refused without asking LINE', async () => {
    const campaign = await sentCampaign('點擊追蹤同一位址');
    const opened = await tapUrlButton(guests[2]!, '點擊追蹤同一位址');
    const from = (remoteAddress: string, idToken: string) => {
      const [, tenantId, channelId, link] = /^\/liff\/([^/]+)\/([^/]+)\/c\/([^/]+)$/.exec(opened.pathname)!;
      return env.app.inject({
        method: 'POST',
        url: `/api/liff/${tenantId}/${channelId}/clicks`,
        remoteAddress,
        headers: { 'user-agent': BROWSER, 'content-type': 'application/json', authorization: `Bearer ${idToken}` },
        payload: { link: decodeURIComponent(link!) },
      });
    };
    const before = { verify: verifyCalls, certs: certsCalls };
    // Forty new tokens from one address within the minute (each its own nonce, as each guest's is its own): every one
    // identified. Checking each with LINE's endpoint had to be rationed per address (30 a minute), and past that the
    // clicks were counted anonymously and their tags lost.
    for (let i = 0; i < 40; i += 1) {
      const token = sim.sim.issueIdToken(LINE.channelId, { userId: guests[2]!, nonce: `carrier-nat-${i}` });
      expect((await from('203.0.113.7', token)).json()).toEqual({ url: TARGET });
    }
    // Forged ones from the same address: not LIFF's algorithm, a made-up key, another key's signature under LINE's
    // key id. All sent on and counted anonymously; LINE's verify endpoint never asked, its keys read at most once more.
    const [h, p] = sim.sim.issueIdToken(LINE.channelId, { userId: guests[2]!, nonce: 'to-forge' }).split('.') as [string, string];
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const otherSignature = crypto.sign('sha256', Buffer.from(`${h}.${p}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    const madeUpKid = Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'made-up-key' })).toString('base64url');
    const forged = [`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJVMSJ9.forged`, `eyJhbGciOiJub25lIn0.eyJzdWIiOiJVMSJ9.`, `${madeUpKid}.${p}.${otherSignature}`, `${h}.${p}.${otherSignature}`];
    for (const token of forged) expect((await from('203.0.113.7', token)).json()).toEqual({ url: TARGET });
    expect(verifyCalls - before.verify).toBe(0);
    expect(certsCalls - before.certs).toBeLessThanOrEqual(2);
    const rows = await clickRows(campaign.id);
    expect(rows).toHaveLength(44);
    expect(rows.filter((r) => r.line_user_id === guests[2]!)).toHaveLength(40);
    expect(rows.filter((r) => r.status === 'anonymous')).toHaveLength(4);
    await env.runtime.queue.drain();
  });

  it('a LINE user who is no member is counted and tagged nowhere (no member record is made for them)', async () => {
    const campaign = await sentCampaign('點擊追蹤四');
    const stranger = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'click-stranger' })[0]!.userId;
    const opened = await tapUrlButton(guests[0]!, '點擊追蹤四');
    const answer = await liffClick(opened, { idToken: sim.sim.issueIdToken(LINE.channelId, { userId: stranger }) });
    expect(answer.json()).toEqual({ url: TARGET });
    await env.runtime.campaignClicks.settled();
    await env.runtime.queue.drain();
    expect(await clickRows(campaign.id)).toEqual([{ status: 'no_member', line_user_id: stranger, via: 'liff', member_id: null }]);
    const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from members where line_user_id = ${stranger}`));
    expect(row!.n).toBe(0);
  });
});

/** The guest taps the postback button 我有興趣 of their latest campaign message on the simulated phone: LINE posts the tap to the webhook. */
async function tapPostbackButton(userId: string): Promise<void> {
  const message = sim.sim.inbox(LINE.channelId, userId).findLast((e) => 'message' in e && JSON.stringify(e.message).includes('平日商務優惠')) as unknown as { id: string; message: { template: { actions: Array<Record<string, unknown>> } } };
  const postback = message.message.template.actions[1]!;
  expect(postback.type).toBe('postback');
  await sim.sim.tap(LINE.channelId, userId, { messageId: message.id, action: postback });
}

/** An account of the hotel with one role, signed in. */
async function accountWith(permissions: string[], propertyIds: string[] = []): Promise<ApiClient> {
  const role = await admin.post('/api/roles', { name: `點擊統計 ${randomUUID().slice(0, 8)}`, permissions });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const email = `${randomUUID().slice(0, 8)}@clicks.example`;
  const created = await admin.post('/api/accounts', { email, displayName: email, roleId: role.body.id, allProperties: propertyIds.length === 0, propertyIds });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

describe('staff read a campaign’s clicks per button', () => {
  it('URL buttons’ clicks and postback buttons’ taps, each with its distinct guests, in the message’s order', async () => {
    const campaign = await sentCampaign('點擊統計');
    // LINE posts the taps to Innkeeper (listening here) for this test only: the other tests add friends whose follow
    // events would otherwise make them members.
    sim.sim.updateChannel(LINE.channelId, { webhookUrl: webhookUrl.replace(/^https?:\/\/[^/]+/, listening) });
    try {
      // Guest 0 taps 我有興趣 twice, guest 1 once.
      await tapPostbackButton(guests[0]!);
      await tapPostbackButton(guests[0]!);
      await tapPostbackButton(guests[1]!);
    } finally {
      sim.sim.updateChannel(LINE.channelId, { webhookUrl });
    }
    // Guest 2 clicks 立即訂房 in LINE; someone opens the link outside LINE.
    expect((await liffClick(await tapUrlButton(guests[2]!, '點擊統計'))).json()).toEqual({ url: TARGET });
    expect((await injected(`/c/${tenant.tenantId}/${signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId })}`)).headers.location).toBe(TARGET);
    await env.runtime.campaignClicks.settled();
    // Before the workers ran: the URL click is pending, the taps wait in LINE's inbox (not counted yet).
    expect((await admin.get(`/api/campaigns/${campaign.id}/clicks`)).body.data).toEqual([
      expect.objectContaining({ kind: 'uri', clicks: 2, identified: 1, anonymous: 1, guests: 1, pending: 1 }),
      expect.objectContaining({ kind: 'postback', clicks: 0, guests: 0 }),
    ]);
    expect((await env.runtime.queue.drain()).failed).toEqual([]);
    const counts = await admin.get(`/api/campaigns/${campaign.id}/clicks`);
    expect(counts.status).toBe(200);
    expect(counts.body).toEqual({
      data: [
        { actionId: campaign.uriActionId, kind: 'uri', label: '立即訂房', url: TARGET, tagIds: [businessTag], clicks: 2, identified: 1, anonymous: 1, guests: 1, pending: 0 },
        { actionId: campaign.postbackActionId, kind: 'postback', label: '我有興趣', url: null, tagIds: [], clicks: 3, identified: 3, anonymous: 0, guests: 2, pending: 0 },
      ],
    });
    // The taps are the guests' own history entries, named with the campaign and the button.
    const taps = (await timeline(memberOf.get(guests[0]!)!)).filter((e) => e.type === 'clicked' && e.campaignId === campaign.id);
    expect(taps.map((e) => e.actionId)).toEqual([campaign.postbackActionId, campaign.postbackActionId]);
  });

  it('needs a campaign permission (403), and another hotel’s or another property’s campaign is not found (404)', async () => {
    const campaign = await sentCampaign('點擊統計權限');
    const [taipei, taichung] = tenant.propertyIds as [string, string];
    const reader = await accountWith(['members.read']);
    const refused = await reader.get(`/api/campaigns/${campaign.id}/clicks`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('auth.forbidden');
    // A push account reads them (campaigns.push is a reading permission, as campaigns.edit is).
    expect((await (await accountWith(['campaigns.push'])).get(`/api/campaigns/${campaign.id}/clicks`)).status).toBe(200);

    const theirAdmin = await signedInAs(env, other.adminEmail, other.password);
    const foreign = await theirAdmin.get(`/api/campaigns/${campaign.id}/clicks`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('campaign.not_found');

    // A 台北館 marketer reads the group-wide campaign's clicks, not 台中館's campaign's.
    const taichungOnly = await admin.post('/api/campaigns', { name: '台中館點擊統計', propertyId: taichung, tagIds: [], audience: { kind: 'all' }, messages: [{ type: 'buttons', altText: '台中', text: '台中館優惠', actions: [{ type: 'postback', label: '我有興趣', tagIds: [] }] }] });
    expect(taichungOnly.status, JSON.stringify(taichungOnly.body)).toBe(201);
    const marketer = await accountWith(['members.read', 'campaigns.edit'], [taipei]);
    expect((await marketer.get(`/api/campaigns/${campaign.id}/clicks`)).status).toBe(200);
    expect((await marketer.get(`/api/campaigns/${taichungOnly.body.id}/clicks`)).status).toBe(404);
    expect((await admin.get(`/api/campaigns/${taichungOnly.body.id}/clicks`)).body.data).toEqual([expect.objectContaining({ kind: 'postback', label: '我有興趣', clicks: 0 })]);
    expect((await admin.get(`/api/campaigns/${randomUUID()}/clicks`)).status).toBe(404);
  });
});

// Each test both ways: through Fastify's route, and over HTTP, where a known link's clicks are answered by the HTTP
// server's direct door before Fastify (decision 0016) and the rest (a button's first click in the process, unusual
// paths) by the route.
describe.each([
  ['through the Fastify route', injected],
  ['over HTTP', overHttp],
] as const)('Innkeeper’s own redirect (%s)', (way, ask) => {
  beforeAll(() => {
    redirect = ask;
  });
  afterAll(() => {
    redirect = injected;
  });
  it('opened outside LINE: counted anonymously and redirected; nobody tagged', async () => {
    const campaign = await sentCampaign('點擊追蹤五');
    const link = signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId });
    const response = await redirect(`/c/${tenant.tenantId}/${link}`, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36');
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(TARGET);
    // Served from the lean context (docs/decisions/0013): never cached, no referrer, nosniff, a CSP allowing nothing,
    // and nothing of the general pipeline's (no page headers, no cookie).
    expect(response.headers).toMatchObject(LEAN_HEADERS);
    for (const header of ['x-frame-options', 'cross-origin-opener-policy', 'set-cookie', 'x-request-id']) expect(response.headers[header], header).toBeUndefined();
    expect(response.body).toBe('');
    expect(await clickRows(campaign.id)).toEqual([{ status: 'anonymous', line_user_id: null, via: 'link', member_id: null }]);
    // Stored as a count (nobody to tag), not a row of its own.
    expect(await clickCountRows(campaign.id)).toEqual([{ action_id: campaign.uriActionId, via: 'link', clicks: 1 }]);
    // Summed under the injected clock's minute (Clock.nowMs, required of every clock), not the machine's.
    const nowMs = env.clock.nowMs();
    expect(nowMs).toBe(env.clock.now().getTime());
    const [minute] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ ms: number }>(tx, sql`select (extract(epoch from clicked_minute) * 1000)::float8 as ms from campaign_click_counts where campaign_id = ${campaign.id}`));
    expect(minute!.ms).toBe(nowMs - (nowMs % 60_000));
    await env.runtime.campaignClicks.settled();
    await env.runtime.queue.drain();
    expect((await admin.get(`/api/campaigns/${campaign.id}/clicks`)).body.data[0]).toMatchObject({ clicks: 1, identified: 0, anonymous: 1, guests: 0 });
  });

  it('opened outside LINE, the guest is not kept waiting for the write: answered while the counts cannot be written, the sum written once they can (decision 0014)', async () => {
    const campaign = await sentCampaign('點擊追蹤不等待');
    const path = `/c/${tenant.tenantId}/${signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId })}`;
    // The first click reads the button's target (cached from then on), as every process's first click of a button does.
    expect((await redirect(path)).statusCode).toBe(302);
    await env.runtime.campaignClicks.settled();
    let release!: () => void;
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const blocker = env.runtime.db.ownerTransaction(async (owner) => {
      await owner.query('lock table campaign_click_counts in exclusive mode');
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await lockTaken;
    const answers = await Promise.all(Array.from({ length: 5 }, () => redirect(path)));
    expect(answers.map((a) => [a.statusCode, a.headers.location])).toEqual(Array.from({ length: 5 }, () => [302, TARGET]));
    release();
    await blocker;
    expect(await clickCountRows(campaign.id)).toEqual([{ action_id: campaign.uriActionId, via: 'link', clicks: 6 }]);
  });

  it('anonymous sums are written on their own within moments, also after an identified click’s statement took the earlier ones (decision 0014)', async () => {
    const campaign = await sentCampaign('點擊追蹤自行寫入');
    const path = `/c/${tenant.tenantId}/${signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId })}`;
    // Read straight from the table: nobody asks the click store to settle, so only its own timer can write them.
    const anonymousStored = async () =>
      (await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ clicks: number }>(tx, sql`select coalesce(sum(clicks), 0)::int as clicks from campaign_click_counts where campaign_id = ${campaign.id}`)))[0]!.clicks;
    expect((await redirect(path)).statusCode).toBe(302);
    // An identified click goes at once, and its statement carries the sum waiting with it.
    expect((await liffClick(await tapUrlButton(guests[1]!, '點擊追蹤自行寫入'))).json()).toEqual({ url: TARGET });
    expect(await anonymousStored()).toBe(1);
    for (let i = 0; i < 3; i += 1) expect((await redirect(path)).statusCode).toBe(302);
    await vi.waitFor(async () => expect(await anonymousStored()).toBe(4), { timeout: 10_000, interval: 50 });
  });

  it('a refused sum is retried three statements and given up, apart from fresher clicks on its button: they keep their own three (decision 0014)', async () => {
    const campaign = await sentCampaign('點擊追蹤重試');
    const path = `/c/${tenant.tenantId}/${signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId })}`;
    expect((await redirect(path)).statusCode).toBe(302);
    await env.runtime.campaignClicks.settled();
    // The database refuses every sum from now on (a constraint no count meets), as a database in trouble would.
    await env.runtime.db.ownerTransaction((owner) => owner.query('alter table campaign_click_counts add constraint refuse_counts check (clicks < 0) not valid'));
    const lost: number[] = [];
    const logged = vi.spyOn(env.runtime.logger, 'error').mockImplementation(function (this: unknown, ...args: unknown[]) {
      const [fields, message] = args as [{ clicks?: number }, string];
      if (message === 'anonymous campaign clicks not stored') lost.push(fields.clicks ?? 0);
    });
    // A fresh click arrives just as the first refusal comes back, before its sum is put back: the moment the two used to
    // be merged and the refused one's attempts started over.
    const statement = env.runtime.db.statement.bind(env.runtime.db);
    let fresh: Promise<unknown> | undefined;
    const statements = vi.spyOn(env.runtime.db, 'statement').mockImplementation(((...args: Parameters<typeof statement>) =>
      statement(...args).catch((error: unknown) => {
        fresh ??= redirect(path);
        return fresh.then(() => Promise.reject(error));
      })) as typeof statement);
    try {
      const answers = await Promise.all([redirect(path), redirect(path)]);
      expect(answers.map((a) => a.statusCode)).toEqual([302, 302]);
      await env.runtime.campaignClicks.settled();
      expect(((await fresh) as { statusCode: number }).statusCode).toBe(302);
      // Three statements for the first two clicks, then given up; the fresh one its own three, one statement later.
      expect(lost).toEqual([2, 1]);
      expect(statements).toHaveBeenCalledTimes(4);
    } finally {
      statements.mockRestore();
      logged.mockRestore();
      await env.runtime.db.ownerTransaction((owner) => owner.query('alter table campaign_click_counts drop constraint refuse_counts'));
    }
    // Once the database takes them again, clicks are counted as before; the ones given up are not.
    expect((await redirect(path)).statusCode).toBe(302);
    expect(await clickCountRows(campaign.id)).toEqual([{ action_id: campaign.uriActionId, via: 'link', clicks: 2 }]);
  });

  it('a process that closes writes the anonymous sums it still holds before it goes (decision 0014)', async () => {
    const campaign = await sentCampaign('點擊追蹤關閉');
    const path = `/c/${tenant.tenantId}/${signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId })}`;
    // A second web app on the same runtime, closed as api.ts closes it on SIGTERM (the app first, then the database).
    const closing = await buildApp(env.runtime);
    await closing.ready();
    const answers = await Promise.all(Array.from({ length: 3 }, () => closing.inject({ method: 'GET', url: path, headers: { 'user-agent': BROWSER } })));
    expect(answers.map((a) => a.statusCode)).toEqual([302, 302, 302]);
    await closing.close();
    // Read straight from the table, without asking the click store to settle first.
    const stored = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ clicks: number }>(tx, sql`select coalesce(sum(clicks), 0)::int as clicks from campaign_click_counts where campaign_id = ${campaign.id}`),
    );
    expect(stored).toEqual([{ clicks: 3 }]);
  });

  it('a browser with Innkeeper’s session cookie is answered without its cookie read or touched; a NUL in the path is a forged link', async () => {
    const campaign = await sentCampaign('點擊追蹤餅乾');
    const link = signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId });
    const signedIn = await env.app.inject({ method: 'GET', url: `/c/${tenant.tenantId}/${link}`, headers: { 'user-agent': BROWSER, cookie: admin.cookie! } });
    expect({ status: signedIn.statusCode, location: signedIn.headers.location, cookie: signedIn.headers['set-cookie'] }).toEqual({ status: 302, location: TARGET, cookie: undefined });
    expect(signedIn.headers).toMatchObject(LEAN_HEADERS);
    // The general pipeline's NUL guard does not run in the lean context: a NUL is one more byte the tenant id's pattern
    // or the link's signature refuses, before anything is read or written.
    for (const path of [`/c/${tenant.tenantId}/${link}%00`, `/c/${tenant.tenantId}%00/${link}`, `/c/%00/%00`]) {
      const response = await redirect(path);
      expect({ path, status: response.statusCode, location: response.headers.location }).toEqual({ path, status: 302, location: `${env.config.publicUrl}/c/invalid` });
    }
    expect(await clickCountRows(campaign.id)).toEqual([{ action_id: campaign.uriActionId, via: 'link', clicks: 1 }]);
    // The staff's session is still good: the redirect ended nothing.
    expect((await admin.get(`/api/campaigns/${campaign.id}/clicks`)).body.data[0]).toMatchObject({ clicks: 1, anonymous: 1 });
  });

  it('a mix of clicks: identified ones a row each, anonymous ones summed, and the staff’s counts the same as a row per click gave', async () => {
    const campaign = await sentCampaign('點擊追蹤混合');
    const link = signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId });
    const opened = await tapUrlButton(guests[1]!, '點擊追蹤混合');
    // Two clicks in LINE by guest 1 (identified), one on the LIFF page without a token, five outside LINE at once.
    expect((await liffClick(opened)).json()).toEqual({ url: TARGET });
    expect((await liffClick(opened)).json()).toEqual({ url: TARGET });
    expect((await liffClick(opened, { idToken: null })).json()).toEqual({ url: TARGET });
    const outside = await Promise.all(Array.from({ length: 5 }, () => redirect(`/c/${tenant.tenantId}/${link}`)));
    expect(outside.map((r) => r.headers.location)).toEqual(Array.from({ length: 5 }, () => TARGET));
    const rows = await clickRows(campaign.id);
    expect(rows.filter((r) => r.status === 'pending')).toHaveLength(2);
    expect(rows.filter((r) => r.status === 'anonymous').map((r) => r.via).sort()).toEqual(['liff', 'link', 'link', 'link', 'link', 'link']);
    expect((await clickCountRows(campaign.id)).reduce((n, r) => n + r.clicks, 0)).toBe(6);
    const before = (await admin.get(`/api/campaigns/${campaign.id}/clicks`)).body.data;
    expect(before[0]).toEqual({ actionId: campaign.uriActionId, kind: 'uri', label: '立即訂房', url: TARGET, tagIds: [businessTag], clicks: 8, identified: 2, anonymous: 6, guests: 1, pending: 2 });
    await env.runtime.queue.drain();
    expect((await admin.get(`/api/campaigns/${campaign.id}/clicks`)).body.data).toEqual([{ ...before[0], pending: 0 }, before[1]]);
  });

  it('link previewers and HEAD requests are sent on without being counted', async () => {
    const campaign = await sentCampaign('點擊追蹤六');
    const link = signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId });
    const previewers = [
      'facebookexternalhit/1.1;line-poker/1.0',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'Twitterbot/1.0',
      'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
      // No user agent at all: no browser.
      '',
    ];
    for (const agent of previewers) {
      const response = await redirect(`/c/${tenant.tenantId}/${link}`, agent);
      expect({ agent, status: response.statusCode, location: response.headers.location }).toEqual({ agent, status: 302, location: TARGET });
      expect({ agent, clicks: await clickRows(campaign.id) }).toEqual({ agent, clicks: [] });
    }
    const head = await redirect(`/c/${tenant.tenantId}/${link}`, BROWSER, 'HEAD');
    expect(head.statusCode).toBe(302);
    const liffPreview = await env.app.inject({ method: 'POST', url: `/api/liff/${tenant.tenantId}/${channelDbId}/clicks`, headers: { 'user-agent': 'Slackbot 1.0' }, payload: { link } });
    expect(liffPreview.json()).toEqual({ url: TARGET });
    expect(await clickRows(campaign.id)).toEqual([]);
  });

  it('forged, altered or unknown link ids go to the invalid-link page and count nothing', async () => {
    const campaign = await sentCampaign('點擊追蹤七');
    const countedBefore = await allCounted();
    const link = signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId });
    const [head, signature] = link.split('.');
    const flipped = `${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`;
    const forgeries = [
      `${head}.${flipped}`,
      `${head}x.${signature}`,
      `${randomUUID().replaceAll('-', '')}${campaign.uriActionId}.${signature}`,
      'not-a-link',
      // Garbage up to Fastify's parameter limit (100 characters; a longer one is answered 414 by the router).
      'x'.repeat(100),
      // Signed correctly, but for a button that does not exist, and for the postback button (not a URL).
      signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: 'nosuch' }),
      signLink(env.runtime.keyring, tenant.tenantId, { campaignId: randomUUID(), actionId: campaign.uriActionId }),
    ];
    for (const forged of forgeries) {
      const response = await redirect(`/c/${tenant.tenantId}/${forged}`);
      expect({ forged, status: response.statusCode, location: response.headers.location }).toEqual({ forged, status: 302, location: `${env.config.publicUrl}/c/invalid` });
      const viaLiff = await env.app.inject({ method: 'POST', url: `/api/liff/${tenant.tenantId}/${channelDbId}/clicks`, headers: { 'user-agent': BROWSER }, payload: { link: forged } });
      expect(viaLiff.json()).toEqual({ url: `${env.config.publicUrl}/c/invalid` });
    }
    const page = await redirect('/c/invalid');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('此連結無效或已失效');
    expect(await clickRows(campaign.id)).toEqual([]);
    // Nothing counted for any campaign of either hotel (the unknown campaign's link included).
    expect(await allCounted()).toEqual(countedBefore);
  });

  it('another hotel’s link under this hotel’s address (or the other way round) is refused, and tags nobody', async () => {
    const campaign = await sentCampaign('點擊追蹤八');
    const link = signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId });
    const underOther = await redirect(`/c/${other.tenantId}/${link}`);
    expect(underOther.headers.location).toBe(`${env.config.publicUrl}/c/invalid`);
    // The other hotel signs its own link for this campaign's id: it names no campaign of theirs.
    const theirs = signLink(env.runtime.keyring, other.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId });
    expect((await redirect(`/c/${other.tenantId}/${theirs}`)).headers.location).toBe(`${env.config.publicUrl}/c/invalid`);
    expect((await redirect(`/c/${tenant.tenantId}/${theirs}`)).headers.location).toBe(`${env.config.publicUrl}/c/invalid`);
    // Through the LIFF page with a real guest's token, but the other hotel's address.
    const opened = await tapUrlButton(guests[0]!, '點擊追蹤八');
    const context = JSON.parse(Buffer.from(opened.hash.replace('#line-sim-liff=', ''), 'base64url').toString('utf8')) as { idToken: string };
    const foreign = await env.app.inject({ method: 'POST', url: `/api/liff/${other.tenantId}/${channelDbId}/clicks`, headers: { 'user-agent': BROWSER, authorization: `Bearer ${context.idToken}` }, payload: { link } });
    expect(foreign.json()).toEqual({ url: `${env.config.publicUrl}/c/invalid` });
    expect(await clickRows(campaign.id)).toEqual([]);
    await env.runtime.campaignClicks.settled();
    await env.runtime.queue.drain();
    // And the other hotel's staff cannot read this campaign's clicks (signed in afresh: this test runs twice, and the
    // tests before it move the clock on past a session's idle limit).
    const theirAdmin = await signedInAs(env, other.adminEmail, other.password);
    expect((await theirAdmin.get(`/api/campaigns/${campaign.id}/clicks`)).status).toBe(404);
  });

  it('a link whose signature held is remembered for its hotel only: under another hotel, or altered, it is still refused', async () => {
    const campaign = await sentCampaign('點擊追蹤八之二');
    const link = signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId });
    // Checked and remembered (HEAD: sent on, not counted).
    expect((await redirect(`/c/${tenant.tenantId}/${link}`, BROWSER, 'HEAD')).headers.location).toBe(TARGET);
    expect((await redirect(`/c/${other.tenantId}/${link}`)).headers.location).toBe(`${env.config.publicUrl}/c/invalid`);
    const viaLiff = await env.app.inject({ method: 'POST', url: `/api/liff/${other.tenantId}/${channelDbId}/clicks`, headers: { 'user-agent': BROWSER }, payload: { link } });
    expect(viaLiff.json()).toEqual({ url: `${env.config.publicUrl}/c/invalid` });
    const altered = `${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`;
    expect((await redirect(`/c/${tenant.tenantId}/${altered}`)).headers.location).toBe(`${env.config.publicUrl}/c/invalid`);
    expect(await clickRows(campaign.id)).toEqual([]);
    // The remembered link itself still counts its clicks.
    expect((await redirect(`/c/${tenant.tenantId}/${link}`)).headers.location).toBe(TARGET);
    expect(await clickRows(campaign.id)).toEqual([{ status: 'anonymous', line_user_id: null, via: 'link', member_id: null }]);
  });
});

describe('the HTTP server’s direct door for the redirect (decision 0016)', () => {
  it('answers a known link’s clicks before Fastify; a button’s first click in the process, and a path the door leaves, go to the route; the answer and the count are the same', async () => {
    const campaign = await sentCampaign('點擊追蹤直通');
    const link = signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId });
    const path = `/c/${tenant.tenantId}/${link}`;
    const byRoute = vi.spyOn(env.runtime.campaignClicks, 'click');
    try {
      // The first click: the button's target is not read yet in this process, so the door leaves it to the route.
      const first = await overHttp(path);
      expect({ status: first.statusCode, location: first.headers.location }).toEqual({ status: 302, location: TARGET });
      expect(byRoute).toHaveBeenCalledTimes(1);
      // Known now: answered by the door, the route not asked.
      const direct = await overHttp(path);
      expect(byRoute).toHaveBeenCalledTimes(1);
      // The same link with one character percent-encoded: the router decodes it to the same link; the door leaves it.
      const encoded = await overHttp(`/c/${tenant.tenantId}/%${link.charCodeAt(0).toString(16)}${link.slice(1)}`);
      expect(byRoute).toHaveBeenCalledTimes(2);
      const viaRoute = await injected(path);
      expect(byRoute).toHaveBeenCalledTimes(3);
      // The door's answer is the route's: status, Location, the lean headers, an empty body; only Node's Date and
      // keep-alive headers besides.
      for (const answer of [first, direct, encoded, viaRoute]) {
        expect(answer.statusCode).toBe(302);
        expect(answer.headers).toMatchObject({ ...LEAN_HEADERS, location: TARGET, 'content-length': '0' });
        expect(answer.body).toBe('');
      }
      const extra = (answer: Answer) => Object.keys(answer.headers).filter((name) => !(name in LEAN_HEADERS) && !['location', 'content-length', 'date', 'connection', 'keep-alive'].includes(name));
      expect(extra(direct)).toEqual([]);
      expect(extra(direct)).toEqual(extra(first));
      // Forged under the door: the invalid-link page, nothing counted; a HEAD and a previewer: sent on, not counted.
      expect((await overHttp(`/c/${tenant.tenantId}/${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`)).headers.location).toBe(`${env.config.publicUrl}/c/invalid`);
      expect((await overHttp(`/c/${other.tenantId}/${link}`)).headers.location).toBe(`${env.config.publicUrl}/c/invalid`);
      expect((await overHttp(path, BROWSER, 'HEAD')).headers.location).toBe(TARGET);
      expect((await overHttp(path, 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)')).headers.location).toBe(TARGET);
      expect(byRoute).toHaveBeenCalledTimes(3);
    } finally {
      byRoute.mockRestore();
    }
    // Four clicks counted, whichever way they came in: the route's two, the door's one, inject's one.
    expect(await clickCountRows(campaign.id)).toEqual([{ action_id: campaign.uriActionId, via: 'link', clicks: 4 }]);
  });

  it('a closing app stops answering at the door first and writes every click the door counted', async () => {
    const campaign = await sentCampaign('點擊追蹤直通關閉');
    const path = `/c/${tenant.tenantId}/${signLink(env.runtime.keyring, tenant.tenantId, { campaignId: campaign.id, actionId: campaign.uriActionId })}`;
    const closing = await buildApp(env.runtime);
    const base = await closing.listen({ port: 0, host: '127.0.0.1' });
    const byDoor = vi.spyOn(env.runtime.campaignClicks, 'clickAtOnce');
    try {
      for (let i = 0; i < 3; i += 1) expect((await fetch(`${base}${path}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } })).status).toBe(302);
      const asked = byDoor.mock.calls.length;
      expect(asked).toBe(3);
      await closing.close();
      // Read straight from the table, without asking the click store to settle first: the close wrote them.
      const stored = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ clicks: number }>(tx, sql`select coalesce(sum(clicks), 0)::int as clicks from campaign_click_counts where campaign_id = ${campaign.id}`),
      );
      expect(stored).toEqual([{ clicks: 3 }]);
    } finally {
      byDoor.mockRestore();
    }
  });
});

describe('a test send', () => {
  it('carries the same tracked links', async () => {
    const created = await admin.post('/api/campaigns', {
      name: '測試發送連結',
      propertyId: null,
      tagIds: [businessTag],
      audience: { kind: 'all' },
      messages: [{ type: 'bubble', altText: '商務客', title: '商務客專屬', actions: [{ type: 'uri', label: '看看', uri: 'https://hotel.example/vip', tagIds: [businessTag] }] }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sent = await admin.post(`/api/campaigns/${created.body.id}/test-send`, { memberIds: [memberOf.get(guests[1]!)] });
    expect(sent.body.results, JSON.stringify(sent.body)).toMatchObject([{ outcome: 'accepted' }]);
    const message = sim.sim.inbox(LINE.channelId, guests[1]!).findLast((e) => 'message' in e) as unknown as { message: { contents: { footer: { contents: Array<{ action: { uri: string } }> } } } };
    const uri = message.message.contents.footer.contents[0]!.action.uri;
    expect(uri).toMatch(new RegExp(`^https://liff\\.line\\.me/${LIFF_ID}/c/${created.body.id.replaceAll('-', '')}[A-Za-z0-9]+\\.`));
  });

  it('its guest is tagged by a tap as a recipient is; a guest who had only another campaign’s test send is not (the forwarded-link rule)', async () => {
    const trialTag = (await admin.post('/api/tags', { name: '試發點擊', kind: 'campaign' })).body.id as string;
    const draft = async (name: string) => {
      const created = await admin.post('/api/campaigns', {
        name,
        propertyId: null,
        tagIds: [trialTag],
        audience: { kind: 'all' },
        messages: [{ type: 'bubble', altText: name, title: name, actions: [{ type: 'uri', label: '看看', uri: 'https://hotel.example/trial', tagIds: [trialTag] }] }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id as string;
    };
    const [trial, other] = [await draft('試發點擊甲'), await draft('試發點擊乙')];
    expect((await admin.post(`/api/campaigns/${trial}/test-send`, { memberIds: [memberOf.get(guests[1]!)] })).body.results).toMatchObject([{ outcome: 'accepted' }]);
    expect((await admin.post(`/api/campaigns/${other}/test-send`, { memberIds: [memberOf.get(guests[3]!)] })).body.results).toMatchObject([{ outcome: 'accepted' }]);
    const message = sim.sim.inbox(LINE.channelId, guests[1]!).findLast((e) => 'message' in e && JSON.stringify(e.message).includes('試發點擊甲')) as unknown as {
      id: string;
      message: { contents: { footer: { contents: Array<{ action: Record<string, unknown> }> } } };
    };
    const opened = new URL((await sim.sim.tap(LINE.channelId, guests[1]!, { messageId: message.id, action: message.message.contents.footer.contents[0]!.action })).open!);
    // Guest 3 opens the link guest 1 forwarded, in LINE: a test recipient, but of the other campaign.
    expect((await liffClick(opened, { idToken: sim.sim.issueIdToken(LINE.channelId, { userId: guests[3]! }) })).json()).toEqual({ url: 'https://hotel.example/trial' });
    expect((await liffClick(opened)).json()).toEqual({ url: 'https://hotel.example/trial' });
    await env.runtime.campaignClicks.settled();
    expect((await env.runtime.queue.drain()).failed).toEqual([]);
    expect((await clickRows(trial)).map((r) => r.status)).toEqual(['applied', 'applied']);
    expect((await memberTags(memberOf.get(guests[1]!)!)).filter((t) => t.tag_id === trialTag)).toHaveLength(1);
    expect((await memberTags(memberOf.get(guests[3]!)!)).filter((t) => t.tag_id === trialTag)).toEqual([]);
  });
});

describe('a guest erased for good', () => {
  it('leaves no LINE user id on clicks the job had not yet tagged (found by the review: only member-tagged clicks were anonymised)', async () => {
    const campaign = await sentCampaign('點擊追蹤抹除');
    const guest = guests[2]!;
    expect((await liffClick(await tapUrlButton(guest, '點擊追蹤抹除'))).json()).toEqual({ url: TARGET });
    // Stored, not yet tagged: the worker has not run.
    expect(await clickRows(campaign.id)).toEqual([{ status: 'pending', line_user_id: guest, via: 'liff', member_id: null }]);
    const member = memberOf.get(guest)!;
    expect((await admin.delete(`/api/members/${member}`)).status).toBe(200);
    expect((await admin.post(`/api/members/${member}/erase`)).status).toBe(204);
    expect(await clickRows(campaign.id)).toEqual([{ status: 'anonymous', line_user_id: null, via: 'liff', member_id: null }]);
  });
});

describe('a forwarded link (the attack review)', () => {
  it('a member the campaign was not sent to is counted and on their timeline, and given none of its tags', async () => {
    const campaign = await sentCampaign('點擊追蹤轉傳');
    // A friend who follows the hotel too, but became a member after the campaign went out: not one of its recipients.
    const friend = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'click-forwarded' })[0]!.userId;
    const friendMember = randomUUID();
    await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      tx.execute(sql`insert into members (tenant_id, id, member_no, last_name, first_name, marketing_opt_in, line_user_id, line_status, line_display_name)
                     values (${tenant.tenantId}, ${friendMember}, 'K-FWD', '林', '朋友', true, ${friend}, 'following', 'LINE 朋友')`),
    );
    // Guest 0 forwards the message; the friend opens the link in LINE (their own ID token).
    const opened = await tapUrlButton(guests[0]!, '點擊追蹤轉傳');
    expect((await liffClick(opened, { idToken: sim.sim.issueIdToken(LINE.channelId, { userId: friend }) })).json()).toEqual({ url: TARGET });
    await env.runtime.campaignClicks.settled();
    expect((await env.runtime.queue.drain()).failed).toEqual([]);
    expect(await clickRows(campaign.id)).toEqual([{ status: 'applied', line_user_id: friend, via: 'liff', member_id: friendMember }]);
    expect((await timeline(friendMember)).filter((e) => e.type === 'clicked' && e.campaignId === campaign.id)).toHaveLength(1);
    expect(await memberTags(friendMember)).toEqual([]);
    // The guest it was sent to is still tagged by their own click.
    expect((await liffClick(opened)).json()).toEqual({ url: TARGET });
    await env.runtime.campaignClicks.settled();
    await env.runtime.queue.drain();
    expect((await memberTags(memberOf.get(guests[0]!)!)).map((t) => t.tag_id)).toContain(businessTag);
  });
});
