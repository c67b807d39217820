import { randomUUID } from 'node:crypto';
import { insight, messagingApi, validateSignature } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, startReceiver, startTestSim, type TestSim } from '../testing/harness.ts';

type ClickResult = { recipients: number; clicked: number; userIds: string[]; webhooks: { ok: number; failed: number; requests: number }; opened: string[] };

describe('scripted virtual guests, counters and per-unit statistics', () => {
  let t: TestSim;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let channel: ReturnType<TestSim['sim']['createChannel']>;
  let client: messagingApi.MessagingApiClient;
  let users: string[];
  let tappers: string[] = [];
  const today = () => new Date(t.clock.now() + 9 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');

  beforeAll(async () => {
    // The clock stands still here, so no bucket refills: a whole period's burst keeps rate limits out of these tests.
    t = await startTestSim({ rateLimitBurstMs: null });
    receiver = await startReceiver();
    channel = t.sim.createChannel({ webhookUrl: receiver.url });
    const res = await admin<{ friends: { userId: string; displayName: string }[] }>(t.url, 'POST', `/_sim/channels/${channel.channelId}/friends`, { count: 100, seed: 'bench' });
    users = res.body.friends.map((f) => f.userId);
    client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.channelAccessToken, baseURL: t.url });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('creates friends deterministically from a seed', async () => {
    expect(users).toHaveLength(100);
    expect(users.every((u) => /^U[0-9a-f]{32}$/.test(u))).toBe(true);
    const again = await startTestSim();
    const other = again.sim.createChannel({ providerId: t.sim.channel(channel.channelId).providerId });
    expect(again.sim.addFriends(other.channelId, { count: 3, seed: 'bench' }).map((f) => f.userId)).toEqual(users.slice(0, 3));
    await again.close();
  });

  it('counts every guest exactly once for a campaign sent in multicast batches with retries', async () => {
    const campaign = { type: 'template' as const, altText: '春季住房優惠', template: { type: 'buttons' as const, text: '春季住房 8 折', actions: [{ type: 'postback' as const, label: '我有興趣', data: 'campaign=spring&answer=yes' }, { type: 'uri' as const, label: '立即訂房', uri: 'https://hotel.example/book?c=spring' }] } };
    for (let i = 0; i < users.length; i += 40) {
      const key = randomUUID();
      const req = { to: users.slice(i, i + 40), messages: [campaign], customAggregationUnits: ['spring_2026'] };
      await client.multicast(req, key);
      // A worker that lost the response retries with the same key; LINE refuses the duplicate.
      await client.multicast(req, key).catch(() => undefined);
    }
    const { body } = await admin<{ exactlyOnce: boolean; users: number; duplicates: unknown[] }>(t.url, 'GET', `/_sim/channels/${channel.channelId}/deliveries?unit=spring_2026`);
    expect(body).toMatchObject({ exactlyOnce: true, users: 100, duplicates: [] });
    const counters = t.sim.counters(channel.channelId);
    expect(counters.retryKeyConflicts).toBe(3);
    expect(counters.requests['POST /v2/bot/message/multicast']).toEqual({ accepted: 3, statuses: { 200: 3, 409: 3 } });
    expect(Object.values(counters.deliveriesByUser).every((n) => n === 1)).toBe(true);
  });

  it('makes 30% of recipients tap the postback button, sending signed postback webhooks', async () => {
    const before = receiver.requests.length;
    const res = await admin<ClickResult>(t.url, 'POST', `/_sim/channels/${channel.channelId}/script/click`, { unit: 'spring_2026', percent: 30, action: { label: '我有興趣' }, seed: 's1' });
    expect(res.body).toMatchObject({ recipients: 100, clicked: 30, webhooks: { ok: 30, failed: 0, requests: 30 } });
    tappers = res.body.userIds;
    await receiver.waitFor(before + 30);
    const sent = receiver.requests.slice(before);
    expect(sent.every((r) => validateSignature(r.body, channel.channelSecret, String(r.headers['x-line-signature'])))).toBe(true);
    expect(new Set(sent.map((r) => (r.json.events[0]!['source'] as { userId: string }).userId))).toEqual(new Set(res.body.userIds));
    expect(sent.every((r) => (r.json.events[0]!['postback'] as { data: string }).data === 'campaign=spring&answer=yes')).toBe(true);
    // Same seed, same guests.
    const again = await admin<ClickResult>(t.url, 'POST', `/_sim/channels/${channel.channelId}/script/click`, { unit: 'spring_2026', share: 0.3, action: { label: '我有興趣' }, seed: 's1', batchSize: 10 });
    expect(again.body.userIds.sort()).toEqual([...res.body.userIds].sort());
    expect(again.body.webhooks).toEqual({ ok: 3, failed: 0, requests: 3 });
    expect(receiver.requests.at(-1)!.json.events).toHaveLength(10);
  });

  it('reports per-unit opens and clicks, with values under 20 as null', async () => {
    const insightClient = new insight.InsightClient({ channelAccessToken: channel.channelAccessToken, baseURL: t.url });
    // 12 guests open the booking link: opens clear the threshold, clicks don't.
    const few = await admin<ClickResult>(t.url, 'POST', `/_sim/channels/${channel.channelId}/script/click`, { unit: 'spring_2026', share: 0.12, action: { type: 'uri' }, seed: 'few' });
    expect(few.body.clicked).toBe(12);
    const openers = new Set([...tappers, ...few.body.userIds]);
    let stats = await insightClient.getStatisticsPerUnit('spring_2026', today(), today());
    expect(stats.overview.uniqueImpression).toBe(openers.size);
    expect(stats.overview.uniqueClick).toBeNull();
    expect(stats.clicks).toEqual([]);

    const more = await admin<ClickResult>(t.url, 'POST', `/_sim/channels/${channel.channelId}/script/click`, { unit: 'spring_2026', share: 0.25, action: { label: '立即訂房' }, seed: 'more' });
    expect(more.body.opened.every((u) => u === 'https://hotel.example/book?c=spring')).toBe(true);
    const clickers = new Set([...few.body.userIds, ...more.body.userIds]);
    for (const u of more.body.userIds) openers.add(u);
    stats = await insightClient.getStatisticsPerUnit('spring_2026', today(), today());
    expect(stats.overview).toEqual({ uniqueImpression: openers.size, uniqueClick: clickers.size, uniqueMediaPlayed: null, uniqueMediaPlayed100Percent: null });
    expect(stats.clicks).toEqual([{ seq: 1, url: 'https://hotel.example/book?c=spring', click: 37, uniqueClick: clickers.size, uniqueClickOfRequest: clickers.size }]);
    expect(stats.messages).toEqual([expect.objectContaining({ seq: 1, uniqueImpression: openers.size, mediaPlayed: null })]);

    const bad = await fetch(`${t.url}/v2/bot/insight/message/event/aggregation?customAggregationUnit=spring-2026&from=${today()}&to=${today()}`, {
      headers: { authorization: `Bearer ${channel.channelAccessToken}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: null, key: null, stacktrace: null, code: null });
  });

  it('stops counting opens 14 days after sending', async () => {
    const before = t.sim.counters(channel.channelId).impressions;
    t.clock.advance(14 * 86_400_000 + 1);
    const res = await admin<{ impressions: number }>(t.url, 'POST', `/_sim/channels/${channel.channelId}/script/open`, { unit: 'spring_2026', share: 1 });
    expect(res.body.impressions).toBe(0);
    expect(t.sim.counters(channel.channelId).impressions).toBe(before);
  });
});

