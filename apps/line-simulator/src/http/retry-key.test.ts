import { randomUUID } from 'node:crypto';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim, textMessage } from '../testing/harness.ts';

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
    t = await startTestSim();
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
