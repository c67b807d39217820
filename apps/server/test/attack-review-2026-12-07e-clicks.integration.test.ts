import { randomUUID } from 'node:crypto';
import { signBody } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../src/core/context.ts';
import { queryRows } from '../src/core/db/database.ts';
import { recordInteraction } from '../src/modules/members/index.ts';
import { buttonTapsQuery } from '../src/modules/members/interactions.repository.ts';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from './api-client.ts';
import { createTestTenant, type TestEnv, type TestTenant } from './harness.ts';

/**
 * Attack review 2026-12-07e (atk6): a campaign's postback taps in GET /api/campaigns/:id/clicks. Taps reach Innkeeper
 * only through a signed webhook, so the hostile parties are another hotel (which signs its own channel's webhook with
 * whatever postback data it likes), LINE's redeliveries, and staff without the right permission. What must hold: a tap
 * counts once, for its own hotel's campaign only; guests count distinct; the answer is counts, never who.
 */
let env: TestEnv;
let tenant: TestTenant;
let other: TestTenant;
let admin: ApiClient;
const SECRET = { ours: 'a1'.repeat(16), theirs: 'b2'.repeat(16) };
const channels: Record<'ours' | 'theirs', string> = { ours: '', theirs: '' };
let campaign: { id: string; postbackId: string; uriId: string };

async function channelOf(client: ApiClient, secret: string, lineChannelId: string): Promise<string> {
  const made = await client.post('/api/line/channels', { name: `LINE ${lineChannelId}`, channelId: lineChannelId, channelSecret: secret, accessToken: `atk6-access-token-for-channel-${lineChannelId}` });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.id;
}

const postbackEvent = (eventId: string, userId: string, data: string) => ({ type: 'postback', webhookEventId: eventId, timestamp: Date.now(), source: { type: 'user', userId }, replyToken: `r${eventId}`.slice(0, 32), mode: 'active', deliveryContext: { isRedelivery: false }, postback: { data } });

/** A webhook request signed with `secret`, to the URL of `owner`'s channel `channelId`. */
async function post(owner: TestTenant, channelId: string, secret: string, events: unknown[]): Promise<number> {
  const body = JSON.stringify({ destination: 'Ubot', events });
  const answer = await env.app.inject({ method: 'POST', url: `/api/line/webhook/${owner.tenantId}/${channelId}`, headers: { 'content-type': 'application/json', 'x-line-signature': signBody(secret, body) }, payload: body });
  return answer.statusCode;
}

const dataOf = (campaignId: string, actionId: string) => `campaign=${campaignId}&action=${actionId}`;
const clicks = async (client: ApiClient = admin) => (await client.get(`/api/campaigns/${campaign.id}/clicks`)).body.data as Array<Record<string, unknown>>;
const postbackCounts = async () => (await clicks()).find((b) => b.kind === 'postback');
const userId = () => `U${randomUUID().replaceAll('-', '')}`;

/** An account of the hotel with one role, signed in. */
async function accountWith(permissions: string[]): Promise<ApiClient> {
  const role = await admin.post('/api/roles', { name: `攻擊審查 ${randomUUID().slice(0, 8)}`, permissions });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const email = `${randomUUID().slice(0, 8)}@atk6.example`;
  const created = await admin.post('/api/accounts', { email, displayName: email, roleId: role.body.id, allProperties: true, propertyIds: [] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  other = await createTestTenant(env, { slug: `atk6-other-${Date.now()}` });
  const theirAdmin = await signedInAs(env, other.adminEmail, other.password);
  channels.ours = await channelOf(admin, SECRET.ours, '2009006001');
  channels.theirs = await channelOf(theirAdmin, SECRET.theirs, '2009006002');
  const created = await admin.post('/api/campaigns', {
    name: '攻擊審查點擊',
    propertyId: null,
    tagIds: [],
    audience: { kind: 'all' },
    messages: [{ type: 'buttons', altText: '優惠', text: '平日優惠', actions: [{ type: 'uri', label: '立即訂房', uri: 'https://hotel.example/book', tagIds: [] }, { type: 'postback', label: '我有興趣', tagIds: [] }] }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const [uri, postback] = created.body.messages[0].actions as Array<{ id: string }>;
  campaign = { id: created.body.id, uriId: uri!.id, postbackId: postback!.id };
}, 60_000);
afterAll(() => env?.close());

describe('a campaign’s postback taps, attacked', () => {
  it('holds: another hotel’s postbacks naming our campaign, signed with its own channel, count nowhere; our secret on their URL is refused', async () => {
    const stranger = userId();
    expect(await post(other, channels.theirs, SECRET.theirs, [postbackEvent(`01ATK6FORGE${randomUUID().slice(0, 8)}`, stranger, dataOf(campaign.id, campaign.postbackId))])).toBe(200);
    // Their secret on our channel's URL, and our channel's id under their tenant: refused before anything is stored.
    expect(await post(tenant, channels.ours, SECRET.theirs, [postbackEvent(`01ATK6FORGE${randomUUID().slice(0, 8)}`, stranger, dataOf(campaign.id, campaign.postbackId))])).not.toBe(200);
    expect(await post(other, channels.ours, SECRET.ours, [postbackEvent(`01ATK6FORGE${randomUUID().slice(0, 8)}`, stranger, dataOf(campaign.id, campaign.postbackId))])).not.toBe(200);
    await env.runtime.lineEvents.drain(other.tenantId);
    await env.runtime.lineEvents.drain(tenant.tenantId);
    expect(await postbackCounts()).toMatchObject({ clicks: 0, identified: 0, guests: 0 });
    // Their guest's tap is in their own history, naming no campaign (ours is not theirs to name).
    const entries = await env.runtime.db.withTenant(other.tenantId, (tx) => queryRows<{ campaign_id: string | null; action_id: string | null }>(tx, sql`select campaign_id, action_id from member_interactions where type = 'clicked'`));
    expect(entries).toEqual([{ campaign_id: null, action_id: null }]);
  });

  it('holds: a redelivered tap counts once, repeats count as taps of one guest, the URL button’s id as postback data counts nothing', async () => {
    const [guest, second] = [userId(), userId()];
    const first = postbackEvent(`01ATK6TAP${randomUUID().slice(0, 12)}`, guest, dataOf(campaign.id, campaign.postbackId));
    expect(await post(tenant, channels.ours, SECRET.ours, [first])).toBe(200);
    // LINE redelivers the same event (same webhookEventId), in the same request and in another one.
    expect(await post(tenant, channels.ours, SECRET.ours, [first, { ...first, deliveryContext: { isRedelivery: true } }])).toBe(200);
    await env.runtime.lineEvents.drain(tenant.tenantId);
    expect(await post(tenant, channels.ours, SECRET.ours, [{ ...first, deliveryContext: { isRedelivery: true } }])).toBe(200);
    // The guest taps again (a new event), another guest once; the URL button's id and a made-up one as postback data.
    expect(await post(tenant, channels.ours, SECRET.ours, [
      postbackEvent(`01ATK6TAP${randomUUID().slice(0, 12)}`, guest, dataOf(campaign.id, campaign.postbackId)),
      postbackEvent(`01ATK6TAP${randomUUID().slice(0, 12)}`, second, dataOf(campaign.id, campaign.postbackId)),
      postbackEvent(`01ATK6TAP${randomUUID().slice(0, 12)}`, second, dataOf(campaign.id, campaign.uriId)),
      postbackEvent(`01ATK6TAP${randomUUID().slice(0, 12)}`, second, dataOf(campaign.id, 'nosuchbutton')),
      postbackEvent(`01ATK6TAP${randomUUID().slice(0, 12)}`, second, `campaign=${campaign.id.toUpperCase()}&action=${campaign.postbackId}`),
    ])).toBe(200);
    await env.runtime.lineEvents.drain(tenant.tenantId);
    const counts = await clicks();
    expect(counts).toEqual([
      { actionId: campaign.uriId, kind: 'uri', label: '立即訂房', url: 'https://hotel.example/book', tagIds: [], clicks: 0, identified: 0, anonymous: 0, guests: 0, pending: 0 },
      { actionId: campaign.postbackId, kind: 'postback', label: '我有興趣', url: null, tagIds: [], clicks: 3, identified: 3, anonymous: 0, guests: 2, pending: 0 },
    ]);
    // Counts only: nothing in the answer names a guest (LINE user id, member id or LINE name).
    const members = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ id: string }>(tx, sql`select id from members where line_user_id in (${guest}, ${second})`));
    expect(members).toHaveLength(2);
    const text = JSON.stringify(counts);
    for (const secret of [guest, second, ...members.map((m) => m.id)]) expect(text).not.toContain(secret);
  });

  it('holds: campaigns.push or campaigns.edit reads the counts; members.read alone, tags.edit alone and no permission are 403; a malformed id is 400', async () => {
    for (const permissions of [['campaigns.push'], ['campaigns.edit']]) expect((await (await accountWith(permissions)).get(`/api/campaigns/${campaign.id}/clicks`)).status, permissions.join()).toBe(200);
    for (const permissions of [['members.read'], ['tags.edit'], []]) {
      const refused = await (await accountWith(permissions)).get(`/api/campaigns/${campaign.id}/clicks`);
      expect([refused.status, refused.body.error?.code], permissions.join()).toEqual([403, 'auth.forbidden']);
    }
    for (const bad of ['not-a-uuid', `${campaign.id}x`, "00000000-0000-0000-0000-00000000000'", '%00']) {
      const answer = await admin.get(`/api/campaigns/${encodeURIComponent(bad)}/clicks`);
      expect(answer.status, bad).toBe(400);
    }
    // The same id in capitals is the same campaign (PostgreSQL reads uuids in any case), never a 500.
    const upper = await admin.get(`/api/campaigns/${campaign.id.toUpperCase()}/clicks`);
    expect([200, 404], JSON.stringify(upper.body)).toContain(upper.status);
    expect((await new ApiClient(env).get(`/api/campaigns/${campaign.id}/clicks`)).status).toBe(401);
  });

  it('holds: the taps query under row-level security reads nothing of another hotel, whatever tenant id it names', async () => {
    const asked = await env.runtime.db.withTenant(other.tenantId, (tx) => queryRows<{ action_id: string; taps: number; guests: number }>(tx, buttonTapsQuery(tenant.tenantId, campaign.id, [campaign.postbackId])));
    expect(asked).toEqual([{ action_id: campaign.postbackId, taps: 0, guests: 0 }]);
    const own = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ action_id: string; taps: number; guests: number }>(tx, buttonTapsQuery(tenant.tenantId, campaign.id, [campaign.postbackId])));
    expect(own).toEqual([{ action_id: campaign.postbackId, taps: 3, guests: 2 }]);
  });

  it('found: a draft’s URL button switched to a postback button in the editor (its id kept) showed its test clicks as taps; it gets a new id now', async () => {
    const draft = await admin.post('/api/campaigns', {
      name: '改按鈕種類',
      propertyId: null,
      tagIds: [],
      audience: { kind: 'all' },
      messages: [{ type: 'buttons', altText: '優惠', text: '平日優惠', actions: [{ type: 'uri', label: '立即訂房', uri: 'https://hotel.example/book', tagIds: [] }, { type: 'postback', label: '我有興趣', tagIds: [] }] }],
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const [uri, postback] = draft.body.messages[0].actions as Array<{ id: string; type: string }>;
    // A tester sent the draft to themself and clicked 立即訂房 through the LIFF page: the click applier's history entry
    // (campaign-clicks.ts) names the campaign and the URL button.
    const tester = randomUUID();
    await env.runtime.db.withTenant(tenant.tenantId, (tx) => tx.execute(sql`insert into members (tenant_id, id, member_no, last_name, first_name) values (${tenant.tenantId}, ${tester}, 'ATK6T', '測', '試')`));
    await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      recordInteraction(systemContext(tx, tenant.tenantId, 'campaigns'), [tester], { type: 'clicked', occurredAt: env.clock.now(), campaignId: draft.body.id, actionId: uri!.id, actor: { type: 'guest', ref: 'U0', label: '' }, details: { label: '立即訂房', url: 'https://hotel.example/book', via: 'liff' } }),
    );
    // Staff switch 立即訂房 to a postback button, as the editor does: the button is the same object, its id kept.
    const switched = await admin.patch(`/api/campaigns/${draft.body.id}`, {
      messages: [{ type: 'buttons', altText: '優惠', text: '平日優惠', actions: [{ id: uri!.id, type: 'postback', label: '立即訂房', tagIds: [] }, { id: postback!.id, type: 'postback', label: '我有興趣', tagIds: [] }] }],
    });
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    const counts = (await admin.get(`/api/campaigns/${draft.body.id}/clicks`)).body.data as Array<Record<string, unknown>>;
    expect(counts.map((b) => [b.kind, b.label, b.clicks, b.guests])).toEqual([['postback', '立即訂房', 0, 0], ['postback', '我有興趣', 0, 0]]);
    const [renewed, kept] = switched.body.messages[0].actions as Array<{ id: string }>;
    // A button that changed kind is another button: a new id; one that kept its kind keeps its id (its taps are its own).
    expect(renewed!.id).not.toBe(uri!.id);
    expect(kept!.id).toBe(postback!.id);
  });
});
