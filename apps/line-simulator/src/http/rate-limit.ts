import type { SimContext } from '../context.ts';
import type { Channel, RateSpec } from '../state/types.ts';
import { lineError, MESSAGES } from './errors.ts';

// LINE's documented per-channel, per-endpoint limits (line-api.md §1.5). Burst size is not documented, and LINE warns
// that a client pacing at the limit can still be refused: the capacity is small (rateLimitBurstMs of the limit, at
// least one request), overridable per endpoint.
export const RATE_CLASSES = {
  default: { limit: 2000, periodMs: 1000 },
  multicast: { limit: 200, periodMs: 1000 },
  hourly60: { limit: 60, periodMs: 3_600_000 },
  audience: { limit: 60, periodMs: 60_000 },
  webhookEndpoint: { limit: 1000, periodMs: 60_000 },
  richMenuWrite: { limit: 100, periodMs: 3_600_000 },
  richMenuBatch: { limit: 3, periodMs: 3_600_000 },
  richMenuList: { limit: 10, periodMs: 1000 },
  loading: { limit: 100, periodMs: 1000 },
} satisfies Record<string, RateSpec>;

export type RateClass = keyof typeof RATE_CLASSES;

export function rateSpecFor(ctx: SimContext, channel: Channel, endpointKey: string, cls: RateClass): RateSpec {
  return channel.rateLimits.overrides[endpointKey] ?? ctx.options.rateLimitOverrides[endpointKey] ?? RATE_CLASSES[cls];
}

/** How long a bucket remembers what it accepted, to judge a request that arrived before ones already judged. */
const REORDER_WINDOW_MS = 1000;

/**
 * Take one token from the channel's bucket for this endpoint, or throw LINE's 429. `arrivedAt` is when the request
 * reached "LINE" (pipeline.ts `arrivalOf`), by default now. The bucket judges requests in their order of arrival:
 * one judged after requests that arrived later (read late by this process) is fitted in at its own time, and refused
 * if it, or any request accepted after it, would then have found the bucket empty (the earlier answers stand). Judging
 * it at the latest arrival instead would lose the refill between the two and refuse what LINE would have accepted; a
 * request older than the bucket's memory (a second) is fitted in at the oldest it remembers.
 */
export function takeToken(ctx: SimContext, channel: Channel, endpointKey: string, cls: RateClass, arrivedAt: number = ctx.clock.now()): void {
  if (!channel.rateLimits.enabled) return;
  const spec = rateSpecFor(ctx, channel, endpointKey, cls);
  const capacity = bucketCapacity(spec, ctx.options.rateLimitBurstMs);
  const perMs = spec.limit / spec.periodMs;
  let bucket = channel.buckets.get(endpointKey);
  if (!bucket) {
    // New: it has been full for as long as it remembers.
    bucket = { tokens: capacity, updatedAt: arrivedAt, floor: { at: arrivedAt - REORDER_WINDOW_MS, tokens: capacity }, accepted: [] };
    channel.buckets.set(endpointKey, bucket);
  }
  const refused = () => {
    channel.counters.rateLimited++;
    return lineError(429, MESSAGES.rateLimited);
  };
  const log = bucket.accepted;
  if (arrivedAt >= bucket.updatedAt) {
    const now = arrivedAt;
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) throw refused();
    log.push({ at: now, before: bucket.tokens });
    bucket.tokens -= 1;
    while (log.length > 0 && log[0]!.at < now - REORDER_WINDOW_MS) {
      const gone = log.shift()!;
      bucket.floor = { at: gone.at, tokens: gone.before - 1 };
    }
    return;
  }
  // Arrived before requests already judged: the tokens at its arrival, from the last accepted before it (or the floor;
  // older than the floor, it is judged at the floor's time).
  let i = log.length;
  while (i > 0 && log[i - 1]!.at > arrivedAt) i--;
  const from = i > 0 ? { at: log[i - 1]!.at, tokens: log[i - 1]!.before - 1 } : bucket.floor;
  const at = Math.max(arrivedAt, from.at);
  const before = Math.min(capacity, from.tokens + (at - from.at) * perMs);
  if (before < 1) throw refused();
  // Every request accepted after it must still have found a token.
  const after: number[] = [];
  let tokens = before - 1;
  let prev = at;
  for (let k = i; k < log.length; k++) {
    const b = Math.min(capacity, tokens + (log[k]!.at - prev) * perMs);
    if (b < 1) throw refused();
    after.push(b);
    tokens = b - 1;
    prev = log[k]!.at;
  }
  after.forEach((b, k) => (log[i + k]!.before = b));
  log.splice(i, 0, { at, before });
  bucket.tokens = Math.min(capacity, tokens + (bucket.updatedAt - prev) * perMs);
}

/** An explicit capacity wins; otherwise burstMs worth of the limit (at least 1), or the whole period when burstMs is null. */
export function bucketCapacity(spec: RateSpec, burstMs: number | null): number {
  if (spec.capacity !== undefined) return spec.capacity;
  if (burstMs === null) return spec.limit;
  return Math.max(1, Math.floor((spec.limit * Math.min(burstMs, spec.periodMs)) / spec.periodMs));
}
