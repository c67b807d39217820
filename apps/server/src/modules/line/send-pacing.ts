import type { Database } from '../../core/db/database.ts';
import { asTenantId } from '../../core/ids.ts';
import { ensurePacingRow, reservePacingBlock } from './send-pacing.repository.ts';

export type SendEndpoint = 'push' | 'multicast';

/** LINE's per-channel limits (requests per second): multicast 200, push 2,000 (line-api.md §1.5). */
export const LINE_RATE_LIMITS: Record<SendEndpoint, number> = { multicast: 200, push: 2000 };

/**
 * Innkeeper paces below them: LINE warns that a client pacing exactly at the limit can be refused (requests bunch on
 * their way, and LINE's bucket size is not published), so 95% of each, and no burst (one request per slot).
 */
export const DEFAULT_PACE: Record<SendEndpoint, Pace> = {
  multicast: { perSecond: LINE_RATE_LIMITS.multicast * 0.95, burst: 1 },
  push: { perSecond: LINE_RATE_LIMITS.push * 0.95, burst: 1 },
};

export type Pace = { perSecond: number; burst: number };

/**
 * A slot: go after `waitMs` (at `slotAt`, epoch ms on the database's clock); or the channel is booked further ahead
 * than the caller will wait (`busyForMs`), and nothing was reserved.
 */
export type Slot = { waitMs: number; slotAt: number } | { busyForMs: number };

export type SendPacing = {
  /** Reserves the next free slot of this channel's endpoint, shared by every process on the database. */
  reserve(channel: { tenantId: string; id: string }, endpoint: SendEndpoint): Promise<Slot>;
};

/** At most this many slots are reserved by one statement (the callers waiting in this process at that moment). */
const MAX_BLOCK = 200;

type Waiter = { resolve: (slot: Slot) => void; reject: (error: unknown) => void };

/**
 * A per-channel, per-endpoint pacer kept in PostgreSQL (GCRA): the row holds the theoretical arrival time of the next
 * request; a reservation moves it on under the row's lock, so concurrent senders in any number of processes get
 * distinct slots one interval apart (after a burst of `burst`). Time is the database's `clock_timestamp()`, one clock
 * for every process. A sender that would have to wait longer than `maxWaitMs` reserves nothing and hears how long the
 * channel is booked, so a worker can put the batch back instead of holding a job for seconds.
 *
 * One channel's sends meet on one row, which takes a transaction per reservation: callers of one process that arrive
 * while a reservation is under way wait for the next one, which reserves a block of consecutive slots for all of them
 * (up to MAX_BLOCK) in one statement. A lone caller is not delayed; at push's 1,900/s the row sees a fraction of that.
 */
export function createSendPacing(deps: { db: Database; pace?: Partial<Record<SendEndpoint, Pace>>; maxWaitMs?: number }): SendPacing {
  const pace = { ...DEFAULT_PACE, ...deps.pace };
  const maxWaitMs = deps.maxWaitMs ?? 2000;
  // Slots are times on the database's clock. Waiting "slot − the statement's now" from whenever the answer arrives
  // would let a slow answer (a busy pool) push its send into the next one's slot; instead every send of this process
  // aims at its slot on one estimate of the database clock: the largest (database now − local time on receipt) seen,
  // which is the estimate least delayed by the trip back. An estimate can only make a send late, never early.
  let clockOffsetMs = Number.NEGATIVE_INFINITY;
  const queues = new Map<string, { waiting: Waiter[]; flushing: boolean }>();
  const ensured = new Set<string>();

  async function reserveBlock(channel: { tenantId: string; id: string }, endpoint: SendEndpoint, count: number, key: string): Promise<Slot[]> {
    const { perSecond, burst } = pace[endpoint];
    const intervalMs = 1000 / perSecond;
    const toleranceMs = Math.max(0, burst - 1) * intervalMs;
    return deps.db.withTenant(asTenantId(channel.tenantId), async (tx) => {
      if (!ensured.has(key)) await ensurePacingRow(tx, channel, endpoint);
      const row = await reservePacingBlock(tx, channel, endpoint, { count, intervalMs, horizonMs: maxWaitMs + toleranceMs });
      if (!row) {
        ensured.delete(key);
        throw new Error(`no pacing row for channel ${channel.id} (${endpoint})`);
      }
      ensured.add(key);
      const dbNow = Number(row.now_at);
      const start = Number(row.start_at);
      const granted = Number(row.granted);
      const localNow = Date.now();
      clockOffsetMs = Math.max(clockOffsetMs, dbNow - localNow);
      return Array.from({ length: count }, (_, i): Slot => {
        const at = start - toleranceMs + i * intervalMs;
        if (i >= granted) return { busyForMs: Math.max(0, start + granted * intervalMs - toleranceMs - dbNow) };
        const slotAt = Math.max(at, dbNow);
        return { waitMs: Math.max(0, slotAt - clockOffsetMs - localNow), slotAt };
      });
    });
  }

  async function flush(key: string, channel: { tenantId: string; id: string }, endpoint: SendEndpoint): Promise<void> {
    const queue = queues.get(key)!;
    queue.flushing = true;
    try {
      while (queue.waiting.length > 0) {
        const batch = queue.waiting.splice(0, MAX_BLOCK);
        try {
          const slots = await reserveBlock(channel, endpoint, batch.length, key);
          batch.forEach((waiter, i) => waiter.resolve(slots[i]!));
        } catch (error) {
          for (const waiter of batch) waiter.reject(error);
        }
      }
    } finally {
      queue.flushing = false;
      queues.delete(key);
    }
  }

  return {
    reserve(channel, endpoint) {
      const key = `${channel.tenantId}/${channel.id}/${endpoint}`;
      let queue = queues.get(key);
      if (!queue) queues.set(key, (queue = { waiting: [], flushing: false }));
      const slot = new Promise<Slot>((resolve, reject) => queue.waiting.push({ resolve, reject }));
      if (!queue.flushing) void flush(key, channel, endpoint);
      return slot;
    },
  };
}
