import type { Database } from '../../core/db/database.ts';
import { asTenantId } from '../../core/ids.ts';
import { ensurePacingRow, reservePacingBlock } from './send-pacing.repository.ts';

export type SendEndpoint = 'push' | 'multicast';

/** LINE's per-channel limits (requests per second): multicast 200, push 2,000 (line-api.md §1.5). */
export const LINE_RATE_LIMITS: Record<SendEndpoint, number> = { multicast: 200, push: 2000 };

/**
 * Innkeeper paces below them: LINE warns that a client pacing exactly at the limit can be refused (requests bunch on
 * their way, and LINE's bucket size is not published), so a share of each (`LINE_PACE_PERCENT`, 97.5 % by default),
 * and no burst (one request per slot). The margin is against drift, not bunching: the departure gate below keeps
 * requests one interval apart whatever the share, and a bunch made on the way (jitter) is the same at 95 % as at 97.5 %.
 * 95 % was the first choice; 97.5 % was measured to leave LINE's bucket alone as well (0 × 429 against the
 * simulator's 10-request bucket at 0, 80 and 250 ms ± 40 ms: bench/README.md, "A campaign to a million guests").
 */
export function paceAt(percent: number): Record<SendEndpoint, Pace> {
  const share = percent / 100;
  return {
    multicast: { perSecond: LINE_RATE_LIMITS.multicast * share, burst: 1 },
    push: { perSecond: LINE_RATE_LIMITS.push * share, burst: 1 },
  };
}

/** At LINE_PACE_PERCENT's default (config.ts). */
export const DEFAULT_PACE: Record<SendEndpoint, Pace> = paceAt(97.5);

export type Pace = { perSecond: number; burst: number };

/**
 * A slot: go after `waitMs` (at `slotAt`, epoch ms on the database's clock); or the channel is booked further ahead
 * than the caller will wait (`busyForMs`), and nothing was reserved.
 */
export type Slot = { waitMs: number; slotAt: number } | { busyForMs: number };

/**
 * How a granted slot ended: the request may leave now; or its slot went by while this process could not send it, the
 * slot booked again was further ahead than the caller will wait, and nothing is booked (`busyForMs`, as a Slot's).
 */
export type Departure = { left: true } | { left: false; busyForMs: number };

export type SendPacing = {
  /** Reserves the next free slot of this channel's endpoint, shared by every process on the database. */
  reserve(channel: { tenantId: string; id: string }, endpoint: SendEndpoint): Promise<Slot>;
  /**
   * Resolves when the request of a granted slot may leave: not before its slot, and one interval after the previous
   * request of this process on the channel's endpoint actually left (see the gate below). A slot missed by more than
   * a moment (a stalled process) is booked again once, and the request waits for that one (see `missed` below).
   */
  depart(channel: { tenantId: string; id: string }, endpoint: SendEndpoint, slot: { slotAt: number }): Promise<Departure>;
};

/** This process's clock and timers (tests drive them by hand to stage a stalled event loop). */
export type PacingTimers = { now: () => number; setTimeout: (fn: () => void, ms: number) => void };
const realTimers: PacingTimers = { now: () => Date.now(), setTimeout: (fn, ms) => void setTimeout(fn, ms) };

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
export function createSendPacing(deps: { db: Database; pace?: Partial<Record<SendEndpoint, Pace>>; maxWaitMs?: number; timers?: PacingTimers }): SendPacing {
  const pace = { ...DEFAULT_PACE, ...deps.pace };
  const maxWaitMs = deps.maxWaitMs ?? 2000;
  const timers = deps.timers ?? realTimers;
  // Slots are times on the database's clock. Waiting "slot − the statement's now" from whenever the answer arrives
  // would let a slow answer (a busy pool) push its send into the next one's slot; instead every send of this process
  // aims at its slot on one estimate of the database clock: the largest (database now − local time on receipt) seen,
  // which is the estimate least delayed by the trip back. An estimate can only make a send late, never early.
  let clockOffsetMs = Number.NEGATIVE_INFINITY;
  const queues = new Map<string, { waiting: Waiter[]; flushing: boolean }>();
  const ensured = new Set<string>();
  const gates = new Map<string, Gate>();
  const dbNow = () => timers.now() + clockOffsetMs;

  /**
   * The departure gate of one channel's endpoint in this process. Slots are one interval apart on the database's
   * clock, but a request leaves when its timer fires, and a busy event loop (or a slow answer to the reservation) fires
   * a row of overdue timers in one turn: requests that were paced at 195/s leave together, and LINE's bucket (its size
   * unpublished; the simulator's holds 10 multicasts) refuses the excess with 429s. The gate spaces requests by when
   * they actually leave (GCRA on this process's clock): one timer; when it fires, the requests that conform leave, a
   * request conforming not before its slot nor before one interval after the last departure, less a tolerance of one
   * interval (2 ms at least) so that a timer firing a little late does not push every later request back (two can
   * leave together after a stall, never a row). A request held back this way leaves later than its slot; the process's
   * next reservation starts after its held-back requests (`notBefore`, less the same tolerance: a timer's usual
   * lateness does not move the row), so the shared row books other processes' slots after them, not among them.
   *
   * That covers the slots booked after a stall, not those booked before it: a process whose event loop stalls (a long
   * GC, a CPU-bound job) holds requests whose slots pass meanwhile, and the slots after them on the shared row may be
   * another process's, booked before the stall. Sent late, one interval apart from when the process wakes, they would
   * go out among those, both processes at the full pace for the stall's length (the attack review of 2026-12-07 measured
   * 48 of 200 multicasts refused with 429 by two workers, one stalled 300 ms, whatever LINE_PACE_PERCENT). So a request
   * whose slot went by more than `missAfterMs` ago (two intervals, 20 ms at least: a timer's usual lateness and the
   * gate's own holding back stay under it) gives it up and is booked again, after every slot booked so far; once: a
   * request booked again leaves when the gate lets it, however late (no loop on a clock that jumps).
   */
  type Waiting = { slotAt: number; go: () => void; missed?: (() => void) | undefined };
  type Gate = { key: string; intervalMs: number; toleranceMs: number; missAfterMs: number; tat: number; waiting: Waiting[]; armed: boolean };
  function gateOf(key: string, endpoint: SendEndpoint): Gate {
    let gate = gates.get(key);
    if (!gate) {
      const intervalMs = 1000 / pace[endpoint].perSecond;
      const toleranceMs = Math.max(Math.max(0, pace[endpoint].burst - 1) * intervalMs, intervalMs, 2);
      const missAfterMs = Math.max(2 * intervalMs, toleranceMs + intervalMs, 20);
      gates.set(key, (gate = { key, intervalMs, toleranceMs, missAfterMs, tat: Number.NEGATIVE_INFINITY, waiting: [], armed: false }));
    }
    return gate;
  }
  function runGate(gate: Gate): void {
    gate.armed = false;
    // Every request that conforms now leaves (at push's 1,950/s several per millisecond; at multicast's 195/s two at
    // most after a stall); the first that does not arms the timer for its time.
    for (let head = gate.waiting[0]; head; head = gate.waiting[0]) {
      const now = dbNow();
      if (head.missed && now - head.slotAt > gate.missAfterMs) {
        gate.waiting.shift();
        head.missed();
        continue;
      }
      if (now < Math.max(head.slotAt, gate.tat - gate.toleranceMs)) return arm(gate);
      gate.waiting.shift();
      gate.tat = Math.max(gate.tat, now) + gate.intervalMs;
      head.go();
    }
  }
  function arm(gate: Gate): void {
    if (gate.armed || gate.waiting.length === 0) return;
    gate.armed = true;
    const head = gate.waiting[0]!;
    const wait = Math.max(head.slotAt, gate.tat - gate.toleranceMs) - dbNow();
    timers.setTimeout(() => runGate(gate), Math.max(0, wait));
  }
  /** When this process's held-back requests will have left (database clock), or -∞: where its next block may start. */
  function gateFreeAt(key: string): number {
    const gate = gates.get(key);
    if (!gate) return Number.NEGATIVE_INFINITY;
    let free = gate.tat;
    for (const w of gate.waiting) free = Math.max(free, w.slotAt) + gate.intervalMs;
    return free - gate.toleranceMs;
  }

  async function reserveBlock(channel: { tenantId: string; id: string }, endpoint: SendEndpoint, count: number, key: string): Promise<Slot[]> {
    const { perSecond, burst } = pace[endpoint];
    const intervalMs = 1000 / perSecond;
    const toleranceMs = Math.max(0, burst - 1) * intervalMs;
    return deps.db.withTenant(asTenantId(channel.tenantId), async (tx) => {
      if (!ensured.has(key)) await ensurePacingRow(tx, channel, endpoint);
      const notBefore = gateFreeAt(key);
      const row = await reservePacingBlock(tx, channel, endpoint, { count, intervalMs, horizonMs: maxWaitMs + toleranceMs, notBeforeMs: Number.isFinite(notBefore) ? notBefore : null });
      if (!row) {
        ensured.delete(key);
        throw new Error(`no pacing row for channel ${channel.id} (${endpoint})`);
      }
      ensured.add(key);
      const nowAt = Number(row.now_at);
      const start = Number(row.start_at);
      const granted = Number(row.granted);
      const localNow = timers.now();
      clockOffsetMs = Math.max(clockOffsetMs, nowAt - localNow);
      return Array.from({ length: count }, (_, i): Slot => {
        const at = start - toleranceMs + i * intervalMs;
        if (i >= granted) return { busyForMs: Math.max(0, start + granted * intervalMs - toleranceMs - nowAt) };
        const slotAt = Math.max(at, nowAt);
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

  /** Puts a request in the gate in its slot's place (slots of one process arrive in order; a late one is put where it belongs). */
  function enter(gate: Gate, waiting: Waiting): void {
    let i = gate.waiting.length;
    while (i > 0 && gate.waiting[i - 1]!.slotAt > waiting.slotAt) i--;
    gate.waiting.splice(i, 0, waiting);
    if (!gate.armed) runGate(gate);
  }

  const pacing: SendPacing = {
    reserve(channel, endpoint) {
      const key = `${channel.tenantId}/${channel.id}/${endpoint}`;
      let queue = queues.get(key);
      if (!queue) queues.set(key, (queue = { waiting: [], flushing: false }));
      const slot = new Promise<Slot>((resolve, reject) => queue.waiting.push({ resolve, reject }));
      if (!queue.flushing) void flush(key, channel, endpoint);
      return slot;
    },
    depart(channel, endpoint, slot) {
      const key = `${channel.tenantId}/${channel.id}/${endpoint}`;
      const gate = gateOf(key, endpoint);
      return new Promise<Departure>((resolve, reject) => {
        const go = () => resolve({ left: true });
        const missed = () => {
          pacing
            .reserve(channel, endpoint)
            .then((again) => ('busyForMs' in again ? resolve({ left: false, busyForMs: again.busyForMs }) : enter(gate, { slotAt: again.slotAt, go })))
            .catch(reject);
        };
        enter(gate, { slotAt: slot.slotAt, go, missed });
      });
    },
  };
  return pacing;
}
