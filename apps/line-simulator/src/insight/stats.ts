import type { SimContext } from '../context.ts';
import type { Channel, SendRecord, SendStats, Tally, TimelineEntry } from '../state/types.ts';

// LINE stops recording impressions and clicks 14 days after sending.
export const STATS_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
// Values, or the number of users behind them, below this come back as null.
export const PRIVACY_THRESHOLD = 20;

export function emptyStats(): SendStats {
  return { impressions: new Map(), impressionUsers: new Set(), clicks: new Map(), clickUsers: new Set() };
}

type BotEntry = Extract<TimelineEntry, { kind: 'bot' }>;

function measurable(ctx: SimContext, channel: Channel, userId: string, entry: BotEntry): SendRecord | null {
  const send = channel.sends.get(entry.requestId);
  if (!send) return null;
  if (ctx.clock.now() - send.acceptedAt > STATS_WINDOW_MS) return null;
  // Only LINE for iOS and Android report impressions and clicks.
  if (ctx.store.users.get(userId)?.appType === 'pc') return null;
  return send;
}

function tally<K>(map: Map<K, Tally>, key: K, userId: string): void {
  let t = map.get(key);
  if (!t) {
    t = { count: 0, users: new Set() };
    map.set(key, t);
  }
  t.count++;
  t.users.add(userId);
}

export function recordImpression(ctx: SimContext, channel: Channel, userId: string, entry: BotEntry): boolean {
  const send = measurable(ctx, channel, userId, entry);
  if (!send) return false;
  tally(send.stats.impressions, entry.bubble, userId);
  send.stats.impressionUsers.add(userId);
  channel.counters.impressions++;
  return true;
}

export function recordClick(ctx: SimContext, channel: Channel, userId: string, entry: BotEntry, url: string): boolean {
  const send = measurable(ctx, channel, userId, entry);
  if (!send) return false;
  let t = send.stats.clicks.get(url);
  if (!t) {
    t = { count: 0, users: new Set(), bubble: entry.bubble };
    send.stats.clicks.set(url, t);
  }
  t.count++;
  t.users.add(userId);
  send.stats.clickUsers.add(userId);
  channel.counters.clicks++;
  return true;
}

const gated = (value: number, users: number): number | null => (value < PRIVACY_THRESHOLD || users < PRIVACY_THRESHOLD ? null : value);

const MEDIA_NULLS = {
  mediaPlayed: null,
  mediaPlayed25Percent: null,
  mediaPlayed50Percent: null,
  mediaPlayed75Percent: null,
  mediaPlayed100Percent: null,
  uniqueMediaPlayed: null,
  uniqueMediaPlayed25Percent: null,
  uniqueMediaPlayed50Percent: null,
  uniqueMediaPlayed75Percent: null,
  uniqueMediaPlayed100Percent: null,
};

/** Merge the stats of several sends (a unit aggregates every message sent with its name). */
export function summarize(sends: SendRecord[], withUniqueImpression: boolean) {
  const impressions = new Map<number, Tally>();
  const clicks = new Map<string, Tally & { bubble: number }>();
  const impressionUsers = new Set<string>();
  const clickUsers = new Set<string>();
  for (const s of sends) {
    for (const [bubble, t] of s.stats.impressions) {
      const acc = impressions.get(bubble) ?? { count: 0, users: new Set<string>() };
      acc.count += t.count;
      for (const u of t.users) acc.users.add(u);
      impressions.set(bubble, acc);
    }
    for (const [url, t] of s.stats.clicks) {
      const acc = clicks.get(url) ?? { count: 0, users: new Set<string>(), bubble: t.bubble };
      acc.count += t.count;
      for (const u of t.users) acc.users.add(u);
      clicks.set(url, acc);
    }
    for (const u of s.stats.impressionUsers) impressionUsers.add(u);
    for (const u of s.stats.clickUsers) clickUsers.add(u);
  }
  const messages = [...impressions.entries()]
    .sort(([a], [b]) => a - b)
    .map(([seq, t]) => ({
      seq,
      impression: gated(t.count, t.users.size),
      ...(withUniqueImpression ? { uniqueImpression: gated(t.users.size, t.users.size) } : {}),
      ...MEDIA_NULLS,
    }))
    // LINE answers [] rather than rows of nulls when nothing clears the privacy threshold.
    .filter((m) => m.impression !== null);
  const clickRows = [...clicks.entries()]
    .map(([url, t]) => ({ seq: t.bubble, url, click: gated(t.count, t.users.size), uniqueClick: gated(t.users.size, t.users.size), uniqueClickOfRequest: gated(t.users.size, t.users.size) }))
    .filter((c) => c.click !== null)
    .sort((a, b) => a.seq - b.seq || a.url.localeCompare(b.url));
  return {
    overview: {
      uniqueImpression: gated(impressionUsers.size, impressionUsers.size),
      uniqueClick: gated(clickUsers.size, clickUsers.size),
      uniqueMediaPlayed: null,
      uniqueMediaPlayed100Percent: null,
    },
    messages,
    clicks: clickRows,
  };
}
