import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient, latestLinkToken, signedInAs, type ApiResponse } from './api-client.ts';
import { createTestTenant, type TestTenant } from './harness.ts';
import { queryRows } from '../src/core/db/database.ts';
import { startAutomationKit, type Kit } from '../src/modules/automation/__tests__/automation-kit.ts';
import { aggregationUnitOf } from '../src/modules/campaigns/index.ts';
import { signLink } from '../src/modules/campaigns/campaign-links.ts';
import { png, upload } from '../src/modules/campaigns/__tests__/test-images.ts';

/**
 * Issue 11's campaigns and rules probed from the outside (the attack review of 2026-12-07, kept as regression tests):
 * the tracked redirect with a target LINE and browsers accept, postbacks naming campaigns the tapper was never sent or
 * another hotel's, who may give which tags through a rule, property-limited accounts, and uploads the header check
 * lets through. Against the LINE simulator over HTTP (the app listening for its webhooks), on PGlite and on
 * PostgreSQL (`TEST_DATABASE_URL`).
 */
const LINE = { channelId: '2007811001', channelSecret: '0f1e2d3c4b5a6978'.repeat(2), channelAccessToken: 'test-access-token-for-the-probes-01' };
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.9.0';
const SLOW = 120_000;

let kit: Kit;
let other: TestTenant;
let otherAdmin: ApiClient;

async function account(email: string, permissions: string[], scope: { allProperties: boolean; propertyIds: string[] } = { allProperties: true, propertyIds: [] }): Promise<ApiClient> {
  const role = await kit.admin.post('/api/roles', { name: email.split('@')[0], permissions });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const created = await kit.admin.post('/api/accounts', { email, displayName: email, roleId: role.body.id, ...scope });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(kit.env).post('/api/auth/set-password', { token: await latestLinkToken(kit.env, email), password: 'long enough passphrase' });
  return signedInAs(kit.env, email, 'long enough passphrase');
}

/** A campaign made by `client`, approved by the admin and sent now; the jobs run to the end. */
async function sentCampaign(body: Record<string, unknown>, client: ApiClient = kit.admin): Promise<{ id: string; body: Record<string, unknown> & { messages: Array<{ actions?: Array<{ id: string }> }> } }> {
  const created = await client.post('/api/campaigns', { propertyId: null, audience: { kind: 'all' }, ...body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const scheduled = await kit.admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, now: true });
  expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
  kit.env.clock.advanceMinutes(1);
  await kit.env.runtime.queue.enqueueNow({ name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) }, { tenantId: kit.tenant.tenantId });
  await kit.drain();
  expect((await kit.admin.get(`/api/campaigns/${created.body.id}`)).body.status).toBe('sent');
  return { id: created.body.id, body: created.body };
}

/** One PNG as the builder's upload sends it. */
const pngFile = (bytes: Buffer) => ({ file: { name: 'probe.png', type: 'image/png', bytes } });
const memberTagIds = async (memberId: string) => (await kit.inTenant((tx) => queryRows<{ tag_id: string }>(tx, sql`select tag_id from member_tags where member_id = ${memberId}`))).map((r) => r.tag_id);


beforeAll(async () => {
  kit = await startAutomationKit('campaign-probes', LINE);
  other = await createTestTenant(kit.env, { slug: `probes-other-${Date.now()}` });
  otherAdmin = await signedInAs(kit.env, other.adminEmail, other.password);
}, SLOW);
afterAll(() => kit?.close());

describe('the tracked redirect', () => {
  it('sends a guest on to a target with Chinese characters in its path and query (a URL the builder accepts)', async () => {
    const target = 'https://hotel.example/優惠/平日?城市=台北';
    const campaign = await sentCampaign({ name: '中文網址', messages: [{ type: 'buttons', altText: '平日優惠', text: '平日優惠', actions: [{ type: 'uri', label: '看優惠', uri: target }] }] });
    const link = signLink(kit.env.runtime.keyring, kit.tenant.tenantId, { campaignId: campaign.id, actionId: campaign.body.messages[0]!.actions![0]!.id });
    const response = await kit.env.app.inject({ method: 'GET', url: `/c/${kit.tenant.tenantId}/${link}`, headers: { 'user-agent': BROWSER } });
    // A Location header carries ASCII only: the target percent-encoded, as a browser would send it.
    expect([response.statusCode, response.headers.location]).toEqual([302, new URL(target).href]);
  });
});

describe('postbacks naming a campaign', () => {
  it('another hotel’s campaign and button in a postback give nothing, to this hotel’s guest or to theirs', async () => {
    const theirTag = (await otherAdmin.post('/api/tags', { name: '別家點擊', kind: 'campaign' })).body.id as string;
    const theirs = await otherAdmin.post('/api/campaigns', { name: '別家活動', propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'buttons', altText: '別家', text: '別家', actions: [{ type: 'postback', label: '好', tagIds: [theirTag] }] }] });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    const g = await kit.guest();
    const sameName = await kit.tag('別家點擊', 'campaign');
    await kit.sim.sim.postback(LINE.channelId, g.userId, { data: `campaign=${theirs.body.id}&action=${theirs.body.messages[0].actions[0].id}` });
    await kit.sim.sim.postback(LINE.channelId, g.userId, { data: `tag=${theirTag}` });
    await kit.drain();
    expect(await memberTagIds(g.memberId)).toEqual([]);
    expect(sameName).not.toBe(theirTag);
    const [their] = await kit.env.runtime.db.withTenant(other.tenantId, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from member_tags`));
    expect(their!.n).toBe(0);
  });

  it('a tap naming a campaign the guest was never sent (a draft, or one sent to others) gives none of its tags, as a forwarded URL link does not', async () => {
    const clickTag = await kit.tag('草稿點擊', 'campaign');
    const draft = await kit.admin.post('/api/campaigns', { name: '未送出的草稿', propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'buttons', altText: '草稿', text: '草稿', actions: [{ type: 'postback', label: '好', tagIds: [clickTag] }] }] });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const g = await kit.guest();
    await kit.sim.sim.postback(LINE.channelId, g.userId, { data: `campaign=${draft.body.id}&action=${draft.body.messages[0].actions[0].id}` });
    await kit.drain();
    expect(await memberTagIds(g.memberId)).toEqual([]);
  });
});

describe('who may give which tags', () => {
  it('an account that may not tag members (no tags.edit) cannot make a rule that gives a basic tag such as VIP to every new friend', async () => {
    const vip = await kit.tag('VIP 探測', 'basic');
    const trigger = await kit.tag('VIP 觸發', 'campaign');
    const g = await kit.guest();
    const pusher = await account('no-tags@probes.example', ['members.read', 'campaigns.edit', 'campaigns.push']);
    // Tagging members by hand is refused to this account…
    expect((await pusher.post(`/api/tags/${vip}/members`, { memberIds: [g.memberId] })).status).toBe(403);
    // …so a rule doing it for them should be too (a tap may give activity tags only; a rule step gives any).
    const created = await pusher.post('/api/automation/rules', { name: '自動給 VIP', propertyId: null, trigger: { kind: 'tag_added', tagId: trigger }, steps: [{ kind: 'add_tag', tagId: vip }] });
    const enabled = created.status === 201 ? await pusher.post(`/api/automation/rules/${created.body.id}/enable`, { version: created.body.version }) : undefined;
    // What it would do once on: any guest a tap tags (a campaign button of this account's) becomes VIP.
    expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [g.memberId] })).status).toBe(200);
    await kit.drain();
    const given = (await kit.memberTagNames(g.memberId)).map((t) => t.name);
    if (created.status === 201) {
      if (enabled?.status === 200) await kit.switchOff(created.body.id);
      await kit.admin.delete(`/api/automation/rules/${created.body.id}`);
    }
    expect([created.status, enabled?.status, given]).toEqual([403, undefined, ['VIP 觸發']]);
  });
});

describe('an account of one property', () => {
  it('reads but cannot change, approve, test-send or control another property’s campaign, and cannot test-send to another property’s guests', async () => {
    expect(kit.tenant.propertyIds.length).toBeGreaterThanOrEqual(2);
    const [mine, theirs] = kit.tenant.propertyIds as [string, string];
    const scoped = await account('one-property@probes.example', ['members.read', 'tags.edit', 'campaigns.edit', 'campaigns.push'], { allProperties: false, propertyIds: [mine] });
    const mineGuest = await kit.guest({ propertyId: mine });
    const theirGuest = await kit.guest({ propertyId: theirs });
    const theirCampaign = await kit.admin.post('/api/campaigns', { name: '別館活動', propertyId: theirs, audience: { kind: 'all' }, messages: [{ type: 'text', text: '別館' }] });
    expect(theirCampaign.status).toBe(201);
    const id = theirCampaign.body.id as string;
    const version = theirCampaign.body.version as number;
    const codes = [
      await scoped.get(`/api/campaigns/${id}`),
      await scoped.patch(`/api/campaigns/${id}`, { name: '改掉', version }),
      await scoped.post(`/api/campaigns/${id}/schedule`, { version, now: true }),
      await scoped.post(`/api/campaigns/${id}/test-send`, { memberIds: [mineGuest.memberId] }),
      await scoped.post(`/api/campaigns/${id}/cancel`),
      await scoped.post(`/api/campaigns/${id}/pause`),
      await scoped.get(`/api/campaigns/${id}/progress`),
      await scoped.get(`/api/campaigns/${id}/clicks`),
      await scoped.delete(`/api/campaigns/${id}`),
    ].map((r) => r.status);
    expect(codes.every((c) => c === 404 || c === 403), JSON.stringify(codes)).toBe(true);
    expect((await kit.admin.get(`/api/campaigns/${id}`)).body).toMatchObject({ status: 'draft', version, name: '別館活動' });
    // Its own draft, test-sent to the other property's guest: unknown to it, nothing delivered.
    const own = await scoped.post('/api/campaigns', { name: '本館活動', propertyId: mine, audience: { kind: 'all' }, messages: [{ type: 'text', text: '本館測試 {firstName}' }] });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const before = JSON.stringify(kit.sim.sim.inbox(LINE.channelId, theirGuest.userId));
    const test = await scoped.post(`/api/campaigns/${own.body.id}/test-send`, { memberIds: [theirGuest.memberId] });
    expect([test.status, test.body.error?.code]).toEqual([400, 'campaign.test_send_unknown_guests']);
    expect(JSON.stringify(kit.sim.sim.inbox(LINE.channelId, theirGuest.userId))).toBe(before);
    // Its campaign, approved and sent: its property's guest gets it, the other property's does not.
    const approved = await scoped.post(`/api/campaigns/${own.body.id}/schedule`, { version: own.body.version, now: true });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    kit.env.clock.advanceMinutes(1);
    await kit.env.runtime.queue.enqueueNow({ name: 'campaigns.start-due.tenant', schema: z.strictObject({ tenantId: z.uuid() }) }, { tenantId: kit.tenant.tenantId });
    await kit.drain();
    const counted = kit.sim.sim.unitDeliveries(LINE.channelId, aggregationUnitOf(own.body.id));
    expect(counted.perUser[mineGuest.userId]).toBe(1);
    expect(counted.perUser[theirGuest.userId]).toBeUndefined();
  }, SLOW);

  it('a rule of its property is not entered by another property’s guest who gets the trigger tag', async () => {
    const [mine, theirs] = kit.tenant.propertyIds as [string, string];
    const trigger = await kit.tag('本館觸發', 'campaign');
    const ruleId = await kit.rule({ name: '本館規則', propertyId: mine, trigger: { kind: 'tag_added', tagId: trigger }, steps: [{ kind: 'send', messages: [{ type: 'text', text: '本館規則訊息' }] }] });
    const mineGuest = await kit.guest({ propertyId: mine });
    const theirGuest = await kit.guest({ propertyId: theirs });
    expect((await kit.admin.post(`/api/tags/${trigger}/members`, { memberIds: [mineGuest.memberId, theirGuest.memberId] })).status).toBe(200);
    await kit.drain();
    const counted = kit.delivered(ruleId, 0, [mineGuest.userId]);
    expect(counted.audience).toMatchObject({ missing: [], unexpected: [] });
    expect((await kit.runs(ruleId)).map((r) => r.member_id)).toEqual([mineGuest.memberId]);
    await kit.switchOff(ruleId);
  });
});

describe('bad input', () => {
  it('a PNG whose header claims a width beyond the database’s integer is refused as bad input, not a 500', async () => {
    const file = png(2, 2);
    file.writeUInt32BE(0xffff_fff0, 16);
    const response = await upload(kit.admin, pngFile(file));
    expect([response.status, response.body.error?.code]).toEqual([415, 'campaign_image.unsupported_format']);
  });

  it('settings, messages and schedules outside the limits are refused, and nothing is written', async () => {
    for (const weeklyCap of [0, -1, 51, 1.5]) expect((await kit.admin.request('PUT', '/api/campaign-settings', { weeklyCap, quietHours: null })).status).toBe(400);
    expect((await kit.admin.request('PUT', '/api/campaign-settings', { weeklyCap: 3, quietHours: { start: '22:00', end: '22:00' } })).status).toBe(400);
    const action = (uri: string) => ({ type: 'buttons', altText: 'x', text: 'x', actions: [{ type: 'uri', label: 'x', uri }] });
    for (const uri of ['javascript:alert(1)', 'JAVASCRIPT://hotel.example/%0aalert(1)', 'data:text/html,<script>alert(1)</script>', 'http://hotel.example/', 'https://', 'https://hotel.example/\u0000', `https://hotel.example/${'a'.repeat(1000)}`]) {
      const r = await kit.admin.post('/api/campaigns', { name: 'x', messages: [action(uri)] });
      expect(r.status, uri).toBe(400);
    }
    const five = Array.from({ length: 5 }, () => ({ type: 'postback', label: 'x' }));
    expect((await kit.admin.post('/api/campaigns', { name: 'x', messages: [{ type: 'buttons', altText: 'x', text: 'x', actions: five }] })).status).toBe(400);
    expect((await kit.admin.post('/api/campaigns', { name: 'x', messages: [{ type: 'bubble', altText: 'x', title: 'x', actions: five }] })).status).toBe(400);
    expect((await kit.admin.post('/api/campaigns', { name: 'x', messages: [{ type: 'carousel', altText: 'x', cards: Array.from({ length: 13 }, () => ({ title: 'x' })) }] })).status).toBe(400);
    // Flex values the model does not have (styles, colours) are refused, not passed on to LINE.
    expect((await kit.admin.post('/api/campaigns', { name: 'x', messages: [{ type: 'bubble', altText: 'x', title: 'x', color: '#zzzzzz' }] })).status).toBe(400);
    const c = await kit.admin.post('/api/campaigns', { name: '排程邊界', propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: '排程' }] });
    for (const sendAt of ['2026-02-29T10:00', '2026-12-07T24:00', '2026-12-07T10:60', '9999-12-31T23:59', '1970-01-01T00:00', '2026-12-07 10:00'])
      expect((await kit.admin.post(`/api/campaigns/${c.body.id}/schedule`, { version: c.body.version, sendAt })).status, sendAt).toBe(400);
    expect((await kit.admin.get(`/api/campaigns/${c.body.id}`)).body).toMatchObject({ status: 'draft', version: c.body.version });
    // Another hotel's campaign ids on every campaign route: not found, nothing changed there.
    const theirs = await otherAdmin.post('/api/campaigns', { name: '別家草稿', propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text: '別家' }] });
    const tid = theirs.body.id as string;
    const routes: Array<Promise<ApiResponse>> = [
      kit.admin.get(`/api/campaigns/${tid}`),
      kit.admin.patch(`/api/campaigns/${tid}`, { name: '改', version: theirs.body.version }),
      kit.admin.get(`/api/campaigns/${tid}/estimate`),
      kit.admin.post(`/api/campaigns/${tid}/schedule`, { version: theirs.body.version, now: true }),
      kit.admin.post(`/api/campaigns/${tid}/test-send`, { memberIds: [randomUUID()] }),
      kit.admin.post(`/api/campaigns/${tid}/unschedule`),
      kit.admin.post(`/api/campaigns/${tid}/cancel`),
      kit.admin.post(`/api/campaigns/${tid}/pause`),
      kit.admin.post(`/api/campaigns/${tid}/resume`),
      kit.admin.get(`/api/campaigns/${tid}/progress`),
      kit.admin.get(`/api/campaigns/${tid}/clicks`),
      kit.admin.delete(`/api/campaigns/${tid}`),
    ];
    const statuses = (await Promise.all(routes)).map((r) => r.status);
    expect(statuses.every((s) => s === 404 || s === 400), JSON.stringify(statuses)).toBe(true);
    expect((await otherAdmin.get(`/api/campaigns/${tid}`)).body).toMatchObject({ status: 'draft', name: '別家草稿', version: theirs.body.version });
    // Another hotel's image: not usable in this hotel's messages, not served under this hotel's address.
    const theirImage = await upload(otherAdmin, pngFile(png(64, 64)));
    expect(theirImage.status, JSON.stringify(theirImage.body)).toBe(201);
    const withImage = await kit.admin.post('/api/campaigns', { name: '別家圖片', propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'image', imageId: theirImage.body.id }] });
    expect([withImage.status, withImage.body.error?.code]).toEqual([400, 'request.validation']);
    const token = new URL(theirImage.body.url as string).pathname.split('/')[4]!;
    expect((await kit.env.app.inject({ method: 'GET', url: `/media/campaign-images/${kit.tenant.tenantId}/${token}/original` })).statusCode).toBe(404);
    expect((await kit.env.app.inject({ method: 'GET', url: `/media/campaign-images/${other.tenantId}/${token}/original` })).statusCode).toBe(200);
  });
});
