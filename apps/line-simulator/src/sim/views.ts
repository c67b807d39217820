import type { SimContext } from '../context.ts';
import { effectiveRichMenu } from '../messaging/richmenu.ts';
import { usageThisMonth } from '../messaging/send.ts';
import type { Channel, Friendship, SendRecord, TimelineEntry } from '../state/types.ts';

const obj = (m: Map<string, number>) => Object.fromEntries(m);

export function countersView(ctx: SimContext, channel: Channel) {
  const c = channel.counters;
  let messages = 0;
  for (const n of c.messagesByUser.values()) messages += n;
  let sends = 0;
  for (const n of c.sendsByUser.values()) sends += n;
  return {
    channelId: channel.channelId,
    requests: Object.fromEntries([...c.requests].map(([k, v]) => [k, { accepted: v.accepted, statuses: Object.fromEntries(v.statuses) }])),
    totals: { messagesDelivered: messages, deliveries: sends, usersReached: c.sendsByUser.size },
    messagesDeliveredByUser: obj(c.messagesByUser),
    deliveriesByUser: obj(c.sendsByUser),
    notDelivered: c.notDelivered,
    retryKeyConflicts: c.retryKeyConflicts,
    rateLimited: c.rateLimited,
    monthlyLimitRejections: c.monthlyLimitRejections,
    faults: c.faults,
    webhooks: c.webhooks,
    impressions: c.impressions,
    clicks: c.clicks,
    quota: { limit: channel.monthlyQuota, usedThisMonth: usageThisMonth(ctx, channel) },
  };
}

/** Per-user delivery counts for the matching sends, so a test can assert "exactly once". */
export function deliveriesView(sends: SendRecord[]) {
  const perUser = new Map<string, number>();
  for (const s of sends) for (const u of s.delivered) perUser.set(u, (perUser.get(u) ?? 0) + 1);
  const duplicates = [...perUser].filter(([, n]) => n > 1).map(([userId, count]) => ({ userId, count }));
  return {
    sends: sends.map(sendSummary),
    users: perUser.size,
    perUser: Object.fromEntries(perUser),
    duplicates,
    exactlyOnce: perUser.size > 0 && duplicates.length === 0,
  };
}

export function sendSummary(s: SendRecord) {
  return {
    requestId: s.requestId,
    endpoint: s.endpoint,
    acceptedAt: new Date(s.acceptedAt).toISOString(),
    retryKey: s.retryKey,
    unit: s.unit,
    messageTypes: s.messages.map((m) => m.type),
    delivered: s.delivered.length,
    notDelivered: s.skipped,
    uniqueImpressions: s.stats.impressionUsers.size,
    uniqueClicks: s.stats.clickUsers.size,
  };
}

export function entryView(e: TimelineEntry) {
  const at = new Date(e.at).toISOString();
  if (e.kind === 'system') return { kind: e.kind, seq: e.seq, at, text: e.text };
  if (e.kind === 'user') return { kind: e.kind, seq: e.seq, id: e.id, at, message: e.message };
  return { kind: e.kind, seq: e.seq, id: e.id, at, message: e.message, requestId: e.requestId, endpoint: e.endpoint, bubble: e.bubble, quoteToken: e.quoteToken };
}

/** The quick reply LINE would show: only the last message's, and only until it is used or someone writes. */
export function activeQuickReply(f: Friendship) {
  const last = f.timeline.at(-1);
  if (!last || last.kind !== 'bot' || f.quickReplyUsedFor === last.id) return null;
  const qr = (last.message as { quickReply?: unknown }).quickReply;
  return qr ? { messageId: last.id, ...(qr as object) } : null;
}

export function richMenuForUi(channel: Channel, userId: string) {
  const m = effectiveRichMenu(channel, userId);
  if (!m) return null;
  return {
    richMenuId: m.richMenuId,
    size: m.size,
    selected: m.selected,
    chatBarText: m.chatBarText,
    areas: m.areas,
    imageUrl: m.image ? `/_sim/channels/${channel.channelId}/richmenus/${m.richMenuId}/image` : null,
  };
}
