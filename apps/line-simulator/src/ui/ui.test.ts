import { afterAll, describe, expect, it } from 'vitest';
import { buildSimulator, createManualClock } from '../index.ts';

describe('buildSimulator in-process, demo seeding and the chat page', () => {
  const { app, sim } = buildSimulator({ seed: 'ui', clock: createManualClock(), demo: { webhookUrl: null, friends: 3 } });
  afterAll(() => app.close());

  it('serves LINE paths through inject without listening', async () => {
    const res = await app.inject({ method: 'GET', url: '/v2/bot/info', headers: { authorization: 'Bearer demo-channel-access-token' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ basicId: '@innkeeper', displayName: '日月潭湖畔渡假飯店' });
    expect(res.headers['x-line-request-id']).toMatch(/^[0-9a-f]{8}-/);
    const missing = await app.inject({ method: 'GET', url: '/v2/bot/no-such-thing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ message: 'Not found' });
  });

  it('seeds the demo channel with fixed credentials, friends and visitors', () => {
    const ch = sim.channel('2000000001');
    expect(ch).toMatchObject({ channelSecret: 'demo0channel0secret0000000000000', loginChannelId: '2000000002', friendCount: 3 });
    expect([...sim.store.channels.get('2000000001')!.friends.values()].map((f) => f.state)).toEqual(['friend', 'friend', 'friend', 'none', 'none']);
  });

  it('serves the chat page and the state it polls', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/_sim/ui/app.js');
    // An empty icon: the browser asks for no /favicon.ico, which would answer 404 (an error in the page's console).
    expect(page.body).toContain('<link rel="icon" href="data:,">');
    expect((await app.inject({ method: 'GET', url: '/favicon.ico' })).statusCode).toBe(404);
    for (const asset of ['/_sim/ui/app.js', '/_sim/ui/styles.css', '/_sim/liff/sdk.js']) expect((await app.inject({ method: 'GET', url: asset })).statusCode).toBe(200);

    const userId = [...sim.store.channels.get('2000000001')!.friends.keys()][0]!;
    await app.inject({
      method: 'POST',
      url: '/v2/bot/message/push',
      headers: { authorization: 'Bearer demo-channel-access-token' },
      payload: { to: userId, messages: [{ type: 'text', text: '歡迎', quickReply: { items: [{ type: 'action', action: { type: 'message', label: '謝謝', text: '謝謝' } }] } }] },
    });
    const state = (await app.inject({ method: 'GET', url: `/_sim/ui/state?channelId=2000000001&userId=${userId}` })).json();
    expect(state.channel.displayName).toBe('日月潭湖畔渡假飯店');
    // The phone's zone, in which the page shows every time (e2e/line-simulator-time.e2e.test.ts).
    expect(state.timeZone).toBe('Asia/Taipei');
    expect(state.friends.find((f: { userId: string }) => f.userId === userId)).toMatchObject({ unread: 1, last: { text: '歡迎' } });
    expect(state.chat.messages.at(-1)).toMatchObject({ kind: 'bot', message: { text: '歡迎' } });
    expect(state.chat.quickReply).toMatchObject({ items: [{ action: { label: '謝謝' } }] });

    const avatar = await app.inject({ method: 'GET', url: `/_sim/avatars/${userId}.svg` });
    expect(avatar.headers['content-type']).toContain('image/svg+xml');

    // Opening the chat records impressions and clears the unread badge.
    const opened = await app.inject({ method: 'POST', url: `/_sim/channels/2000000001/friends/${userId}/open` });
    expect(opened.json()).toEqual({ impressions: 1 });
    const after = (await app.inject({ method: 'GET', url: `/_sim/ui/state?channelId=2000000001&userId=${userId}` })).json();
    expect(after.friends.find((f: { userId: string }) => f.userId === userId).unread).toBe(0);
  });

  it('takes the phone’s time zone, and refuses one Intl does not know at start-up', () => {
    const { app: tokyo, sim: inTokyo } = buildSimulator({ timeZone: 'Asia/Tokyo' });
    expect(inTokyo.ctx.options.timeZone).toBe('Asia/Tokyo');
    void tokyo.close();
    expect(() => buildSimulator({ timeZone: 'Asia/Taipie' })).toThrow(RangeError);
  });

  it('answers admin errors in its own shape', async () => {
    const res = await app.inject({ method: 'POST', url: '/_sim/channels', payload: { channelId: '2000000001' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: 'channel 2000000001 already exists' });
    const bad = await app.inject({ method: 'POST', url: '/_sim/channels/2000000001/friends', payload: { count: 0 } });
    expect(bad.statusCode).toBe(400);
  });
});
