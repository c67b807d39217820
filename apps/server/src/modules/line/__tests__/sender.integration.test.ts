import { randomUUID } from 'node:crypto';
import { startSimulator } from '@innkeeper/line-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { createLineSender, type LineSender, type SendingChannel } from '../index.ts';
import { connectSimulatedChannel } from './simulated-channel.ts';

/**
 * The sending port against the simulator over real HTTP, the official SDK on our side: every answer LINE can give a
 * push or multicast, and the attempts that follow a lost answer, counted per guest by the simulator.
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let admin: ApiClient;
let sender: LineSender;
let channel: SendingChannel;
let guests: string[];
const LINE = { channelId: '2007300001', channelSecret: '13579bdf02468ace'.repeat(2), channelAccessToken: 'test-access-token-for-the-sender-0001', loginChannelId: '2007300002' };
const MULTICAST = 'POST /v2/bot/message/multicast';
const PUSH = 'POST /v2/bot/message/push';

/** The simulator's round trip: passes at once unless a test holds the way back (to outlast the client's timeout). */
let holdWayBack: Promise<void> | null = null;
let sleeps = 0;

const text = (t: string) => ({ type: 'text' as const, text: t });
const faults = (f: Record<string, unknown>) => sim.sim.updateChannel(LINE.channelId, { faults: f });

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: 'innkeeper-sender-test',
    rateLimitBurstMs: null,
    sleep: (ms) => (sleeps++ % 2 === 1 && holdWayBack ? holdWayBack : new Promise((r) => setTimeout(r, Math.min(ms, 5)))),
  });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  const url = await env.app.listen({ port: 0, host: '127.0.0.1' });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  const connected = await connectSimulatedChannel(admin, sim, url, LINE, { hotel: '推播飯店', basicId: '@sender-hotel', propertyId: tenant.propertyIds[0]!, welcomeMessage: '歡迎！' });
  channel = { tenantId: tenant.tenantId, id: connected.id, accessToken: LINE.channelAccessToken };
  guests = sim.sim.addFriends(LINE.channelId, { count: 6, seed: 'sender-guests' }).map((f) => f.userId);
  sender = createLineSender({ lineApi: env.runtime.lineApi, timeoutMs: 1000 });
});
afterAll(async () => {
  await env.close();
  await sim.close();
});

describe('multicast and push through the official SDK', () => {
  it('a multicast is accepted with LINE’s request id and counted under its campaign unit', async () => {
    const outcome = await sender.multicast(channel, { to: guests, messages: [text('平日商務優惠')], retryKey: randomUUID(), customAggregationUnits: ['campaign_weekday'] });
    expect(outcome).toMatchObject({ kind: 'accepted', alreadyAccepted: false, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const counted = sim.sim.unitDeliveries(LINE.channelId, 'campaign_weekday', { audience: guests });
    expect(counted.exactlyOnce).toBe(true);
    expect(counted.audience).toEqual({ size: 6, missing: [], undeliverable: [], unexpected: [] });
  });

  it('the same key again is "already accepted" (409), naming the request LINE accepted, and sends nothing', async () => {
    const retryKey = randomUUID();
    const first = await sender.multicast(channel, { to: guests.slice(0, 2), messages: [text('重送測試')], retryKey });
    const again = await sender.multicast(channel, { to: guests.slice(0, 2), messages: [text('重送測試')], retryKey, attempt: 2 });
    expect(again).toMatchObject({ kind: 'accepted', alreadyAccepted: true, acceptedRequestId: first.kind === 'accepted' ? first.requestId : 'never' });
    expect(sim.sim.deliveries(LINE.channelId, { textContains: '重送測試' }, { audience: guests.slice(0, 2) }).exactlyOnce).toBe(true);
  });

  it('a push returns the sent message ids, and its 409 repeats them', async () => {
    const retryKey = randomUUID();
    const first = await sender.push(channel, { to: guests[0]!, messages: [text('您的房間已升等')], retryKey, customAggregationUnits: ['upgrade_notice'] });
    expect(first).toMatchObject({ kind: 'accepted', sentMessages: [{ id: expect.any(String) }] });
    const again = await sender.push(channel, { to: guests[0]!, messages: [text('您的房間已升等')], retryKey });
    expect(again).toMatchObject({ kind: 'accepted', alreadyAccepted: true, sentMessages: first.kind === 'accepted' ? first.sentMessages : [] });
    expect(sim.sim.unitDeliveries(LINE.channelId, 'upgrade_notice').perUser).toEqual({ [guests[0]!]: 1 });
  });

  it('a multicast to ids joined by commas (as a campaign batch reads them) reaches each of them once', async () => {
    const outcome = await sender.multicast(channel, { to: { joined: guests.join(','), count: guests.length }, messages: [text('會員專屬早鳥價')], retryKey: randomUUID(), customAggregationUnits: ['campaign_joined'] });
    expect(outcome).toMatchObject({ kind: 'accepted', alreadyAccepted: false });
    const counted = sim.sim.unitDeliveries(LINE.channelId, 'campaign_joined', { audience: guests });
    expect(counted.exactlyOnce).toBe(true);
    expect(counted.audience).toEqual({ size: 6, missing: [], undeliverable: [], unexpected: [] });
  });

  it('refuses more than 500 recipients before asking LINE', () => {
    expect(() => sender.multicast(channel, { to: Array.from({ length: 501 }, () => guests[0]!), messages: [text('x')], retryKey: randomUUID() })).toThrow(RangeError);
    expect(() => sender.multicast(channel, { to: { joined: Array.from({ length: 501 }, () => guests[0]!).join(','), count: 501 }, messages: [text('x')], retryKey: randomUUID() })).toThrow(RangeError);
  });
});

describe('answers that are not an acceptance', () => {
  it('400: rejected, with LINE’s message and details for the batch’s record', async () => {
    const outcome = await sender.multicast(channel, { to: guests, messages: [text('x'.repeat(5001))], retryKey: randomUUID() });
    expect(outcome).toEqual({
      kind: 'rejected',
      status: 400,
      message: 'The request body has 1 error(s)',
      details: [{ message: 'Length must be between 0 and 5000', property: 'messages[0].text' }],
      requestId: expect.any(String),
    });
  });

  it('429 rate limit: retryable with a backoff hint that grows with the attempt', async () => {
    sim.sim.injectBurst429(LINE.channelId, 2);
    const random = () => 1;
    const paced = createLineSender({ lineApi: env.runtime.lineApi, random });
    const first = await paced.multicast(channel, { to: guests, messages: [text('限流')], retryKey: randomUUID() });
    const third = await paced.multicast(channel, { to: guests, messages: [text('限流')], retryKey: randomUUID(), attempt: 3 });
    expect(first).toMatchObject({ kind: 'retryable', reason: 'rate_limited', status: 429, message: 'The API rate limit has been exceeded. Try again later.', retryAfterMs: 500 });
    expect(third).toMatchObject({ kind: 'retryable', reason: 'rate_limited', retryAfterMs: 2000 });
  });

  it('429 "too many messages to the same user": retryable, much later', async () => {
    sim.sim.updateChannel(LINE.channelId, { sameUserLimit: { messages: 1, periodMs: 3_600_000 } });
    try {
      const guest = sim.sim.addFriends(LINE.channelId, { count: 1, seed: 'flooded' })[0]!.userId;
      expect(await sender.push(channel, { to: guest, messages: [text('一')], retryKey: randomUUID() })).toMatchObject({ kind: 'accepted' });
      expect(await sender.push(channel, { to: guest, messages: [text('二')], retryKey: randomUUID() })).toMatchObject({ kind: 'retryable', reason: 'same_user', status: 429 });
    } finally {
      sim.sim.updateChannel(LINE.channelId, { sameUserLimit: null });
    }
  });

  it('429 "You have reached your monthly limit.": quota exhausted; the quota reading says why', async () => {
    const used = (await sender.quota(channel)).used;
    sim.sim.updateChannel(LINE.channelId, { monthlyQuota: used + 3 });
    try {
      expect(await sender.quota(channel)).toEqual({ limit: used + 3, used, remaining: 3 });
      const outcome = await sender.multicast(channel, { to: guests, messages: [text('超過額度')], retryKey: randomUUID() });
      expect(outcome).toMatchObject({ kind: 'quota_exhausted', message: 'You have reached your monthly limit.' });
      expect(sim.sim.deliveries(LINE.channelId, { textContains: '超過額度' }).users).toBe(0);
    } finally {
      sim.sim.updateChannel(LINE.channelId, { monthlyQuota: null });
    }
    expect(await sender.quota(channel)).toMatchObject({ limit: null, remaining: null });
  });

  it('401: unauthorized', async () => {
    const outcome = await sender.push({ ...channel, accessToken: 'revoked-token' }, { to: guests[0]!, messages: [text('x')], retryKey: randomUUID() });
    expect(outcome).toMatchObject({ kind: 'unauthorized', message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' });
  });
});

describe('a lost answer never sends twice', () => {
  it('500 before acceptance: retryable; the retry with the same key delivers once', async () => {
    const retryKey = randomUUID();
    faults({ errorRate: 1, endpoints: [MULTICAST] });
    const first = await sender.multicast(channel, { to: guests, messages: [text('先五百後成功')], retryKey, customAggregationUnits: ['fault_500'] });
    faults({ errorRate: 0, endpoints: null });
    expect(first).toMatchObject({ kind: 'retryable', reason: 'server_error', status: 500 });
    expect(await sender.multicast(channel, { to: guests, messages: [text('先五百後成功')], retryKey, customAggregationUnits: ['fault_500'], attempt: 2 })).toMatchObject({ kind: 'accepted', alreadyAccepted: false });
    expect(sim.sim.unitDeliveries(LINE.channelId, 'fault_500', { audience: guests }).exactlyOnce).toBe(true);
  });

  it('500 after acceptance (errorAfterAcceptRate): the retry hears 409 = accepted; every guest counted once', async () => {
    const retryKey = randomUUID();
    faults({ errorAfterAcceptRate: 1, endpoints: [MULTICAST] });
    const first = await sender.multicast(channel, { to: guests, messages: [text('已送達卻回 500')], retryKey, customAggregationUnits: ['fault_500_after'] });
    faults({ errorAfterAcceptRate: 0, endpoints: null });
    expect(first).toMatchObject({ kind: 'retryable', reason: 'server_error', status: 500 });
    expect(await sender.multicast(channel, { to: guests, messages: [text('已送達卻回 500')], retryKey, customAggregationUnits: ['fault_500_after'], attempt: 2 })).toMatchObject({ kind: 'accepted', alreadyAccepted: true });
    expect(sim.sim.unitDeliveries(LINE.channelId, 'fault_500_after', { audience: guests }).exactlyOnce).toBe(true);
  });

  it('connection dropped after acceptance: a network failure, then 409', async () => {
    const retryKey = randomUUID();
    faults({ dropAfterAcceptRate: 1, endpoints: [PUSH] });
    const first = await sender.push(channel, { to: guests[1]!, messages: [text('連線中斷')], retryKey, customAggregationUnits: ['fault_drop'] });
    faults({ dropAfterAcceptRate: 0, endpoints: null });
    expect(first).toMatchObject({ kind: 'retryable', reason: 'network', status: null });
    expect(await sender.push(channel, { to: guests[1]!, messages: [text('連線中斷')], retryKey, customAggregationUnits: ['fault_drop'] })).toMatchObject({ kind: 'accepted', alreadyAccepted: true });
    expect(sim.sim.unitDeliveries(LINE.channelId, 'fault_drop').perUser).toEqual({ [guests[1]!]: 1 });
  });

  it('a round trip longer than the client’s timeout: timed out, yet delivered; the retry is accepted without a second delivery', async () => {
    const retryKey = randomUUID();
    let release: () => void = () => undefined;
    holdWayBack = new Promise<void>((r) => {
      release = r;
    });
    faults({ latencyMs: 60_000, endpoints: [MULTICAST] });
    sleeps = 0;
    const impatient = createLineSender({ lineApi: env.runtime.lineApi, timeoutMs: 300 });
    const first = await impatient.multicast(channel, { to: guests, messages: [text('逾時但已送達')], retryKey, customAggregationUnits: ['fault_timeout'] });
    faults({ latencyMs: 0, endpoints: null });
    holdWayBack = null;
    release();
    expect(first).toMatchObject({ kind: 'retryable', reason: 'timeout', status: null });
    expect(sim.sim.unitDeliveries(LINE.channelId, 'fault_timeout').users).toBe(6);
    expect(await impatient.multicast(channel, { to: guests, messages: [text('逾時但已送達')], retryKey, customAggregationUnits: ['fault_timeout'], attempt: 2 })).toMatchObject({ kind: 'accepted', alreadyAccepted: true });
    expect(sim.sim.unitDeliveries(LINE.channelId, 'fault_timeout', { audience: guests }).exactlyOnce).toBe(true);
  });
});
