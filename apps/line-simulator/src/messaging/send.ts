import type { SimContext } from '../context.ts';
import { lineError, MESSAGES } from '../http/errors.ts';
import { emptyStats } from '../insight/stats.ts';
import { jstDateKey, jstMonthKey } from '../state/clock.ts';
import { appendBotEntry } from '../state/friends.ts';
import { BotEntry, quoteTokenFor, UnitTally } from '../state/sent.ts';
import { bump, nextMessageId } from '../state/store.ts';
import type { Channel, Friendship, LineMessage, SendEndpoint, SendRecord } from '../state/types.ts';

const ONE_TO_ONE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_UNITS_PER_MONTH = 1000;

export type SendInput = {
  endpoint: SendEndpoint;
  requestId: string;
  retryKey: string | null;
  messages: LineMessage[];
  recipients: readonly string[];
  unit?: string | null;
  /** Reply is free; everything else counts one message per delivered recipient. */
  countsQuota: boolean;
  /** Pre-made ids for the single recipient of a push/reply, so the response and the inbox agree. */
  messageIds?: { id: string; quoteToken: string | null }[];
  /** The channel's friendship of each recipient (undefined: none), when the caller has looked them up already. */
  friendships?: readonly (Friendship | undefined)[];
};

export function usageThisMonth(ctx: SimContext, channel: Channel): number {
  return channel.usage.get(jstMonthKey(ctx.clock.now())) ?? 0;
}

export function remainingQuota(ctx: SimContext, channel: Channel): number {
  return channel.monthlyQuota === null ? Number.POSITIVE_INFINITY : Math.max(0, channel.monthlyQuota - usageThisMonth(ctx, channel));
}

/**
 * Who would actually receive a send: friends; for push also users who wrote 1:1 in the last 7 days;
 * for reply anyone who hasn't blocked (they just wrote to the OA).
 */
function receives(f: Friendship | undefined, endpoint: SendEndpoint, now: number): boolean {
  if (!f) return false;
  if (f.state === 'friend') return true;
  if (endpoint === 'reply') return f.state === 'none';
  return endpoint === 'push' && f.state === 'none' && f.lastUserMessageAt !== null && now - f.lastUserMessageAt < ONE_TO_ONE_WINDOW_MS;
}

export function makeMessageIds(ctx: SimContext, messages: LineMessage[]): { id: string; quoteToken: string | null }[] {
  return messages.map((m) => {
    const id = nextMessageId(ctx.store);
    return { id, quoteToken: quoteTokenFor(ctx.options.seed, id, m.type) };
  });
}

export function assertQuota(ctx: SimContext, channel: Channel, count: number): void {
  if (channel.monthlyQuota === null || count === 0) return;
  if (usageThisMonth(ctx, channel) + count > channel.monthlyQuota) {
    channel.counters.monthlyLimitRejections++;
    throw lineError(429, MESSAGES.monthlyLimit);
  }
}

// The 1,001st distinct unit name in a month is silently dropped, but the message is still sent.
function assignUnit(ctx: SimContext, channel: Channel, unit: string | null | undefined): string | null {
  if (!unit) return null;
  const month = jstMonthKey(ctx.clock.now());
  let names = channel.unitsByMonth.get(month);
  if (!names) {
    names = [];
    channel.unitsByMonth.set(month, names);
  }
  if (names.includes(unit)) return unit;
  if (names.length >= MAX_UNITS_PER_MONTH) return null;
  names.push(unit);
  return unit;
}

/**
 * Deliver an accepted send. The quota check is all-or-nothing and happens before anything is written,
 * matching LINE's "if an error is returned, nothing is sent".
 *
 * This runs once per recipient of every multicast (bench:push: 2,000 requests of 500 guests), so it looks each
 * recipient up once (or not at all when the route already did: `friendships`), and per recipient writes only a
 * reference to the send in the guest's chat (BotEntry: its id and quote token are made when read) and counts on the
 * friendship itself; what it records and what the checks count per guest are the same as before.
 */
/** The last send's mark (performSend): unique per send in this process, whichever simulator it is. */
let sendMarks = 0;

export function performSend(ctx: SimContext, channel: Channel, input: SendInput): SendRecord {
  const now = ctx.clock.now();
  const { recipients, endpoint } = input;
  const targets: string[] = [];
  const receivers: Friendship[] = [];
  // An id listed twice: a friend's is known by this send's mark on the friendship (no set of 500 strings a multicast),
  // any other id by a set, made only if there is one.
  const mark = ++sendMarks;
  let strangers: Set<string> | null = null;
  let twice: Set<string> | null = null;
  let blocked = 0;
  let notFriend = 0;
  let unknown = 0;
  for (let i = 0; i < recipients.length; i++) {
    const id = recipients[i]!;
    const f = input.friendships ? input.friendships[i] : channel.friends.get(id);
    if (f ? f.sendMark === mark : strangers?.has(id)) {
      (twice ??= new Set()).add(id);
      continue;
    }
    if (f) f.sendMark = mark;
    else (strangers ??= new Set()).add(id);
    if (receives(f, endpoint, now)) {
      targets.push(id);
      receivers.push(f!);
    } else if (f?.state === 'blocked') blocked++;
    else if (f) notFriend++;
    else unknown++;
  }
  if (input.countsQuota) assertQuota(ctx, channel, targets.length);
  channel.counters.notDelivered.blocked += blocked;
  channel.counters.notDelivered.notFriend += notFriend;
  channel.counters.notDelivered.unknown += unknown;

  // Ids listed more than once (LINE delivers once and says nothing), in the order of their second mention.
  const duplicateIds = twice ? [...twice] : [];
  channel.counters.duplicateIdsInRequests += duplicateIds.length;
  const requestedUnit = input.unit ?? null;
  const perMessage = input.messages.length;
  const presetIds = input.messageIds && targets.length === 1 ? input.messageIds : null;
  const record: SendRecord = {
    requestId: input.requestId,
    endpoint,
    acceptedAt: now,
    retryKey: input.retryKey,
    unit: assignUnit(ctx, channel, input.unit),
    requestedUnit,
    messages: input.messages,
    firstMessageSeq: ctx.store.messageSeq,
    presetIds,
    tokenSeed: ctx.options.seed,
    delivered: targets,
    skipped: recipients.length - targets.length,
    duplicateIds,
    stats: emptyStats(),
  };
  // Every delivery's message ids, reserved at once (made into strings when read).
  if (!presetIds) ctx.store.messageSeq += BigInt(targets.length * perMessage);
  channel.sends.set(record.requestId, record);
  let tally: UnitTally | undefined;
  if (requestedUnit) {
    tally = channel.unitDeliveries.get(requestedUnit);
    if (!tally) channel.unitDeliveries.set(requestedUnit, (tally = new UnitTally()));
  }
  const tracksSameUser = channel.sameUserLimit !== null && (endpoint === 'push' || endpoint === 'multicast');

  for (let r = 0; r < receivers.length; r++) {
    const friendship = receivers[r]!;
    for (let i = 0; i < perMessage; i++) appendBotEntry(ctx, friendship, new BotEntry(record, r * perMessage + i));
    friendship.unread += perMessage;
    friendship.quickReplyUsedFor = null;
    friendship.messagesReceived += perMessage;
    friendship.deliveriesReceived++;
    tally?.add(friendship.ordinal);
    if (tracksSameUser) {
      const userId = targets[r]!;
      const times = channel.recentDeliveries.get(userId) ?? [];
      for (let i = 0; i < perMessage; i++) times.push(now);
      channel.recentDeliveries.set(userId, times);
    }
  }
  if (input.countsQuota) bump(channel.usage, jstMonthKey(now), targets.length);
  bump(channel.deliveryCounts, `${endpoint}:${jstDateKey(now)}`, targets.length);
  ctx.store.version++;
  return record;
}

/**
 * LINE's "too many messages to the same user" 429 (push): LINE names no threshold, so it is the channel's
 * `sameUserLimit`, counted over push and multicast deliveries. Nothing is sent.
 */
export function assertSameUserLimit(ctx: SimContext, channel: Channel, userId: string, messages: number): void {
  const limit = channel.sameUserLimit;
  if (!limit) return;
  const now = ctx.clock.now();
  const recent = (channel.recentDeliveries.get(userId) ?? []).filter((t) => now - t < limit.periodMs);
  channel.recentDeliveries.set(userId, recent);
  if (recent.length + messages > limit.messages) {
    channel.counters.sameUserLimited++;
    throw lineError(429, MESSAGES.sameUser);
  }
}
