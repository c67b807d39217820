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

/** Take one token from the channel's bucket for this endpoint, or throw LINE's 429. */
export function takeToken(ctx: SimContext, channel: Channel, endpointKey: string, cls: RateClass): void {
  if (!channel.rateLimits.enabled) return;
  const spec = rateSpecFor(ctx, channel, endpointKey, cls);
  const capacity = bucketCapacity(spec, ctx.options.rateLimitBurstMs);
  const now = ctx.clock.now();
  let bucket = channel.buckets.get(endpointKey);
  if (!bucket) {
    bucket = { tokens: capacity, updatedAt: now };
    channel.buckets.set(endpointKey, bucket);
  }
  const elapsed = Math.max(0, now - bucket.updatedAt);
  bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * spec.limit) / spec.periodMs);
  bucket.updatedAt = now;
  if (bucket.tokens < 1) {
    channel.counters.rateLimited++;
    throw lineError(429, MESSAGES.rateLimited);
  }
  bucket.tokens -= 1;
}

/** An explicit capacity wins; otherwise burstMs worth of the limit (at least 1), or the whole period when burstMs is null. */
export function bucketCapacity(spec: RateSpec, burstMs: number | null): number {
  if (spec.capacity !== undefined) return spec.capacity;
  if (burstMs === null) return spec.limit;
  return Math.max(1, Math.floor((spec.limit * Math.min(burstMs, spec.periodMs)) / spec.periodMs));
}
