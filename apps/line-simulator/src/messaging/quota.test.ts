import { type HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim, textMessage } from '../testing/harness.ts';

describe('monthly quota and blocked friends', () => {
  let t: TestSim;
  let client: messagingApi.MessagingApiClient;
  let channelId: string;
  let users: string[];

  beforeAll(async () => {
    t = await startTestSim();
    const ch = t.sim.createChannel({ monthlyQuota: 5 });
    channelId = ch.channelId;
    users = t.sim.addFriends(channelId, { count: 4 }).map((f) => f.userId);
    client = new messagingApi.MessagingApiClient({ channelAccessToken: ch.channelAccessToken, baseURL: t.url });
  });
  afterAll(() => t.close());

  it('does not deliver to or count a blocked friend, but still answers 200', async () => {
    await t.sim.block(channelId, users[3]!);
    await expect(client.multicast({ to: users, messages: [textMessage('早餐時間變更')] })).resolves.toEqual({});
    const d = t.sim.deliveries(channelId, { textContains: '早餐時間變更' });
    expect(Object.keys(d.perUser).sort()).toEqual(users.slice(0, 3).sort());
    expect(t.sim.inbox(channelId, users[3]!)).toHaveLength(0);
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 3 });
    expect(t.sim.counters(channelId).notDelivered.blocked).toBe(1);
    // Push to the blocked user: 200, nothing delivered, no quota used.
    await expect(client.pushMessage({ to: users[3]!, messages: [textMessage('hello?')] })).resolves.toHaveProperty('sentMessages');
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 3 });
  });

  it('refuses a send that would exceed the monthly limit and delivers nothing', async () => {
    const err = await client.multicast({ to: users.slice(0, 3), messages: [textMessage('over quota')] }).then(() => null, (e: unknown) => e as HTTPFetchError);
    expect(err?.status).toBe(429);
    expect(JSON.parse(err!.body)).toEqual({ message: 'You have reached your monthly limit.' });
    expect(t.sim.deliveries(channelId, { textContains: 'over quota' }).users).toBe(0);
    // Two messages still fit.
    await client.multicast({ to: users.slice(0, 2), messages: [textMessage('fits')] });
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 5 });
    const push = await client.pushMessage({ to: users[0]!, messages: [textMessage('no room')] }).then(() => null, (e: unknown) => e as HTTPFetchError);
    expect(push?.status).toBe(429);
  });

  it('starts counting again in the next JST month', async () => {
    // The manual clock starts mid-January; jump to 1 February 00:00 JST.
    t.clock.set(Date.UTC(2026, 0, 31, 15, 0, 0));
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 0 });
    await expect(client.pushMessage({ to: users[0]!, messages: [textMessage('new month')] })).resolves.toHaveProperty('sentMessages');
  });
});
