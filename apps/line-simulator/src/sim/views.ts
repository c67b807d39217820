import type { SimContext } from '../context.ts';
import { effectiveRichMenu } from '../messaging/richmenu.ts';
import { usageThisMonth } from '../messaging/send.ts';
import type { Channel, Friendship, SendRecord, TimelineEntry } from '../state/types.ts';

export function countersView(ctx: SimContext, channel: Channel) {
  const c = channel.counters;
  let messages = 0;
  let sends = 0;
  let reached = 0;
  const messagesDeliveredByUser: Record<string, number> = {};
  const deliveriesByUser: Record<string, number> = {};
  for (const f of channel.friends.values()) {
    if (f.deliveriesReceived === 0) continue;
    reached++;
    messages += f.messagesReceived;
    sends += f.deliveriesReceived;
    messagesDeliveredByUser[f.userId] = f.messagesReceived;
    deliveriesByUser[f.userId] = f.deliveriesReceived;
  }
  return {
    channelId: channel.channelId,
    requests: Object.fromEntries([...c.requests].map(([k, v]) => [k, { accepted: v.accepted, statuses: Object.fromEntries(v.statuses) }])),
    totals: { messagesDelivered: messages, deliveries: sends, usersReached: reached },
    messagesDeliveredByUser,
    deliveriesByUser,
    notDelivered: c.notDelivered,
    retryKeyConflicts: c.retryKeyConflicts,
    rateLimited: c.rateLimited,
    sameUserLimited: c.sameUserLimited,
    duplicateIdsInRequests: c.duplicateIdsInRequests,
    monthlyLimitRejections: c.monthlyLimitRejections,
    faults: c.faults,
    webhooks: c.webhooks,
    impressions: c.impressions,
    clicks: c.clicks,
    quota: { limit: channel.monthlyQuota, usedThisMonth: usageThisMonth(ctx, channel) },
  };
}

export type DeliveryCheck = {
  /** The user ids that should have received it exactly once. */
  audience?: readonly string[];
  /** Leave out the per-user map. */
  summary?: boolean;
};

/**
 * Per-user delivery counts over the matching sends, so a test can assert "exactly once". Count a campaign by its
 * unit or text, never by retry key (a re-send under a new key is exactly what must be caught). With an audience, the
 * guests it missed are reported too, split into those LINE would have delivered to (friends: a loss) and those it
 * would not have (blocked, not a friend, unknown), and `exactlyOnce` means every deliverable guest of the audience got
 * it once and nobody else got it. Without one, it means no duplicates.
 */
export function deliveriesView(sends: SendRecord[], check: DeliveryCheck = {}, channel?: Channel) {
  const perUser = new Map<string, number>();
  for (const s of sends) for (const u of s.delivered) perUser.set(u, (perUser.get(u) ?? 0) + 1);
  const duplicates = [...perUser].filter(([, n]) => n > 1).map(([userId, count]) => ({ userId, count }));
  const duplicateIdsInRequests = sends.filter((s) => s.duplicateIds.length > 0).map((s) => ({ requestId: s.requestId, userIds: s.duplicateIds }));
  let audienceView: { size: number; missing: string[]; undeliverable: string[]; unexpected: string[] } | null = null;
  if (check.audience) {
    const audience = new Set(check.audience);
    const missing: string[] = [];
    const undeliverable: string[] = [];
    for (const id of audience) {
      if (perUser.has(id)) continue;
      if (channel?.friends.get(id)?.state === 'friend') missing.push(id);
      else undeliverable.push(id);
    }
    const unexpected = [...perUser.keys()].filter((id) => !audience.has(id));
    audienceView = { size: audience.size, missing, undeliverable, unexpected };
  }
  const exactlyOnce = audienceView
    ? duplicates.length === 0 && audienceView.missing.length === 0 && audienceView.unexpected.length === 0
    : perUser.size > 0 && duplicates.length === 0;
  return {
    sends: check.summary ? [] : sends.map(sendSummary),
    sendCount: sends.length,
    users: perUser.size,
    deliveries: [...perUser.values()].reduce((a, b) => a + b, 0),
    perUser: check.summary ? {} : Object.fromEntries(perUser),
    duplicates,
    duplicateIdsInRequests,
    ...(audienceView ? { audience: audienceView } : {}),
    exactlyOnce,
  };
}

/** Deliveries per guest for one requested aggregation unit (a campaign), kept as they happen. */
export function unitView(channel: Channel, unit: string, check: DeliveryCheck = {}) {
  const sends = [...channel.sends.values()].filter((s) => s.requestedUnit === unit);
  return { unit, ...deliveriesView(sends, check, channel), assignedByLine: sends.some((s) => s.unit === unit), counted: channel.unitDeliveries.get(unit)?.users ?? 0 };
}

export function sendSummary(s: SendRecord) {
  return {
    requestId: s.requestId,
    endpoint: s.endpoint,
    acceptedAt: new Date(s.acceptedAt).toISOString(),
    retryKey: s.retryKey,
    unit: s.unit,
    requestedUnit: s.requestedUnit,
    duplicateIds: s.duplicateIds,
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
