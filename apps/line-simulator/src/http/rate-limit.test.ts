import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim, textMessage } from '../testing/harness.ts';

async function status(p: Promise<unknown>): Promise<number> {
  return p.then(
    () => 200,
    (e: unknown) => (e instanceof HTTPFetchError ? e.status : -1),
  );
}

describe('token-bucket rate limits per channel and endpoint (a whole period of burst)', () => {
  let t: TestSim;
  let a: messagingApi.MessagingApiClient;
  let b: messagingApi.MessagingApiClient;
  let user: string;
  let channelA: string;

  beforeAll(async () => {
    t = await startTestSim({ rateLimitBurstMs: null });
    const chA = t.sim.createChannel();
    const chB = t.sim.createChannel();
    channelA = chA.channelId;
    user = t.sim.addFriends(chA.channelId, { count: 1 })[0]!.userId;
    a = new messagingApi.MessagingApiClient({ channelAccessToken: chA.channelAccessToken, baseURL: t.url });
    b = new messagingApi.MessagingApiClient({ channelAccessToken: chB.channelAccessToken, baseURL: t.url });
  });
  afterAll(() => t.close());

  it('allows 60 broadcasts per hour, then answers LINE\'s 429 until a token refills', async () => {
    for (let i = 0; i < 60; i++) expect(await status(a.broadcast({ messages: [textMessage(`b${i}`)] }))).toBe(200);
    const err = await a.broadcast({ messages: [textMessage('one too many')] }).then(() => null, (e: unknown) => e as HTTPFetchError);
    expect(err?.status).toBe(429);
    expect(JSON.parse(err!.body)).toEqual({ message: 'The API rate limit has been exceeded. Try again later.' });
    expect(err?.headers.get('retry-after')).toBeNull();

    // 60/hour refills one token a minute.
    t.clock.advance(59_999);
    expect(await status(a.broadcast({ messages: [textMessage('still early')] }))).toBe(429);
    t.clock.advance(1);
    expect(await status(a.broadcast({ messages: [textMessage('refilled')] }))).toBe(200);
    expect(await status(a.broadcast({ messages: [textMessage('empty again')] }))).toBe(429);
  });

  it('keeps buckets separate per endpoint and per channel', async () => {
    // Broadcast is exhausted on channel A, but narrowcast and channel B are untouched.
    expect(await status(a.narrowcast({ messages: [textMessage('n')] }))).toBe(200);
    expect(await status(b.broadcast({ messages: [textMessage('other channel')] }))).toBe(200);
    expect(await status(a.getBotInfo())).toBe(200);
  });

  it('allows 200 multicasts per second', async () => {
    const req = { to: [user], messages: [textMessage('m')] };
    const results: number[] = [];
    for (let i = 0; i < 201; i++) results.push(await status(a.multicast(req)));
    expect(results.slice(0, 200).every((s) => s === 200)).toBe(true);
    expect(results[200]).toBe(429);
    t.clock.advance(5); // 200/s refills one token every 5 ms
    expect(await status(a.multicast(req))).toBe(200);
    expect(await status(a.multicast(req))).toBe(429);
    const counters = t.sim.counters(channelA);
    expect(counters.requests['POST /v2/bot/message/multicast']).toEqual({ accepted: 201, statuses: { 200: 201, 429: 2 } });
  });
});

describe('a small burst, as LINE warns', () => {
  let t: TestSim;
  let client: messagingApi.MessagingApiClient;
  let channelId: string;
  let user: string;

  beforeAll(async () => {
    t = await startTestSim({ rateLimitBurstMs: 50 });
    const ch = t.sim.createChannel();
    channelId = ch.channelId;
    user = t.sim.addFriends(channelId, { count: 1 })[0]!.userId;
    client = new messagingApi.MessagingApiClient({ channelAccessToken: ch.channelAccessToken, baseURL: t.url });
  });
  afterAll(() => t.close());

  it('holds 50 ms of multicast (10 requests), then refuses a client that does not wait for the refill', async () => {
    const req = { to: [user], messages: [textMessage('burst')] };
    const results: number[] = [];
    for (let i = 0; i < 11; i++) results.push(await status(client.multicast(req)));
    expect(results).toEqual([...Array<number>(10).fill(200), 429]);
    // Exactly at the limit (one request per 5 ms) is allowed once the bucket is empty; one more in the same 5 ms is not.
    t.clock.advance(5);
    expect(await status(client.multicast(req))).toBe(200);
    expect(await status(client.multicast(req))).toBe(429);
  });

  it('keeps at least one request of burst on hourly limits', async () => {
    expect(await status(client.broadcast({ messages: [textMessage('first')] }))).toBe(200);
    expect(await status(client.broadcast({ messages: [textMessage('second')] }))).toBe(429);
    t.clock.advance(60_000);
    expect(await status(client.broadcast({ messages: [textMessage('a minute later')] }))).toBe(200);
  });

  it('answers "too many messages to the same user" past the channel threshold, and sends nothing', async () => {
    t.sim.updateChannel(channelId, { sameUserLimit: { messages: 3, periodMs: 60_000 } });
    t.clock.advance(1000);
    await client.pushMessage({ to: user, messages: [textMessage('one'), textMessage('two')] });
    const refused = await client.pushMessage({ to: user, messages: [textMessage('three'), textMessage('four')] }).then(
      () => null,
      (e: unknown) => e as HTTPFetchError,
    );
    expect(refused?.status).toBe(429);
    expect(JSON.parse(refused!.body)).toEqual({ message: 'Too many messages have been sent to this user. Try again later.' });
    expect(t.sim.deliveries(channelId, { textContains: 'four' }).users).toBe(0);
    expect(t.sim.counters(channelId).sameUserLimited).toBe(1);
    t.clock.advance(60_000);
    await expect(client.pushMessage({ to: user, messages: [textMessage('three'), textMessage('four')] })).resolves.toHaveProperty('sentMessages');
  });
});

describe('the rate limit judged when a request arrives, not when this process gets to it', () => {
  // A client that says when each request left (bench:push's workers do): `sentAtHeader`.
  const SENT_AT = 'x-sent-at';
  let t: TestSim;
  let token: string;
  let user: string;

  beforeAll(async () => {
    t = await startTestSim({ rateLimitBurstMs: 50, sentAtHeader: SENT_AT });
    const ch = t.sim.createChannel();
    token = ch.channelAccessToken;
    user = t.sim.addFriends(ch.channelId, { count: 1 })[0]!.userId;
  });
  afterAll(() => t.close());

  const multicast = (sentAt: number | null, to = user) =>
    fetch(`${t.url}/v2/bot/message/multicast`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(sentAt === null ? {} : { [SENT_AT]: String(sentAt) }) },
      body: JSON.stringify({ to: [to], messages: [textMessage('paced')] }),
    }).then((r) => r.status);

  it('accepts requests that left at the pace though this process reads them all at once, and refuses them when they left together', async () => {
    // Twenty requests left 5.26 ms apart (190/s, under LINE's 200/s) over the last 100 ms; the simulator, busy, reads
    // them all now. At their arrivals the bucket never empties.
    t.clock.advance(10_000);
    const now = t.clock.now();
    const paced: number[] = [];
    for (let k = 19; k >= 0; k--) paced.push(await multicast(now - k * (1000 / 190)));
    expect(paced).toEqual(Array<number>(20).fill(200));
    // Without the header they arrive when read: all at once, as before, and the bucket (10) refuses the rest.
    t.clock.advance(10_000);
    const unstamped: number[] = [];
    for (let k = 0; k < 20; k++) unstamped.push(await multicast(null));
    expect(unstamped).toEqual([...Array<number>(10).fill(200), ...Array<number>(10).fill(429)]);
    // Eleven that left together are refused as LINE would: the header makes nothing kinder than the wire.
    t.clock.advance(10_000);
    const together: number[] = [];
    for (let k = 0; k < 11; k++) together.push(await multicast(t.clock.now() - 30));
    expect(together).toEqual([...Array<number>(10).fill(200), 429]);
  });

  it('fits a request read after later arrivals in at its own time: refused only if it or one accepted after it would have found the bucket empty', async () => {
    t.clock.advance(10_000);
    const now = t.clock.now();
    // Ten arrive at now (the bucket empties), then two that left 10 and 8 ms earlier are read: at their arrivals the
    // bucket was full, and the ten after them still found tokens (refilled to the brim by now), so LINE would have
    // taken all twelve.
    for (let k = 0; k < 10; k++) expect(await multicast(now)).toBe(200);
    expect(await multicast(now - 10)).toBe(200);
    expect(await multicast(now - 8)).toBe(200);
    // One more from 1 ms before now: the last of the ten would then have found the bucket empty. Refused, and the
    // answers already given stand.
    expect(await multicast(now - 1)).toBe(429);
    // A time long ago is taken as a second before the request was read, no earlier: eleven stamped five seconds apart
    // but read together all arrive then, and the bucket (10) refuses one.
    t.clock.advance(10_000);
    const later = t.clock.now();
    const stamped: number[] = [];
    for (let k = 10; k >= 0; k--) stamped.push(await multicast(later - 60_000 + k * 5000));
    expect(stamped).toEqual([...Array<number>(10).fill(200), 429]);
  });
});
