import { HTTPFetchError, insight, messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim, textMessage } from '../testing/harness.ts';

// A 1000x500 PNG header is enough for the simulator's size check.
function png(width: number, height: number): Blob {
  const buf = Buffer.alloc(64);
  buf.writeUInt32BE(0x89504e47, 0);
  buf.writeUInt32BE(0x0d0a1a0a, 4);
  buf.writeUInt32BE(13, 8);
  buf.write('IHDR', 12, 'ascii');
  buf.writeUInt32BE(width, 16);
  buf.writeUInt32BE(height, 20);
  return new Blob([buf], { type: 'image/png' });
}

async function lineErrorOf(p: Promise<unknown>): Promise<{ status: number; body: unknown; headers: Headers }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HTTPFetchError);
  const e = err as HTTPFetchError;
  return { status: e.status, body: JSON.parse(e.body), headers: e.headers };
}

describe('official @line/bot-sdk MessagingApiClient against the simulator', () => {
  let t: TestSim;
  let client: messagingApi.MessagingApiClient;
  let channelId: string;
  let friends: string[];

  beforeAll(async () => {
    // The clock stands still here, so no bucket refills: a whole period's burst keeps rate limits out of these tests.
    t = await startTestSim({ rateLimitBurstMs: null });
    const ch = t.sim.createChannel({ displayName: '測試飯店', monthlyQuota: 10_000 });
    channelId = ch.channelId;
    friends = t.sim.addFriends(channelId, { count: 5 }).map((f) => f.userId);
    client = new messagingApi.MessagingApiClient({ channelAccessToken: ch.channelAccessToken, baseURL: t.url });
  });
  afterAll(() => t.close());

  it('push returns sentMessages and the message lands in the friend inbox', async () => {
    const res = await client.pushMessageWithHttpInfo({ to: friends[0]!, messages: [textMessage('歡迎入住！')] });
    expect(res.httpResponse.status).toBe(200);
    expect(res.httpResponse.headers.get('x-line-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.sentMessages).toHaveLength(1);
    expect(res.body.sentMessages[0]!.id).toMatch(/^\d+$/);
    const inbox = t.sim.inbox(channelId, friends[0]!);
    expect(inbox.at(-1)).toMatchObject({ id: res.body.sentMessages[0]!.id, message: { type: 'text', text: '歡迎入住！' }, endpoint: 'push' });
  });

  it('multicast delivers to every listed friend and answers {}', async () => {
    const body = await client.multicast({ to: friends.slice(0, 3), messages: [textMessage('早鳥優惠')] });
    expect(body).toEqual({});
    for (const u of friends.slice(0, 3)) expect(t.sim.inbox(channelId, u).at(-1)?.message).toMatchObject({ text: '早鳥優惠' });
    expect(t.sim.inbox(channelId, friends[3]!).some((e) => (e.message as { text?: string }).text === '早鳥優惠')).toBe(false);
  });

  it('broadcast reaches all friends', async () => {
    const res = await client.broadcastWithHttpInfo({ messages: [textMessage('颱風停班公告')] });
    expect(res.httpResponse.status).toBe(200);
    for (const u of friends) expect(t.sim.inbox(channelId, u).at(-1)?.message).toMatchObject({ text: '颱風停班公告' });
  });

  it('narrowcast answers 202 and its progress reports succeeded with counts', async () => {
    const res = await client.narrowcastWithHttpInfo({ messages: [textMessage('會員限定')], limit: { max: 2 } });
    expect(res.httpResponse.status).toBe(202);
    const requestId = res.httpResponse.headers.get('x-line-request-id')!;
    const progress = await client.getNarrowcastProgress(requestId);
    expect(progress).toMatchObject({ phase: 'succeeded', successCount: 2, failureCount: 0, targetCount: 2 });
    expect(progress.acceptedTime).toBe(new Date(t.clock.now()).toISOString());
    const notFound = await lineErrorOf(client.getNarrowcastProgress('00000000-0000-4000-8000-000000000000'));
    expect(notFound).toMatchObject({ status: 404, body: { message: 'Not found' } });
  });

  it('getProfile returns friends and 404s blocked users', async () => {
    const profile = await client.getProfile(friends[1]!);
    expect(profile.userId).toBe(friends[1]);
    expect(profile.displayName.length).toBeGreaterThan(0);
    expect(profile.pictureUrl).toContain(`/_sim/avatars/${friends[1]}.svg`);
    await t.sim.block(channelId, friends[4]!);
    expect(await lineErrorOf(client.getProfile(friends[4]!))).toMatchObject({ status: 404, body: { message: 'Not found' } });
    await t.sim.unblock(channelId, friends[4]!);
  });

  it('getFollowers pages with an opaque next token', async () => {
    const first = await client.getFollowers(undefined, 2);
    expect(first.userIds).toEqual(friends.slice(0, 2));
    expect(first.next).toBeTruthy();
    const second = await client.getFollowers(first.next, 1000);
    expect(second.userIds).toEqual(friends.slice(2));
    expect(second.next).toBeUndefined();
    expect(await lineErrorOf(client.getFollowers('bogus'))).toMatchObject({ status: 400, body: { message: 'Invalid start param' } });
  });

  it('getBotInfo describes the channel', async () => {
    const info = await client.getBotInfo();
    const ch = t.sim.channel(channelId);
    expect(info).toEqual({ userId: ch.botUserId, basicId: ch.basicId, displayName: '測試飯店', chatMode: 'bot', markAsReadMode: 'auto' });
  });

  it('getMessageQuota and consumption count one per delivered recipient', async () => {
    expect(await client.getMessageQuota()).toEqual({ type: 'limited', value: 10_000 });
    // push 1 + multicast 3 + broadcast 5 + narrowcast 2
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 11 });
  });

  it('creates, lists, links and reads rich menus', async () => {
    const { richMenuId } = await client.createRichMenu({
      size: { width: 2500, height: 843 },
      selected: true,
      name: '主選單',
      chatBarText: '選單',
      areas: [{ bounds: { x: 0, y: 0, width: 1250, height: 843 }, action: { type: 'postback', data: 'menu=booking' } }],
    });
    expect(richMenuId).toMatch(/^richmenu-[0-9a-f]{32}$/);
    expect((await client.getRichMenuList()).richmenus.map((m) => m.richMenuId)).toContain(richMenuId);

    // Linking needs an image first, exactly like LINE.
    expect(await lineErrorOf(client.linkRichMenuIdToUser(friends[0]!, richMenuId))).toMatchObject({ status: 400 });
    const blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: t.sim.channel(channelId).channelAccessToken, baseURL: t.url });
    await blob.setRichMenuImage(richMenuId, png(2500, 843));
    await client.linkRichMenuIdToUser(friends[0]!, richMenuId);
    expect(await client.getRichMenuIdOfUser(friends[0]!)).toEqual({ richMenuId });
    await client.setDefaultRichMenu(richMenuId);
    expect(await client.getDefaultRichMenuId()).toEqual({ richMenuId });
    expect(await lineErrorOf(blob.setRichMenuImage(richMenuId, png(2500, 843)))).toMatchObject({
      status: 400,
      body: { message: 'An image has already been uploaded to the richmenu' },
    });
  });

  it('rejects more than 5 messages with LINE\'s exact body', async () => {
    const err = await lineErrorOf(client.pushMessage({ to: friends[0]!, messages: Array.from({ length: 6 }, (_, i) => textMessage(`m${i}`)) }));
    expect(err.status).toBe(400);
    expect(err.body).toEqual({ message: 'The request body has 1 error(s)', details: [{ message: 'Size must be between 1 and 5', property: 'messages' }] });
  });

  it('rejects a multicast to more than 500 recipients', async () => {
    const to = Array.from({ length: 501 }, (_, i) => `U${i.toString(16).padStart(32, '0')}`);
    const err = await lineErrorOf(client.multicast({ to, messages: [textMessage('x')] }));
    expect(err.status).toBe(400);
    expect(err.body).toEqual({ message: 'The request body has 1 error(s)', details: [{ message: 'Size must be between 1 and 500', property: 'to' }] });
  });

  it('rejects malformed recipient IDs', async () => {
    const multi = await lineErrorOf(client.multicast({ to: [friends[0]!, 'Uabc'], messages: [textMessage('x')] }));
    expect(multi.body).toEqual({ message: 'The property, to[1], in the request body is invalid (line: -, column: -)' });
    const single = await lineErrorOf(client.pushMessage({ to: 'someone', messages: [textMessage('x')] }));
    expect(single.body).toEqual({ message: "The property, 'to', in the request body is invalid (line: -, column: -)" });
    const group = await lineErrorOf(client.pushMessage({ to: `C${'0'.repeat(32)}`, messages: [textMessage('x')] }));
    expect(group.body).toEqual({ message: 'Failed to send messages' });
  });

  it('rejects bad message objects and sends nothing', async () => {
    const before = t.sim.counters(channelId).totals.messagesDelivered;
    const empty = await lineErrorOf(client.pushMessage({ to: friends[0]!, messages: [{ type: 'text', text: '' }] }));
    expect(empty.body).toEqual({ message: 'The request body has 1 error(s)', details: [{ message: 'May not be empty', property: 'messages[0].text' }] });
    const long = await lineErrorOf(client.broadcast({ messages: [textMessage('a'.repeat(5001))] }));
    expect(long.body).toEqual({ message: 'The request body has 1 error(s)', details: [{ message: 'Length must be between 0 and 5000', property: 'messages[0].text' }] });
    const twoErrors = await lineErrorOf(
      client.multicast({ to: [friends[0]!], messages: [{ type: 'text', text: '' }, { type: 'carrier-pigeon' } as unknown as messagingApi.Message] }),
    );
    expect(twoErrors.body).toEqual({
      message: 'The request body has 2 error(s)',
      details: [
        { message: 'May not be empty', property: 'messages[0].text' },
        { message: 'Must be one of the following values: [text, textV2, sticker, image, video, audio, location, imagemap, template, flex, coupon]', property: 'messages[1].type' },
      ],
    });
    const template = await lineErrorOf(
      client.pushMessage({
        to: friends[0]!,
        messages: [{ type: 'template', altText: '訂房', template: { type: 'confirm', text: '確認訂房？', actions: [{ type: 'message', label: '是', text: '是' }] } }],
      }),
    );
    expect(template.body).toEqual({ message: 'A message (messages[0]) in the request body is invalid', details: [{ message: 'size must be between 2 and 2', property: '/template/actions' }] });
    expect(t.sim.counters(channelId).totals.messagesDelivered).toBe(before);
  });

  it('switches strict HTTPS per channel: an http:// image is refused once the channel says so, whatever the simulator default', async () => {
    const lax = await startTestSim({ rateLimitBurstMs: null, strictHttps: false });
    try {
      const ch = lax.sim.createChannel();
      const guest = lax.sim.addFriends(ch.channelId, { count: 1 })[0]!.userId;
      const c = new messagingApi.MessagingApiClient({ channelAccessToken: ch.channelAccessToken, baseURL: lax.url });
      const image = { type: 'image' as const, originalContentUrl: 'http://localhost:3000/a.jpg', previewImageUrl: 'http://localhost:3000/a.jpg' };
      await expect(c.pushMessage({ to: guest, messages: [image] })).resolves.toHaveProperty('sentMessages');
      lax.sim.updateChannel(ch.channelId, { strictHttps: true });
      expect(await lineErrorOf(c.pushMessage({ to: guest, messages: [image] }))).toMatchObject({ status: 400, body: { details: [{ message: 'must be a valid HTTPS URL', property: '/originalContentUrl' }, { message: 'must be a valid HTTPS URL', property: '/previewImageUrl' }] } });
    } finally {
      await lax.close();
    }
  });

  it('rejects an unknown access token with 401', async () => {
    const stranger = new messagingApi.MessagingApiClient({ channelAccessToken: 'not-a-token', baseURL: t.url });
    expect(await lineErrorOf(stranger.getBotInfo())).toMatchObject({
      status: 401,
      body: { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' },
    });
  });

  it('answers per-unit statistics through the InsightClient', async () => {
    const insightClient = new insight.InsightClient({ channelAccessToken: t.sim.channel(channelId).channelAccessToken, baseURL: t.url });
    await client.pushMessage({ to: friends[2]!, messages: [textMessage('stats')], customAggregationUnits: ['spring_sale'] });
    const day = new Date(t.clock.now() + 9 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    const stats = await insightClient.getStatisticsPerUnit('spring_sale', day, day);
    expect(stats.overview).toEqual({ uniqueImpression: null, uniqueClick: null, uniqueMediaPlayed: null, uniqueMediaPlayed100Percent: null });
    expect(stats.messages).toEqual([]);
  });
});
