import { randomUUID } from 'node:crypto';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, startTestSim, type TestSim, textMessage } from '../testing/harness.ts';

const HOUR = 3_600_000;

async function failure(p: Promise<unknown>): Promise<HTTPFetchError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(HTTPFetchError);
  return e as HTTPFetchError;
}

describe('X-Line-Retry-Key', () => {
  let t: TestSim;
  let client: messagingApi.MessagingApiClient;
  let channelId: string;
  let users: string[];

  beforeAll(async () => {
    // The clock stands still here, so no bucket refills: a whole period's burst keeps rate limits out of these tests.
    t = await startTestSim({ rateLimitBurstMs: null });
    const ch = t.sim.createChannel();
    channelId = ch.channelId;
    users = t.sim.addFriends(channelId, { count: 3 }).map((f) => f.userId);
    client = new messagingApi.MessagingApiClient({ channelAccessToken: ch.channelAccessToken, baseURL: t.url });
  });
  afterAll(() => t.close());

  it('accepts a key once, then answers 409 with x-line-accepted-request-id and the original sentMessages', async () => {
    const key = randomUUID();
    const req = { to: users[0]!, messages: [textMessage('房間已升等')] };
    const first = await client.pushMessageWithHttpInfo(req, key);
    const acceptedId = first.httpResponse.headers.get('x-line-request-id');

    const conflict = await failure(client.pushMessage(req, key));
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('x-line-accepted-request-id')).toBe(acceptedId);
    expect(conflict.headers.get('x-line-request-id')).not.toBe(acceptedId);
    expect(JSON.parse(conflict.body)).toEqual({ message: 'The retry key is already accepted', sentMessages: first.body.sentMessages });

    const d = t.sim.deliveries(channelId, { textContains: '房間已升等' });
    expect(d.perUser).toEqual({ [users[0]!]: 1 });
    expect(t.sim.counters(channelId).retryKeyConflicts).toBe(1);
  });

  it('409 for multicast carries no sentMessages', async () => {
    const key = randomUUID();
    await client.multicast({ to: users, messages: [textMessage('multicast-once')] }, key);
    const conflict = await failure(client.multicast({ to: users, messages: [textMessage('multicast-once')] }, key));
    expect(conflict.status).toBe(409);
    expect(JSON.parse(conflict.body)).toEqual({ message: 'The retry key is already accepted' });
    expect(t.sim.deliveries(channelId, { textContains: 'multicast-once' }).exactlyOnce).toBe(true);
  });

  it('treats the same key as new after 24 hours on the injected clock', async () => {
    const key = randomUUID();
    const req = { messages: [textMessage('daily-digest')] };
    await client.broadcast(req, key);
    t.clock.advance(24 * HOUR - 1);
    expect((await failure(client.broadcast(req, key))).status).toBe(409);
    t.clock.advance(1);
    await expect(client.broadcast(req, key)).resolves.toEqual({});
    // Past the window LINE sends again, so each friend now has it twice.
    const d = t.sim.deliveries(channelId, { textContains: 'daily-digest' });
    expect(d.duplicates).toHaveLength(users.length);
  });

  it('does not lock a key whose first attempt failed', async () => {
    const key = randomUUID();
    t.sim.updateChannel(channelId, { faults: { errorRate: 1 } });
    const first = await failure(client.pushMessage({ to: users[1]!, messages: [textMessage('retry-after-500')] }, key));
    expect(first.status).toBe(500);
    t.sim.updateChannel(channelId, { faults: { errorRate: 0 } });
    await expect(client.pushMessage({ to: users[1]!, messages: [textMessage('retry-after-500')] }, key)).resolves.toHaveProperty('sentMessages');
    expect(t.sim.deliveries(channelId, { textContains: 'retry-after-500' }).perUser).toEqual({ [users[1]!]: 1 });
  });

  it('rejects a retry key on endpoints that do not support it', async () => {
    const res = await fetch(`${t.url}/v2/bot/profile/${users[0]}`, {
      headers: { authorization: `Bearer ${t.sim.channel(channelId).channelAccessToken}`, 'x-line-retry-key': randomUUID() },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'X-Line-Retry-Key header is not supported for this API' });
  });

  it('locks a key even when the connection drops after acceptance, so the client retry meets 409', async () => {
    const key = randomUUID();
    t.sim.updateChannel(channelId, { faults: { dropAfterAcceptRate: 1 } });
    const dropped = await client.pushMessage({ to: users[2]!, messages: [textMessage('lost-response')] }, key).then(() => null, (e: unknown) => e);
    expect(dropped).toBeInstanceOf(TypeError);
    t.sim.updateChannel(channelId, { faults: { dropAfterAcceptRate: 0 } });
    const retry = await failure(client.pushMessage({ to: users[2]!, messages: [textMessage('lost-response')] }, key));
    expect(retry.status).toBe(409);
    expect(t.sim.deliveries(channelId, { textContains: 'lost-response' }).perUser).toEqual({ [users[2]!]: 1 });
  });
});

describe('X-Line-Retry-Key: the hard cases', () => {
  let t: TestSim;
  let client: messagingApi.MessagingApiClient;
  let channelId: string;
  let users: string[];

  beforeAll(async () => {
    t = await startTestSim({ rateLimitBurstMs: null });
    const ch = t.sim.createChannel();
    channelId = ch.channelId;
    users = t.sim.addFriends(channelId, { count: 2 }).map((f) => f.userId);
    client = new messagingApi.MessagingApiClient({ channelAccessToken: ch.channelAccessToken, baseURL: t.url });
  });
  afterAll(() => t.close());

  it('errorAfterAcceptRate delivers and locks the key, then answers 500: the retry meets 409 and nobody gets it twice', async () => {
    const key = randomUUID();
    const req = { to: users, messages: [textMessage('accepted-then-500')] };
    t.sim.updateChannel(channelId, { faults: { errorAfterAcceptRate: 1 } });
    const first = await failure(client.multicast(req, key));
    expect(first.status).toBe(500);
    expect(JSON.parse(first.body)).toEqual({ message: 'An internal server error occurred.' });
    t.sim.updateChannel(channelId, { faults: { errorAfterAcceptRate: 0 } });
    expect((await failure(client.multicast(req, key))).status).toBe(409);
    const d = t.sim.deliveries(channelId, { textContains: 'accepted-then-500' }, { audience: users });
    expect(d.perUser).toEqual({ [users[0]!]: 1, [users[1]!]: 1 });
    expect(d.exactlyOnce).toBe(true);
    expect(t.sim.counters(channelId).faults.errorAfterAccept).toBe(1);
  });

  it('starts the 24-hour window at the first attempt, even one that failed', async () => {
    const key = randomUUID();
    const req = { to: users[0]!, messages: [textMessage('window-from-first-try')] };
    t.sim.updateChannel(channelId, { faults: { errorRate: 1 } });
    expect((await failure(client.pushMessage(req, key))).status).toBe(500);
    t.sim.updateChannel(channelId, { faults: { errorRate: 0 } });
    t.clock.advance(20 * HOUR);
    await client.pushMessage(req, key);
    t.clock.advance(4 * HOUR - 1);
    expect((await failure(client.pushMessage(req, key))).status).toBe(409);
    // 24 h after the first (failed) attempt, not after the acceptance: the same key sends again.
    t.clock.advance(1);
    await expect(client.pushMessage(req, key)).resolves.toHaveProperty('sentMessages');
    expect(t.sim.deliveries(channelId, { textContains: 'window-from-first-try' }).duplicates).toEqual([{ userId: users[0]!, count: 2 }]);
  });

  it('reports ids listed twice in one multicast, and the guests an audience missed; counts per campaign, not per key', async () => {
    const [a, b] = users as [string, string];
    const stranger = `U${'0'.repeat(32)}`;
    await client.multicast({ to: [a, a], messages: [textMessage('campaign-x')], customAggregationUnits: ['campaign_x'] }, randomUUID());
    // A re-send under a new key is a second delivery of the same campaign, whatever the keys say.
    await client.multicast({ to: [a], messages: [textMessage('campaign-x')], customAggregationUnits: ['campaign_x'] }, randomUUID());
    const d = t.sim.unitDeliveries(channelId, 'campaign_x', { audience: [a, b, stranger] });
    expect(d.duplicateIdsInRequests).toEqual([{ requestId: expect.any(String), userIds: [a] }]);
    expect(d.duplicates).toEqual([{ userId: a, count: 2 }]);
    expect(d.audience).toEqual({ size: 3, missing: [b], undeliverable: [stranger], unexpected: [] });
    expect(d.exactlyOnce).toBe(false);
    expect(t.sim.counters(channelId).duplicateIdsInRequests).toBe(1);
    // The same over the admin API, as a test in another process asks it.
    const checked = await admin<{ audience: unknown; exactlyOnce: boolean; deliveries: number }>(t.url, 'POST', `/_sim/channels/${channelId}/deliveries/check`, { unit: 'campaign_x', audience: [a, b, stranger], summary: true });
    expect(checked.body).toMatchObject({ audience: { size: 3, missing: [b], undeliverable: [stranger], unexpected: [] }, exactlyOnce: false, deliveries: 2 });
    expect((await admin<{ users: number }>(t.url, 'GET', `/_sim/channels/${channelId}/units/campaign_x?summary=1`)).body.users).toBe(1);
    // Without an audience the old meaning stays: no duplicates among those reached.
    expect(t.sim.deliveries(channelId, { unit: 'campaign_x' }).exactlyOnce).toBe(false);
  });
});
