import { buildSimulator } from '@innkeeper/line-simulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../core/errors.ts';
import { createLiffIdTokenVerifier } from '../liff-id-tokens.ts';

/** LIFF ID tokens checked against the simulator's published keys, as against LINE's (GET /oauth2/v2.1/certs). */
describe('a LIFF ID token checked with LINE’s published keys', () => {
  let sim: ReturnType<typeof buildSimulator>;
  let url: string;
  let certsReads = 0;
  /** LINE's key set answering 503 (an outage of LINE's, as a test switches it). */
  let certsDown = false;
  let channel: { channelId: string; loginChannelId: string };
  let userId: string;

  beforeAll(async () => {
    sim = buildSimulator({ seed: 'liff-id-tokens-unit' });
    sim.app.addHook('onRequest', async (req) => {
      if (req.url.startsWith('/oauth2/v2.1/certs')) certsReads += 1;
    });
    sim.app.addHook('onRequest', async (req, reply) => {
      if (certsDown && req.url.startsWith('/oauth2/v2.1/certs')) await reply.code(503).send({ message: 'down' });
    });
    url = await sim.app.listen({ port: 0, host: '127.0.0.1' });
    channel = sim.sim.createChannel({ liffApps: [{ endpointUrl: 'https://crm.example/liff' }] });
    userId = sim.sim.addFriends(channel.channelId, { count: 1 })[0]!.userId;
  });
  afterAll(() => sim.app.close());

  const reason = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    return { code: (error as AppError).code, reason: ((error as AppError).details as { reason?: string } | undefined)?.reason };
  };

  it('names the guest LINE signed it for, reading the keys once for many tokens', async () => {
    const verify = createLiffIdTokenVerifier(() => url);
    const before = certsReads;
    for (let i = 0; i < 5; i += 1) {
      const token = sim.sim.issueIdToken(channel.channelId, { userId, nonce: `n${i}` });
      expect(await verify(token, channel.loginChannelId, new Date())).toMatchObject({ sub: userId, aud: channel.loginChannelId });
    }
    expect(certsReads - before).toBe(1);
  });

  it('refuses another channel’s token, an expired one, an altered one and any algorithm but ES256', async () => {
    const verify = createLiffIdTokenVerifier(() => url);
    const token = sim.sim.issueIdToken(channel.channelId, { userId });
    expect(await reason(verify(token, '1234567890', new Date()))).toEqual({ code: 'liff.invalid_token', reason: 'audience' });
    expect(await reason(verify(token, channel.loginChannelId, new Date(Date.now() + 2 * 3600_000)))).toEqual({ code: 'liff.invalid_token', reason: 'expired' });
    const [h, p, s] = token.split('.') as [string, string, string];
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: `U${'0'.repeat(32)}` })).toString('base64url');
    expect(await reason(verify(`${h}.${altered}.${s}`, channel.loginChannelId, new Date()))).toEqual({ code: 'liff.invalid_token', reason: 'signature' });
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect(await reason(verify(`${none}.${p}.`, channel.loginChannelId, new Date()))).toEqual({ code: 'liff.invalid_token', reason: 'algorithm' });
    const hs = Buffer.from(JSON.stringify({ alg: 'HS256', kid: JSON.parse(Buffer.from(h, 'base64url').toString()).kid })).toString('base64url');
    expect(await reason(verify(`${hs}.${p}.${s}`, channel.loginChannelId, new Date()))).toEqual({ code: 'liff.invalid_token', reason: 'algorithm' });
    expect(await reason(verify('not-a-token', channel.loginChannelId, new Date()))).toEqual({ code: 'liff.invalid_token', reason: 'format' });
  });

  it('refuses a token whose subject is no LINE user id (a comma-joined pair), signed as it may be', async () => {
    const verify = createLiffIdTokenVerifier(() => url);
    // The simulator makes only well-formed ids; one is planted in its store, so its token is signed as LINE signs one.
    const pair = `${userId},U${'b'.repeat(32)}`;
    sim.sim.store.users.set(pair, { ...sim.sim.store.users.get(userId)!, userId: pair });
    const token = sim.sim.issueIdToken(channel.channelId, { userId: pair });
    expect(await reason(verify(token, channel.loginChannelId, new Date()))).toEqual({ code: 'liff.invalid_token', reason: 'subject' });
  });

  it('reads the keys again for an unknown key id at most once a minute (made-up ids cost LINE nothing)', async () => {
    const verify = createLiffIdTokenVerifier(() => url);
    const [, p, s] = sim.sim.issueIdToken(channel.channelId, { userId }).split('.') as [string, string, string];
    const before = certsReads;
    for (let i = 0; i < 10; i += 1) {
      const head = Buffer.from(JSON.stringify({ alg: 'ES256', kid: `made-up-${i}` })).toString('base64url');
      expect(await reason(verify(`${head}.${p}.${s}`, channel.loginChannelId, new Date()))).toEqual({ code: 'liff.invalid_token', reason: 'signature' });
    }
    expect(certsReads - before).toBe(1);
  });

  it('says LINE is unavailable when its keys cannot be read (the click is then anonymous, and checked again next time)', async () => {
    const verify = createLiffIdTokenVerifier(() => 'http://127.0.0.1:9');
    const token = sim.sim.issueIdToken(channel.channelId, { userId });
    expect((await reason(verify(token, channel.loginChannelId, new Date()))).code).toBe('line.unavailable');
  });

  it('asks LINE’s key set once while it is down, not once per click (a burst of guests is no flood on LINE)', async () => {
    const verify = createLiffIdTokenVerifier(() => url);
    const token = sim.sim.issueIdToken(channel.channelId, { userId });
    certsDown = true;
    try {
      const before = certsReads;
      for (let i = 0; i < 10; i += 1) expect((await reason(verify(token, channel.loginChannelId, new Date()))).code).toBe('line.unavailable');
      expect(certsReads - before).toBe(1);
    } finally {
      certsDown = false;
    }
  });

  it('keeps the keys it has when LINE’s key set cannot be read again a day later (a known key still proves the token)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const verify = createLiffIdTokenVerifier(() => url);
      const token = () => sim.sim.issueIdToken(channel.channelId, { userId });
      expect((await verify(token(), channel.loginChannelId, new Date())).sub).toBe(userId);
      vi.setSystemTime(Date.now() + 25 * 3600_000);
      certsDown = true;
      const fresh = token();
      expect((await verify(fresh, channel.loginChannelId, new Date())).sub).toBe(userId);
    } finally {
      certsDown = false;
      vi.useRealTimers();
    }
  });
});
