import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../core/db/database.ts';
import { asTenantId } from '../../core/ids.ts';

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

/**
 * A per-channel, per-endpoint pacer kept in PostgreSQL (GCRA): the row holds the theoretical arrival time of the next
 * request; reserving moves it one interval on in a single upsert, so concurrent senders in any number of processes
 * get distinct slots one interval apart (after a burst of `burst`). Time is the database's `clock_timestamp()`, one
 * clock for every process. A sender that would have to wait longer than `maxWaitMs` reserves nothing and hears how
 * long the channel is booked, so a worker can put the batch back instead of holding a job for seconds.
 */
export function createSendPacing(deps: { db: Database; pace?: Partial<Record<SendEndpoint, Pace>>; maxWaitMs?: number }): SendPacing {
  const pace = { ...DEFAULT_PACE, ...deps.pace };
  const maxWaitMs = deps.maxWaitMs ?? 2000;
  // Slots are times on the database's clock. Waiting "slot − the statement's now" from whenever the answer arrives
  // would let a slow answer (a busy pool) push its send into the next one's slot; instead every send of this process
  // aims at its slot on one estimate of the database clock: the largest (database now − local time on receipt) seen,
  // which is the estimate least delayed by the trip back. An estimate can only make a send late, never early.
  let clockOffsetMs = Number.NEGATIVE_INFINITY;
  return {
    async reserve(channel, endpoint) {
      const { perSecond, burst } = pace[endpoint];
      const intervalMs = 1000 / perSecond;
      const toleranceMs = Math.max(0, burst - 1) * intervalMs;
      return deps.db.withTenant(asTenantId(channel.tenantId), async (tx) => {
        // The slot starts `tolerance` before the stored arrival time (never before now); a reservation moves the
        // arrival time one interval past max(stored, now).
        const [reserved] = await queryRows<{ slot_at: number; now_at: number }>(
          tx,
          sql`with c as (select clock_timestamp() as now)
              insert into line_send_pacing as p (tenant_id, channel_id, endpoint, next_slot_at)
              select ${channel.tenantId}::uuid, ${channel.id}::uuid, ${endpoint}::text, c.now + ${intervalMs}::float8 * interval '1 millisecond' from c
              on conflict (tenant_id, channel_id, endpoint) do update
                set next_slot_at = greatest(p.next_slot_at, (select now from c)) + ${intervalMs}::float8 * interval '1 millisecond'
                where p.next_slot_at - ${toleranceMs}::float8 * interval '1 millisecond' - (select now from c) <= ${maxWaitMs}::float8 * interval '1 millisecond'
              returning (extract(epoch from p.next_slot_at - ${intervalMs + toleranceMs}::float8 * interval '1 millisecond') * 1000)::float8 as slot_at,
                        (extract(epoch from (select now from c)) * 1000)::float8 as now_at`,
        );
        if (reserved) {
          const dbNow = Number(reserved.now_at);
          const slotAt = Math.max(Number(reserved.slot_at), dbNow);
          const localNow = Date.now();
          clockOffsetMs = Math.max(clockOffsetMs, dbNow - localNow);
          return { waitMs: Math.max(0, slotAt - clockOffsetMs - localNow), slotAt };
        }
        const [booked] = await queryRows<{ busy_ms: number }>(
          tx,
          sql`select greatest(0, extract(epoch from (next_slot_at - ${toleranceMs}::float8 * interval '1 millisecond' - clock_timestamp())) * 1000)::float8 as busy_ms
              from line_send_pacing where tenant_id = ${channel.tenantId}::uuid and channel_id = ${channel.id}::uuid and endpoint = ${endpoint}`,
        );
        return { busyForMs: Number(booked?.busy_ms ?? 0) };
      });
    },
  };
}
