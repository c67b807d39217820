import type { SimContext } from '../context.ts';
import { lineError, MESSAGES } from '../http/errors.ts';
import { emptyStats } from '../insight/stats.ts';
import { jstDateKey, jstMonthKey } from '../state/clock.ts';
import { appendTimeline } from '../state/friends.ts';
import { bump, nextMessageId } from '../state/store.ts';
import type { Channel, LineMessage, SendEndpoint, SendRecord } from '../state/types.ts';

const QUOTABLE = new Set(['text', 'textV2', 'sticker', 'image', 'video']);
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
export function deliverable(ctx: SimContext, channel: Channel, recipients: readonly string[], endpoint: SendEndpoint): string[] {
  const now = ctx.clock.now();
  const out: string[] = [];
  const seen = new Set<string>();
  for (const id of recipients) {
    if (seen.has(id)) continue;
    seen.add(id);
    const f = channel.friends.get(id);
    if (f?.state === 'friend') out.push(id);
    else if (endpoint === 'reply' && f?.state === 'none') out.push(id);
    else if (endpoint === 'push' && f?.state === 'none' && f.lastUserMessageAt !== null && now - f.lastUserMessageAt < ONE_TO_ONE_WINDOW_MS) out.push(id);
  }
  return out;
}

export function makeMessageIds(ctx: SimContext, messages: LineMessage[]): { id: string; quoteToken: string | null }[] {
  return messages.map((m) => ({ id: nextMessageId(ctx.store), quoteToken: QUOTABLE.has(m.type) ? ctx.random.token(43) : null }));
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
 */
export function performSend(ctx: SimContext, channel: Channel, input: SendInput): SendRecord {
  const targets = deliverable(ctx, channel, input.recipients, input.endpoint);
  if (input.countsQuota) assertQuota(ctx, channel, targets.length);

  const targetSet = new Set(targets);
  const counted = new Set<string>();
  for (const id of input.recipients) {
    if (targetSet.has(id) || counted.has(id)) continue;
    counted.add(id);
    const f = channel.friends.get(id);
    if (f?.state === 'blocked') channel.counters.notDelivered.blocked++;
    else if (f) channel.counters.notDelivered.notFriend++;
    else channel.counters.notDelivered.unknown++;
  }

  const now = ctx.clock.now();
  const duplicateIds = duplicatesIn(input.recipients);
  channel.counters.duplicateIdsInRequests += duplicateIds.length;
  const requestedUnit = input.unit ?? null;
  const record: SendRecord = {
    requestId: input.requestId,
    endpoint: input.endpoint,
    acceptedAt: now,
    retryKey: input.retryKey,
    unit: assignUnit(ctx, channel, input.unit),
    requestedUnit,
    messages: input.messages,
    delivered: targets,
    skipped: input.recipients.length - targets.length,
    duplicateIds,
    stats: emptyStats(),
  };
  channel.sends.set(record.requestId, record);
  let perUnit: Map<string, number> | undefined;
  if (requestedUnit) {
    perUnit = channel.unitDeliveries.get(requestedUnit);
    if (!perUnit) channel.unitDeliveries.set(requestedUnit, (perUnit = new Map()));
  }
  const tracksSameUser = channel.sameUserLimit !== null && (input.endpoint === 'push' || input.endpoint === 'multicast');

  for (const userId of targets) {
    const friendship = channel.friends.get(userId)!;
    const ids = input.messageIds && targets.length === 1 ? input.messageIds : makeMessageIds(ctx, input.messages);
    input.messages.forEach((message, i) => {
      appendTimeline(ctx, friendship, {
        kind: 'bot',
        id: ids[i]!.id,
        at: now,
        message,
        requestId: record.requestId,
        endpoint: input.endpoint,
        bubble: i + 1,
        quoteToken: ids[i]!.quoteToken,
      });
    });
    friendship.unread += input.messages.length;
    friendship.quickReplyUsedFor = null;
    bump(channel.counters.messagesByUser, userId, input.messages.length);
    bump(channel.counters.sendsByUser, userId);
    if (perUnit) bump(perUnit, userId);
    if (tracksSameUser) {
      const times = channel.recentDeliveries.get(userId) ?? [];
      for (let i = 0; i < input.messages.length; i++) times.push(now);
      channel.recentDeliveries.set(userId, times);
    }
  }
  if (input.countsQuota) bump(channel.usage, jstMonthKey(now), targets.length);
  bump(channel.deliveryCounts, `${input.endpoint}:${jstDateKey(now)}`, targets.length);
  ctx.store.version++;
  return record;
}

function duplicatesIn(ids: readonly string[]): string[] {
  if (ids.length < 2) return [];
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) twice.add(id);
    else seen.add(id);
  }
  return [...twice];
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
