import { signBody, startSimulator } from '@innkeeper/line-simulator';
import { validateSignature } from '@line/bot-sdk';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient} from '../../../../test/api-client.ts';
import { signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';
import { lineWebhookInbox } from '../line.tables.ts';
import { connectSimulatedChannel, type TestChannel } from './simulated-channel.ts';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let admin: ApiClient;
let innkeeperUrl: string;
let channel: TestChannel;
const LINE = { channelId: '2007000001', channelSecret: '0123456789abcdef'.repeat(2) /* a test channel's secret, known only to the simulator */, channelAccessToken: 'test-access-token-for-the-simulator-0001', loginChannelId: '2007000002' };

/** Runs the queued work (the inbox drain and the jobs it leaves), then reads: what the test then asserts is settled. */
async function afterJobs<T>(probe: () => Promise<T>, done: (value: T) => boolean, label: string): Promise<T> {
  await env.runtime.queue.drain();
  const value = await probe();
  if (!done(value)) throw new Error(`no ${label} once the queued work ran: ${JSON.stringify(value)}`);
  return value;
}

async function memberByLineUser(userId: string) {
  const found = await admin.post('/api/members/search', { q: userId.slice(0, 0) || undefined, definition: { type: 'group', op: 'and', conditions: [{ type: 'has_field', field: 'line' }] }, pageSize: 200 });
  for (const row of found.body.data as Array<{ id: string }>) {
    const member = (await admin.get(`/api/members/${row.id}`)).body;
    if (member.line.userId === userId) return member;
  }
  return undefined;
}

async function postWebhook(body: string, signature: string | undefined, path = channel.webhookUrl.replace('http://innkeeper.test', innkeeperUrl)) {
  return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-line-signature': signature } : {}) }, body });
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 'innkeeper-webhook-test', strictHttps: false });
  // The app talks to the simulator exactly as it would to LINE: only the base URL differs.
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  innkeeperUrl = await env.app.listen({ port: 0, host: '127.0.0.1' });
  await env.runtime.queue.start({ work: true });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  channel = await connectSimulatedChannel(admin, sim, innkeeperUrl, LINE, { hotel: '測試飯店', basicId: '@test-hotel', propertyId: tenant.propertyIds[0]!, liffId: `${LINE.loginChannelId}-TestLiff`, welcomeMessage: '歡迎加入測試飯店！' });
});
afterAll(async () => {
  await env.close();
  await sim.close();
});

describe('channel connection', () => {
  it('stores secrets encrypted, verifies with LINE and shows the webhook URL', async () => {
    expect(channel.status).toBe('verified');
    expect(channel.bot.userId).toMatch(/^U[0-9a-f]{32}$/);
    expect(channel.webhookUrl).toBe(`http://innkeeper.test/api/line/webhook/${tenant.tenantId}/${channel.id}`);
    const listed = (await admin.get('/api/line/channels')).body.data[0];
    expect(listed.accessTokenHint).toBe('…0001');
    expect(JSON.stringify(listed)).not.toContain(LINE.channelSecret);
    const audit = JSON.stringify((await admin.get('/api/audit-log?action=line.')).body.data);
    expect(audit).not.toContain(LINE.channelSecret);
    expect(audit).not.toContain(LINE.channelAccessToken);
    // 稽核紀錄 names the channel (connected and verified alike), not the end of its id.
    const entries = (await admin.get(`/api/audit-log?targetType=line_channel&targetId=${channel.id}`)).body.data as Array<{ action: string; targetLabel: string | null }>;
    expect(entries.map((e) => e.action).sort()).toEqual(['line.channel_connected', 'line.channel_verified']);
    for (const entry of entries) expect(entry.targetLabel).toBe('台北館 LINE');
  });

  it('records a failed verification with LINE’s reason', async () => {
    const wrong = await admin.post('/api/line/channels', { name: '台中館 LINE', propertyId: tenant.propertyIds[1], channelId: '2007000009', channelSecret: 'f'.repeat(32), accessToken: 'not-a-token-the-simulator-knows' });
    const verified = await admin.post(`/api/line/channels/${wrong.body.id}/verify`);
    expect(verified.body.status).toBe('failed');
    expect(verified.body.lastError).toMatch(/^401/);
    expect((await admin.delete(`/api/line/channels/${wrong.body.id}`)).status).toBe(204);
  });
});

describe('webhook events from the LINE simulator', () => {
  it('a follow creates the member with the LINE profile, records it and sends the welcome message', async () => {
    const [friend] = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'follower', state: 'none' });
    const result = await sim.sim.follow(LINE.channelId, friend!.userId);
    expect(result.delivery?.status).toBe(200);
    const member = await afterJobs(() => memberByLineUser(friend!.userId), (m) => Boolean(m?.line.displayName), 'member with profile');
    expect(member).toMatchObject({ propertyId: tenant.propertyIds[0], line: { status: 'following', displayName: friend!.displayName } });
    const timeline = (await admin.get(`/api/members/${member.id}/timeline`)).body.data.map((e: { type: string }) => e.type);
    expect(timeline).toEqual(['followed', 'created']);
    const inbox = await afterJobs(async () => sim.sim.inbox(LINE.channelId, friend!.userId), (m) => m.length > 0, 'welcome message');
    expect(JSON.stringify(inbox)).toContain('歡迎加入測試飯店');
    expect(JSON.stringify(inbox)).toContain(`https://liff.line.me/${LINE.loginChannelId}-TestLiff`);
  });

  it('a block marks the member blocked; unblocking follows again; the follow log shows each with daily counts', async () => {
    const [friend] = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'blocker', state: 'none' });
    await sim.sim.follow(LINE.channelId, friend!.userId);
    await sim.sim.block(LINE.channelId, friend!.userId);
    let member = await afterJobs(() => memberByLineUser(friend!.userId), (m) => m?.line.status === 'blocked', 'blocked');
    await sim.sim.unblock(LINE.channelId, friend!.userId);
    member = await afterJobs(() => memberByLineUser(friend!.userId), (m) => m?.line.status === 'following', 'unblocked');
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const log = await admin.get(`/api/line/follow-log?from=${from}&to=${to}`);
    expect(log.status).toBe(200);
    const mine = log.body.data.filter((e: { member: { id: string } }) => e.member.id === member.id).map((e: { event: string }) => e.event);
    expect(mine).toEqual(['unblocked', 'blocked', 'followed']);
    const totals = log.body.daily.reduce((acc: Record<string, number>, d: Record<string, number>) => ({ followed: acc.followed! + d.followed!, unblocked: acc.unblocked! + d.unblocked!, blocked: acc.blocked! + d.blocked! }), { followed: 0, unblocked: 0, blocked: 0 });
    expect(totals).toMatchObject({ unblocked: 1, blocked: 1 });
    expect(totals.followed).toBeGreaterThanOrEqual(2);
  });

  it('a postback naming a tag tags the guest who clicked, with provenance, and records the click', async () => {
    const tag = (await admin.post('/api/tags', { name: '對家庭房有興趣', kind: 'campaign', validityDays: 90 })).body;
    const [friend] = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'clicker', state: 'none' });
    await sim.sim.follow(LINE.channelId, friend!.userId);
    await sim.sim.postback(LINE.channelId, friend!.userId, { data: `tag=${tag.id}&label=家庭房方案` });
    const member = (await afterJobs(() => memberByLineUser(friend!.userId), (m) => m !== undefined, 'member'))!;
    const tags = await afterJobs(async () => (await admin.get(`/api/members/${member.id}/tags`)).body.data, (t: unknown[]) => t.length === 1, 'tag');
    expect(tags[0]).toMatchObject({ name: '對家庭房有興趣', source: 'line', sourceLabel: '家庭房方案' });
    const clicked = (await admin.get(`/api/members/${member.id}/timeline`)).body.data.find((e: { type: string }) => e.type === 'clicked');
    expect(clicked).toMatchObject({ actorType: 'guest', details: { data: `tag=${tag.id}&label=家庭房方案` } });
  });

  it('a text message lands on the member’s timeline', async () => {
    const [friend] = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'talker', state: 'none' });
    await sim.sim.follow(LINE.channelId, friend!.userId);
    await sim.sim.sendMessage(LINE.channelId, friend!.userId, { type: 'text', text: '請問有停車位嗎？' });
    const member = (await afterJobs(() => memberByLineUser(friend!.userId), (m) => m !== undefined, 'member'))!;
    const message = await afterJobs(async () => (await admin.get(`/api/members/${member.id}/timeline`)).body.data.find((e: { type: string }) => e.type === 'message_received') as { details: unknown } | undefined, (m) => m !== undefined, 'message');
    expect(message!.details).toMatchObject({ messageType: 'text', text: '請問有停車位嗎？' });
  });

  it('a request mixing friends’ messages with a new follower keeps every event on the right member, in order', async () => {
    const [known] = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'regular', state: 'none' });
    await sim.sim.follow(LINE.channelId, known!.userId);
    const member = (await afterJobs(() => memberByLineUser(known!.userId), (m) => m !== undefined, 'known friend'))!;
    const newcomer = `U${'e'.repeat(31)}5`;
    const t0 = Date.now();
    const base = { mode: 'active', deliveryContext: { isRedelivery: false } };
    const message = (id: string, userId: string, text: string, at: number) => ({ ...base, type: 'message', timestamp: at, source: { type: 'user', userId }, webhookEventId: id, replyToken: 'm'.repeat(32), message: { type: 'text', id, text } });
    const body = JSON.stringify({
      destination: channel.bot.userId,
      events: [
        message('01JBATCH000000000000000001', known!.userId, '第一則', t0),
        message('01JBATCH000000000000000002', known!.userId, '第二則', t0 + 1),
        { ...base, type: 'follow', timestamp: t0 + 2, source: { type: 'user', userId: newcomer }, webhookEventId: '01JBATCH000000000000000003', replyToken: 'f'.repeat(32), follow: { isUnblocked: false } },
        message('01JBATCH000000000000000004', newcomer, '新朋友你好', t0 + 3),
        message('01JBATCH000000000000000005', known!.userId, '第三則', t0 + 4),
      ],
    });
    expect((await postWebhook(body, signBody(LINE.channelSecret, body))).status).toBe(200);
    const texts = (entries: Array<{ type: string; details: { text?: string } }>) => entries.filter((e) => e.type === 'message_received').map((e) => e.details.text);
    const knownTimeline = await afterJobs(async () => (await admin.get(`/api/members/${member.id}/timeline`)).body.data, (t) => texts(t).length === 3, 'three messages');
    expect(texts(knownTimeline)).toEqual(['第三則', '第二則', '第一則']);
    expect(new Date((await admin.get(`/api/members/${member.id}`)).body.lastInteractionAt).getTime()).toBe(t0 + 4);
    const created = (await afterJobs(() => memberByLineUser(newcomer), (m) => m !== undefined, 'newcomer'))!;
    const newcomerTimeline = (await admin.get(`/api/members/${created.id}/timeline`)).body.data;
    expect(newcomerTimeline.map((e: { type: string }) => e.type)).toEqual(['message_received', 'followed', 'created']);
    expect(texts(newcomerTimeline)).toEqual(['新朋友你好']);
  });
});

describe('webhook endpoint: bad input changes nothing', () => {
  const envelope = (events: unknown[]) => JSON.stringify({ destination: channel.bot.userId, events });
  const event = (id: string, userId: string) => ({ type: 'follow', mode: 'active', timestamp: Date.now(), source: { type: 'user', userId }, webhookEventId: id, deliveryContext: { isRedelivery: false }, replyToken: 'r'.repeat(32), follow: { isUnblocked: false } });

  it('answers LINE’s connectivity check (no events) with 200', async () => {
    const body = envelope([]);
    const response = await postWebhook(body, signBody(LINE.channelSecret, body));
    expect(response.status).toBe(200);
  });

  it('processes a redelivered event (same webhookEventId) once', async () => {
    const userId = `U${'a'.repeat(31)}1`;
    const body = envelope([event('01JREDELIVERY00000000000001', userId)]);
    const signature = signBody(LINE.channelSecret, body);
    expect(validateSignature(body, LINE.channelSecret, signature)).toBe(true);
    expect((await postWebhook(body, signature)).status).toBe(200);
    const redelivered = body.replace('"isRedelivery":false', '"isRedelivery":true');
    expect((await postWebhook(redelivered, signBody(LINE.channelSecret, redelivered))).status).toBe(200);
    const member = (await afterJobs(() => memberByLineUser(userId), (m) => m !== undefined, 'member'))!;
    await afterJobs(async () => (await admin.get(`/api/members/${member.id}/timeline`)).body.data, (t: unknown[]) => t.length >= 2, 'history');
    const follows = (await admin.get(`/api/members/${member.id}/timeline`)).body.data.filter((e: { type: string }) => e.type === 'followed');
    expect(follows).toHaveLength(1);
  });

  it('requests of one channel arriving together are each answered once their events are stored, every event once', async () => {
    // More at once than the channel's statements under way: later ones wait and are stored together (0048).
    const ids = Array.from({ length: 24 }, (_, i) => `01JTOGETHER${String(i).padStart(15, '0')}`);
    const bodies = ids.map((id, i) => envelope([{ ...event(id, `U${'e'.repeat(31)}${i % 10}`), type: 'message', message: { id: String(i), type: 'text', text: `一起 ${i}` } }]));
    // One request repeats another's event (a redelivery beside the original): stored once.
    bodies.push(envelope([{ ...event(ids[3]!, `U${'e'.repeat(31)}3`), type: 'message', message: { id: '3', type: 'text', text: '一起 3' } }]));
    const statuses = await Promise.all(bodies.map(async (body) => (await postWebhook(body, signBody(LINE.channelSecret, body))).status));
    expect(statuses).toEqual(bodies.map(() => 200));
    const stored = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      tx.select({ webhookEventId: lineWebhookInbox.webhookEventId }).from(lineWebhookInbox).where(and(eq(lineWebhookInbox.tenantId, tenant.tenantId), inArray(lineWebhookInbox.webhookEventId, ids))),
    );
    expect(stored.map((r) => r.webhookEventId).sort()).toEqual([...ids].sort());
  });

  it('a burst past one statement’s 2,000 events (seven requests of 500, one of them twice) is answered 200 each, every event stored once', async () => {
    const bodies = Array.from({ length: 7 }, (_, r) =>
      envelope(Array.from({ length: 500 }, (_, i) => ({ ...event(`01JFLOOD${String(r).padStart(2, '0')}${String(i).padStart(16, '0')}`, `U${'f'.repeat(31)}${i % 10}`), type: 'message', message: { id: `${r}-${i}`, type: 'text', text: `洪水 ${r}-${i}` } }))),
    );
    bodies.push(bodies[2]!);
    const statuses = await Promise.all(bodies.map(async (body) => (await postWebhook(body, signBody(LINE.channelSecret, body))).status));
    expect(statuses).toEqual(bodies.map(() => 200));
    const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ n: number; distinct_ids: number }>(tx, sql`select count(*)::int as n, count(distinct webhook_event_id)::int as distinct_ids from line_webhook_inbox where tenant_id = ${tenant.tenantId} and webhook_event_id like '01JFLOOD%'`),
    );
    expect(row).toEqual({ n: 3500, distinct_ids: 3500 });
  });

  it('a signed request with a NUL in a message or a timestamp past year 9999 is answered, never a 500 LINE would retry', async () => {
    const userId = `U${'d'.repeat(31)}4`;
    const message = { ...event('01JNULTEXT0000000000000001', userId), type: 'message', message: { id: '1', type: 'text', text: '訂房\u0000確認' } };
    const withNul = envelope([message]);
    expect(withNul).toContain('\\u0000');
    expect((await postWebhook(withNul, signBody(LINE.channelSecret, withNul))).status).toBe(200);
    const farFuture = envelope([{ ...event('01JFARFUTURE00000000000001', userId), timestamp: 1e17 }]);
    const answered = await postWebhook(farFuture, signBody(LINE.channelSecret, farFuture));
    expect(answered.status).toBe(400);
  });

  it('a signed request whose user id is not letters and digits (two ids joined by a comma) is refused with 400 and stores nothing', async () => {
    const joined = `U${'a'.repeat(32)},U${'b'.repeat(32)}`;
    const id = '01JCOMMAUSERID000000000001';
    const body = envelope([event(id, joined)]);
    expect((await postWebhook(body, signBody(LINE.channelSecret, body))).status).toBe(400);
    const stored = await env.runtime.db.withTenant(tenant.tenantId, (tx) => tx.select({ id: lineWebhookInbox.webhookEventId }).from(lineWebhookInbox).where(and(eq(lineWebhookInbox.tenantId, tenant.tenantId), eq(lineWebhookInbox.webhookEventId, id))));
    expect(stored).toEqual([]);
  });

  it('a signed request with half an emoji (a lone UTF-16 surrogate escape) is stored, alone or among others arriving together, never a 500', async () => {
    // JSON allows "\ud83d" alone; jsonb refuses it, so the request failed as a 500 LINE retried, and each request
    // stored together with it (0048) was taken again one by one.
    const userId = `U${'d'.repeat(31)}5`;
    const ids = Array.from({ length: 12 }, (_, i) => `01JSURROGATE${String(i).padStart(14, '0')}`);
    const bodies = ids.map((id, i) => envelope([{ ...event(id, userId), type: 'message', message: { id: String(i), type: 'text', text: i % 4 === 0 ? `訂房 ${'\ud83d'}` : `訂房 ${i}` } }]));
    expect(bodies[0]).toContain('\\ud83d');
    const statuses = await Promise.all(bodies.map(async (body) => (await postWebhook(body, signBody(LINE.channelSecret, body))).status));
    expect(statuses).toEqual(bodies.map(() => 200));
    const stored = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      tx.select({ webhookEventId: lineWebhookInbox.webhookEventId, payload: lineWebhookInbox.payload }).from(lineWebhookInbox).where(and(eq(lineWebhookInbox.tenantId, tenant.tenantId), inArray(lineWebhookInbox.webhookEventId, ids))),
    );
    expect(stored.map((r) => r.webhookEventId).sort()).toEqual([...ids].sort());
    const half = stored.find((r) => r.webhookEventId === ids[0]);
    expect((half?.payload as { message: { text: string } }).message.text).toBe('訂房 \ufffd');
  });

  it('refuses forged, missing and wrong-channel signatures with 401 and stores nothing', async () => {
    const userId = `U${'b'.repeat(31)}2`;
    const body = envelope([event('01JFORGED000000000000000001', userId)]);
    expect((await postWebhook(body, signBody('f'.repeat(32), body))).status).toBe(401);
    expect((await postWebhook(body, undefined)).status).toBe(401);
    const tampered = body.replace('follow', 'unfollow');
    expect((await postWebhook(tampered, signBody(LINE.channelSecret, body))).status).toBe(401);
    const response = await postWebhook(body, 'not-base64!!');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'line.bad_signature' } });
    expect(await memberByLineUser(userId)).toBeUndefined();
  });

  it('answers 404 for an unknown channel or tenant, 400 for a signed non-JSON body, 413 above the size limit', async () => {
    const body = envelope([]);
    const signature = signBody(LINE.channelSecret, body);
    expect((await postWebhook(body, signature, `${innkeeperUrl}/api/line/webhook/${tenant.tenantId}/01900000-0000-7000-8000-000000000000`)).status).toBe(404);
    expect((await postWebhook(body, signature, `${innkeeperUrl}/api/line/webhook/01900000-0000-7000-8000-000000000000/${channel.id}`)).status).toBe(404);
    const junk = '{"destination": "U1", "events": [';
    expect((await postWebhook(junk, signBody(LINE.channelSecret, junk))).status).toBe(400);
    const huge = envelope([{ ...event('01JHUGE0000000000000000001', `U${'c'.repeat(32)}`), padding: 'x'.repeat(2_100_000) }]);
    expect((await postWebhook(huge, signBody(LINE.channelSecret, huge))).status).toBe(413);
  });

  it('stores unknown event types and ignores them without an error', async () => {
    const body = envelope([{ type: 'somethingNew', mode: 'active', timestamp: Date.now(), source: { type: 'user', userId: `U${'d'.repeat(32)}` }, webhookEventId: '01JUNKNOWNTYPE000000000001', deliveryContext: { isRedelivery: false } }]);
    expect((await postWebhook(body, signBody(LINE.channelSecret, body))).status).toBe(200);
  });

  // Last: it disconnects the channel.
  it('the channel disconnected while its secret is remembered: a burst of its requests is answered 404 each, never a 500, and nothing is stored', async () => {
    const warm = envelope([event('01JGONEWARM000000000000001', `U${'g'.repeat(31)}0`)]);
    expect((await postWebhook(warm, signBody(LINE.channelSecret, warm))).status).toBe(200);
    expect((await admin.request('DELETE', `/api/line/channels/${channel.id}`)).status).toBeLessThan(300);
    const ids = Array.from({ length: 16 }, (_, i) => `01JGONE${String(i).padStart(19, '0')}`);
    const bodies = ids.map((id, i) => envelope([event(id, `U${'g'.repeat(31)}${i % 10}`)]));
    const statuses = await Promise.all(bodies.map(async (body) => (await postWebhook(body, signBody(LINE.channelSecret, body))).status));
    expect(statuses).toEqual(bodies.map(() => 404));
    const stored = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      tx.select({ id: lineWebhookInbox.id }).from(lineWebhookInbox).where(and(eq(lineWebhookInbox.tenantId, tenant.tenantId), inArray(lineWebhookInbox.webhookEventId, ids))),
    );
    expect(stored).toEqual([]);
  });
});
