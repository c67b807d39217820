import { newSigningKey } from '../liff/jwt.ts';
import { messageIdOf } from './sent.ts';
import type { Counters, Store } from './types.ts';

export function createStore(): Store {
  return {
    channels: new Map(),
    byToken: new Map(),
    byLoginChannel: new Map(),
    users: new Map(),
    liffAccessTokens: new Map(),
    idTokenKey: newSigningKey(),
    version: 0,
    messageSeq: 0n,
    timelineSeq: 0,
    webhookSeq: 0,
  };
}

export function createCounters(): Counters {
  return {
    requests: new Map(),
    notDelivered: { blocked: 0, notFriend: 0, unknown: 0 },
    retryKeyConflicts: 0,
    rateLimited: 0,
    monthlyLimitRejections: 0,
    faults: { error: 0, drop: 0, dropAfterAccept: 0, errorAfterAccept: 0, latency: 0, burst429: 0, stall: 0 },
    sameUserLimited: 0,
    duplicateIdsInRequests: 0,
    webhooks: { attempts: 0, succeeded: 0, failed: 0, redeliveries: 0, duplicates: 0 },
    impressions: 0,
    clicks: 0,
  };
}

export function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

export function nextMessageId(store: Store): string {
  store.messageSeq += 1n;
  return messageIdOf(store.messageSeq);
}
