import { type HTTPFetchError, messagingApi, validateSignature } from '@line/bot-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { admin, startReceiver, startTestSim, type TestSim, textMessage } from '../testing/harness.ts';
import { signBody } from './sign.ts';

const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('webhooks sent by the simulator', () => {
  let t: TestSim;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let status = 200;
  let channel: ReturnType<TestSim['sim']['createChannel']>;
  let users: string[];

  beforeAll(async () => {
    t = await startTestSim();
    receiver = await startReceiver(() => status);
    channel = t.sim.createChannel({ webhookUrl: receiver.url });
    users = t.sim.addFriends(channel.channelId, { count: 2, state: 'none' }).map((f) => f.userId);
  });
  afterEach(() => {
    status = 200;
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('matches LINE\'s published signature test vector', () => {
    expect(signBody('8c570fa6dd201bb328f1c1eac23a96d8', '{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}')).toBe('GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=');
  });

  it('signs follow webhooks so the SDK\'s validateSignature accepts them, and rejects a wrong secret', async () => {
    const res = await admin(t.url, 'POST', `/_sim/channels/${channel.channelId}/friends/${users[0]}/follow`);
    expect(res.status).toBe(200);
    const req = receiver.requests.at(-1)!;
    const signature = String(req.headers['x-line-signature']);
    expect(validateSignature(req.body, channel.channelSecret, signature)).toBe(true);
    expect(validateSignature(req.body, 'ffffffffffffffffffffffffffffffff', signature)).toBe(false);
    expect(req.json.destination).toBe(channel.botUserId);
    const event = req.json.events[0]!;
    expect(event).toMatchObject({
      type: 'follow',
      mode: 'active',
      timestamp: t.clock.now(),
      source: { type: 'user', userId: users[0] },
      deliveryContext: { isRedelivery: false },
      follow: { isUnblocked: false },
    });
    expect(event['webhookEventId']).toMatch(ULID_RE);
    expect(event['replyToken']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sends unfollow on block (no reply token) and follow with isUnblocked on unblock', async () => {
    await t.sim.block(channel.channelId, users[0]!);
    const unfollow = receiver.requests.at(-1)!.json.events[0]!;
    expect(unfollow['type']).toBe('unfollow');
    expect(unfollow['replyToken']).toBeUndefined();
    await t.sim.unblock(channel.channelId, users[0]!);
    expect(receiver.requests.at(-1)!.json.events[0]).toMatchObject({ type: 'follow', follow: { isUnblocked: true } });
  });

  it('turns a tapped postback button into a postback event and a typed message into a message event', async () => {
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.channelAccessToken, baseURL: t.url });
    const { sentMessages } = await client.pushMessage({
      to: users[0]!,
      messages: [{ type: 'template', altText: '入住時間', template: { type: 'buttons', text: '請選擇入住時間', actions: [{ type: 'postback', label: '15:00', data: 'checkin=15', displayText: '15:00 入住' }] } }],
    });
    const tapped = await admin<{ delivery: { status: number; ok: boolean } }>(t.url, 'POST', `/_sim/channels/${channel.channelId}/friends/${users[0]}/tap`, {
      messageId: sentMessages[0]!.id,
      action: { type: 'postback', label: '15:00', data: 'checkin=15', displayText: '15:00 入住' },
    });
    expect(tapped.body.delivery).toMatchObject({ status: 200, ok: true });
    const req = receiver.requests.at(-1)!;
    expect(validateSignature(req.body, channel.channelSecret, String(req.headers['x-line-signature']))).toBe(true);
    expect(req.json.events[0]).toMatchObject({ type: 'postback', postback: { data: 'checkin=15' } });
    // displayText shows in the chat as the user's message without a message event.
    expect(t.sim.store.channels.get(channel.channelId)!.friends.get(users[0]!)!.timeline.at(-1)).toMatchObject({ kind: 'user', message: { text: '15:00 入住' } });

    await t.sim.sendMessage(channel.channelId, users[0]!, { type: 'text', text: '請問有停車位嗎？' });
    expect(receiver.requests.at(-1)!.json.events[0]).toMatchObject({ type: 'message', message: { type: 'text', text: '請問有停車位嗎？' } });
  });

  it('accepts a reply within a minute of the webhook, once', async () => {
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.channelAccessToken, baseURL: t.url });
    const { events } = await t.sim.sendMessage(channel.channelId, users[1]!, { type: 'text', text: '你好' });
    const replyToken = events[0]!.replyToken!;
    const ok = await client.replyMessage({ replyToken, messages: [textMessage('您好，有什麼可以幫您？')] });
    expect(ok.sentMessages).toHaveLength(1);
    const again = await client.replyMessage({ replyToken, messages: [textMessage('again')] }).then(() => null, (e: unknown) => e as HTTPFetchError);
    expect(again?.status).toBe(400);
    expect(JSON.parse(again!.body)).toEqual({ message: 'Invalid reply token' });

    const late = await t.sim.sendMessage(channel.channelId, users[1]!, { type: 'text', text: '還在嗎' });
    t.clock.advance(60_001);
    const expired = await client.replyMessage({ replyToken: late.events[0]!.replyToken!, messages: [textMessage('late')] }).then(() => null, (e: unknown) => e as HTTPFetchError);
    expect(expired?.status).toBe(400);
    // Replies are free: the non-friend got the reply and no quota was used.
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 1 });
  });

  it('redelivers failed webhooks with the same webhookEventId and isRedelivery true', async () => {
    t.sim.updateChannel(channel.channelId, { webhook: { redelivery: true, redeliveryAttempts: 2, redeliveryIntervalMs: 0 } });
    status = 500;
    const before = receiver.requests.length;
    const first = await t.sim.postback(channel.channelId, users[1]!, { data: 'retry-me' });
    expect(first.delivery).toMatchObject({ status: 500, ok: false, error: 'error_status_code' });
    status = 200;
    await t.sim.settle();
    const sent = receiver.requests.slice(before);
    expect(sent).toHaveLength(2);
    const [original, redelivered] = sent.map((r) => r.json.events[0]!);
    expect(redelivered!['webhookEventId']).toBe(original!['webhookEventId']);
    expect(redelivered!['replyToken']).toBe(original!['replyToken']);
    expect(original!['deliveryContext']).toEqual({ isRedelivery: false });
    expect(redelivered!['deliveryContext']).toEqual({ isRedelivery: true });
    expect(validateSignature(sent[1]!.body, channel.channelSecret, String(sent[1]!.headers['x-line-signature']))).toBe(true);
    const log = t.sim.webhookLog(channel.channelId).slice(-2);
    expect(log.map((d) => [d.status, d.isRedelivery, d.attempt])).toEqual([
      [500, false, 1],
      [200, true, 2],
    ]);
    expect(log[1]!.latencyMs).toBeGreaterThanOrEqual(0);
    t.sim.updateChannel(channel.channelId, { webhook: { redelivery: false } });
  });

  it('can forge signatures so the receiver\'s rejection path can be tested', async () => {
    t.sim.updateChannel(channel.channelId, { webhook: { signature: 'invalid' } });
    await t.sim.postback(channel.channelId, users[1]!, { data: 'forged' });
    const req = receiver.requests.at(-1)!;
    expect(validateSignature(req.body, channel.channelSecret, String(req.headers['x-line-signature']))).toBe(false);
    t.sim.updateChannel(channel.channelId, { webhook: { signature: 'missing' } });
    await t.sim.postback(channel.channelId, users[1]!, { data: 'unsigned' });
    expect(receiver.requests.at(-1)!.headers['x-line-signature']).toBeUndefined();
    t.sim.updateChannel(channel.channelId, { webhook: { signature: 'valid' } });
  });

  it('records could_not_connect when nobody listens, and supports LINE\'s webhook settings API', async () => {
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.channelAccessToken, baseURL: t.url });
    await client.setWebhookEndpoint({ endpoint: 'http://127.0.0.1:9/nothing' });
    expect(await client.getWebhookEndpoint()).toEqual({ endpoint: 'http://127.0.0.1:9/nothing', active: true });
    const res = await t.sim.postback(channel.channelId, users[1]!, { data: 'nobody home' });
    expect(res.delivery).toMatchObject({ ok: false, status: null, error: 'could_not_connect' });
    const test = await client.testWebhookEndpoint({ endpoint: receiver.url });
    expect(test).toMatchObject({ success: true, statusCode: 200, reason: 'OK', detail: '200' });
    expect(receiver.requests.at(-1)!.json).toEqual({ destination: channel.botUserId, events: [] });
  });
});
