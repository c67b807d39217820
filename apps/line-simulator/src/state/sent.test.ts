import { messagingApi } from '@line/bot-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { admin, startTestSim, type TestSim, textMessage } from '../testing/harness.ts';

// A multicast keeps one record per request and a reference to it per guest; the message ids and quote tokens of the
// guests' copies are made when a timeline is read. These tests hold that to what eager ids gave: every copy its own id
// and token, the same on every read, whatever is read first, and what a push answers is what the chat shows.

const confirm = { type: 'template', altText: '確認訂房？', template: { type: 'confirm', text: '確認訂房？', actions: [{ type: 'message', label: '是', text: '是' }, { type: 'message', label: '否', text: '否' }] } };
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

type Started = { t: TestSim; channelId: string; friends: string[]; client: messagingApi.MessagingApiClient };
const open: TestSim[] = [];

async function start(): Promise<Started> {
  const t = await startTestSim({ rateLimitBurstMs: null });
  open.push(t);
  const ch = t.sim.createChannel({ displayName: '測試飯店' });
  const friends = t.sim.addFriends(ch.channelId, { count: 4, seed: 'lazy-ids' }).map((f) => f.userId);
  return { t, channelId: ch.channelId, friends, client: new messagingApi.MessagingApiClient({ channelAccessToken: ch.channelAccessToken, baseURL: t.url }) };
}

/** The same sends on a fresh simulator with the same seed: a multicast of two messages to three guests, a user's message, another multicast. */
async function sendAll({ t, channelId, friends, client }: Started) {
  await client.multicast({ to: friends.slice(0, 3), messages: [textMessage('早鳥優惠'), confirm as messagingApi.Message], customAggregationUnits: ['lazy_ids'] });
  await t.sim.sendMessage(channelId, friends[0]!, { type: 'text', text: '請問還有房嗎' });
  await client.multicast({ to: friends.slice(1, 4), messages: [textMessage('續住優惠')] });
}

afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

describe('message ids and quote tokens made when a chat is read', () => {
  it('gives every copy of every message its own id and token, text quotable and a template not', async () => {
    const s = await start();
    await sendAll(s);
    const entries = s.friends.flatMap((u) => s.t.sim.inbox(s.channelId, u));
    expect(entries).toHaveLength(3 * 2 + 3);
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d{18}$/);
    const texts = entries.filter((e) => e.message.type === 'text');
    expect(texts).toHaveLength(6);
    for (const e of texts) expect(e.quoteToken).toMatch(TOKEN_RE);
    expect(new Set(texts.map((e) => e.quoteToken)).size).toBe(texts.length);
    for (const e of entries.filter((x) => x.message.type === 'template')) expect(e.quoteToken).toBeNull();
    // The user's message took an id between the two multicasts: no bot copy has it.
    const userMessage = s.t.sim.store.channels.get(s.channelId)!.friends.get(s.friends[0]!)!.timeline.find((e) => e.kind === 'user')!;
    expect(ids).not.toContain(userMessage.kind === 'user' ? userMessage.id : '');
    // Each guest's copies of one multicast are numbered in order, message by message.
    const first = s.t.sim.inbox(s.channelId, s.friends[0]!);
    expect(BigInt(first[1]!.id) - BigInt(first[0]!.id)).toBe(1n);
    expect(first.map((e) => e.bubble)).toEqual([1, 2]);
  });

  it('reads the same values every time, in any order, on the admin API as in the inbox, and on a fresh simulator with the same seed', async () => {
    const a = await start();
    await sendAll(a);
    const forward = a.friends.map((u) => a.t.sim.inbox(a.channelId, u));
    const again = a.friends.map((u) => a.t.sim.inbox(a.channelId, u));
    expect(again).toEqual(forward);
    const viaApi = await admin<{ messages: { id: string; quoteToken: string | null; kind: string }[] }>(a.t.url, 'GET', `/_sim/channels/${a.channelId}/friends/${a.friends[2]}/messages?kind=bot`);
    expect(viaApi.body.messages.map((m) => [m.id, m.quoteToken])).toEqual(forward[2]!.map((e) => [e.id, e.quoteToken]));

    // Another simulator, the same sends, read back to front: the same ids and tokens.
    const b = await start();
    await sendAll(b);
    const backward = [...b.friends].reverse().map((u) => b.t.sim.inbox(b.channelId, u)).reverse();
    expect(backward.map((list) => list.map((e) => [e.id, e.quoteToken]))).toEqual(forward.map((list) => list.map((e) => [e.id, e.quoteToken])));
  });

  it('answers a push with the id and token its chat shows, and finds a multicast copy by its id when the guest taps or opens it', async () => {
    const s = await start();
    const pushed = await s.client.pushMessage({ to: s.friends[3]!, messages: [textMessage('入住提醒')] });
    const shown = s.t.sim.inbox(s.channelId, s.friends[3]!).at(-1)!;
    expect(pushed.sentMessages).toEqual([{ id: shown.id, quoteToken: shown.quoteToken }]);
    expect(shown.quoteToken).toMatch(TOKEN_RE);

    await sendAll(s);
    const copy = s.t.sim.inbox(s.channelId, s.friends[1]!).find((e) => e.message.type === 'template')!;
    expect(s.t.sim.open(s.channelId, s.friends[1]!, [copy.id])).toEqual({ impressions: 1 });
    const tapped = await s.t.sim.tap(s.channelId, s.friends[1]!, { messageId: copy.id, action: { type: 'message', text: '是' } });
    expect(tapped.events).toHaveLength(1);
    expect(s.t.sim.inbox(s.channelId, s.friends[1]!).find((e) => e.id === copy.id)).toEqual(copy);
  });

  it('counts a campaign per guest as it is sent: the unit tally, the counters and the check agree', async () => {
    const s = await start();
    await sendAll(s);
    await s.client.multicast({ to: [s.friends[0]!, s.friends[0]!], messages: [textMessage('再送一次')], customAggregationUnits: ['lazy_ids'] });
    const unit = s.t.sim.unitDeliveries(s.channelId, 'lazy_ids', { audience: s.friends.slice(0, 3) });
    expect(unit.counted).toBe(3);
    expect(unit.perUser).toEqual({ [s.friends[0]!]: 2, [s.friends[1]!]: 1, [s.friends[2]!]: 1 });
    expect(unit.duplicates).toEqual([{ userId: s.friends[0]!, count: 2 }]);
    expect(unit.duplicateIdsInRequests).toEqual([{ requestId: expect.any(String), userIds: [s.friends[0]!] }]);
    const counters = s.t.sim.counters(s.channelId);
    expect(counters.deliveriesByUser).toEqual({ [s.friends[0]!]: 2, [s.friends[1]!]: 2, [s.friends[2]!]: 2, [s.friends[3]!]: 1 });
    expect(counters.messagesDeliveredByUser).toEqual({ [s.friends[0]!]: 3, [s.friends[1]!]: 3, [s.friends[2]!]: 3, [s.friends[3]!]: 1 });
    expect(counters.totals).toEqual({ messagesDelivered: 10, deliveries: 7, usersReached: 4 });
    expect(counters.duplicateIdsInRequests).toBe(1);

    // A reset that keeps the friends forgets what they received.
    await admin(s.t.url, 'POST', `/_sim/channels/${s.channelId}/reset`, { keepFriends: true });
    expect(s.t.sim.counters(s.channelId).totals).toEqual({ messagesDelivered: 0, deliveries: 0, usersReached: 0 });
    expect(s.t.sim.unitDeliveries(s.channelId, 'lazy_ids').counted).toBe(0);
    expect(s.t.sim.inbox(s.channelId, s.friends[0]!)).toEqual([]);
  });
});
