import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, startTestSim, type TestSim, textMessage } from '../testing/harness.ts';

describe('fault injection', () => {
  let t: TestSim;
  let client: messagingApi.MessagingApiClient;
  let channelId: string;
  let user: string;
  const push = () => client.pushMessage({ to: user, messages: [textMessage('fault test')] });
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => 'ok' as const,
      (e: unknown) => (e instanceof HTTPFetchError ? e.status : e instanceof TypeError ? 'socket' : String(e)),
    );

  beforeAll(async () => {
    t = await startTestSim();
    const ch = t.sim.createChannel();
    channelId = ch.channelId;
    user = t.sim.addFriends(channelId, { count: 1 })[0]!.userId;
    client = new messagingApi.MessagingApiClient({ channelAccessToken: ch.channelAccessToken, baseURL: t.url });
  });
  afterAll(() => t.close());
  const set = (faults: Record<string, unknown>) => admin(t.url, 'PATCH', `/_sim/channels/${channelId}`, { faults });

  it('errorRate 1.0 answers 500 and delivers nothing', async () => {
    await set({ errorRate: 1 });
    const err = await push().then(() => null, (e: unknown) => e as HTTPFetchError);
    expect(err?.status).toBe(500);
    expect(JSON.parse(err!.body)).toEqual({ message: 'An internal server error occurred.' });
    expect(t.sim.counters(channelId).faults.error).toBe(1);
    expect(t.sim.inbox(channelId, user)).toHaveLength(0);
    await set({ errorRate: 0 });
  });

  it('adds the configured latency', async () => {
    await set({ latencyMs: 150 });
    const started = performance.now();
    await push();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(t.sim.counters(channelId).faults.latency).toBe(1);
    await set({ latencyMs: 0 });
  });

  it('dropRate 1.0 destroys the connection (a socket error for the client) before accepting', async () => {
    await set({ dropRate: 1 });
    const err = await push().then(() => null, (e: unknown) => e as TypeError & { cause?: { code?: string } });
    expect(err).toBeInstanceOf(TypeError);
    expect(err?.cause?.code).toBe('UND_ERR_SOCKET');
    expect(t.sim.inbox(channelId, user)).toHaveLength(1); // only the latency test's push
    await set({ dropRate: 0 });
  });

  it('injects 429 bursts on demand and at random', async () => {
    await admin(t.url, 'POST', `/_sim/channels/${channelId}/faults/burst`, { count: 2 });
    expect([await outcome(push()), await outcome(push()), await outcome(push())]).toEqual([429, 429, 'ok']);
    await set({ burst429Rate: 1, burst429Length: 3 });
    expect(await outcome(push())).toBe(429);
    await set({ burst429Rate: 0 });
    // The burst started above keeps going for its remaining length.
    expect([await outcome(push()), await outcome(push()), await outcome(push())]).toEqual([429, 429, 'ok']);
    expect(t.sim.counters(channelId).faults.burst429).toBe(5);
  });

  it('limits faults to the listed endpoints', async () => {
    await set({ errorRate: 1, endpoints: ['POST /v2/bot/message/multicast'] });
    expect(await outcome(push())).toBe('ok');
    expect(await outcome(client.multicast({ to: [user], messages: [textMessage('x')] }))).toBe(500);
    await set({ errorRate: 0, endpoints: null });
  });

  it('answers 500 to as many requests of the fault endpoints as the test handle asks, then delivers again', async () => {
    const before = t.sim.counters(channelId).faults.error;
    await set({ endpoints: ['POST /v2/bot/message/multicast'] });
    t.sim.injectErrors(channelId, 2);
    // A push is not a listed endpoint: it goes through, and the two 500s wait for multicasts.
    expect(await outcome(push())).toBe('ok');
    const multicast = () => client.multicast({ to: [user], messages: [textMessage('y')] });
    expect([await outcome(multicast()), await outcome(multicast()), await outcome(multicast())]).toEqual([500, 500, 'ok']);
    expect(t.sim.counters(channelId).faults.error - before).toBe(2);
    await set({ endpoints: null });
  });
});

describe('round-trip latency', () => {
  it('splits latencyMs ± latencyJitterMs into the way there and the way back, never below zero', async () => {
    const waits: number[] = [];
    const t = await startTestSim({ rateLimitBurstMs: null, sleep: async (ms) => void waits.push(ms), faults: { latencyMs: 80, latencyJitterMs: 40 } });
    try {
      const ch = t.sim.createChannel();
      const user = t.sim.addFriends(ch.channelId, { count: 1 })[0]!.userId;
      const client = new messagingApi.MessagingApiClient({ channelAccessToken: ch.channelAccessToken, baseURL: t.url });
      for (let i = 0; i < 40; i++) await client.pushMessage({ to: user, messages: [textMessage(`latency ${i}`)] });
      expect(waits).toHaveLength(80);
      const trips = Array.from({ length: 40 }, (_, i) => [waits[2 * i]!, waits[2 * i + 1]!] as const);
      for (const [there, back] of trips) {
        expect(there + back).toBeGreaterThanOrEqual(40);
        expect(there + back).toBeLessThanOrEqual(120);
        expect(back - there).toBeGreaterThanOrEqual(0);
        expect(back - there).toBeLessThanOrEqual(1);
      }
      // The jitter goes both ways.
      expect(trips.some(([a, b]) => a + b < 80)).toBe(true);
      expect(trips.some(([a, b]) => a + b > 80)).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('stallRate holds the answer back stallMs more after delivering: a timeout for a client that waits less', async () => {
    const waits: number[] = [];
    const t = await startTestSim({ rateLimitBurstMs: null, sleep: async (ms) => void waits.push(ms), faults: { latencyMs: 80, stallRate: 1, stallMs: 20_000 } });
    try {
      const ch = t.sim.createChannel();
      const user = t.sim.addFriends(ch.channelId, { count: 1 })[0]!.userId;
      const client = new messagingApi.MessagingApiClient({ channelAccessToken: ch.channelAccessToken, baseURL: t.url });
      await client.pushMessage({ to: user, messages: [textMessage('stalled')] });
      // 40 ms there; 40 ms back plus the stall, after the guest had it.
      expect(waits).toEqual([40, 20_040]);
      expect(t.sim.counters(ch.channelId).faults.stall).toBe(1);
      expect(t.sim.deliveries(ch.channelId, { textContains: 'stalled' }).perUser).toEqual({ [user]: 1 });
    } finally {
      await t.close();
    }
  });

  it('delivers before the way back: a client that gives up sooner has still sent the message', async () => {
    let release: () => void = () => undefined;
    const back = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    // The way there passes at once; the way back waits until the test has given up on the request.
    const t = await startTestSim({ rateLimitBurstMs: null, sleep: async () => (calls++ % 2 === 0 ? undefined : back), faults: { latencyMs: 10_000 } });
    try {
      const ch = t.sim.createChannel();
      const user = t.sim.addFriends(ch.channelId, { count: 1 })[0]!.userId;
      const abort = new AbortController();
      const request = fetch(`${t.url}/v2/bot/message/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ch.channelAccessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: user, messages: [textMessage('sent before the timeout')] }),
        signal: abort.signal,
      });
      while (t.sim.inbox(ch.channelId, user).length === 0) await new Promise((r) => setImmediate(r));
      abort.abort();
      await expect(request).rejects.toThrow();
      expect(t.sim.deliveries(ch.channelId, { textContains: 'sent before the timeout' }).perUser).toEqual({ [user]: 1 });
    } finally {
      release();
      await t.close();
    }
  });
});
