export type Clock = { now(): number };

// The simulator's own clock is the injected base clock plus an offset that the admin API can move
// forward, so a demo running on wall time can still "skip 25 hours" to expire retry keys.
export type SimClock = Clock & {
  advance(ms: number): void;
  offset(): number;
};

export const systemClock: Clock = { now: () => Date.now() };

export function createSimClock(base: Clock): SimClock {
  let offsetMs = 0;
  return {
    now: () => base.now() + offsetMs,
    advance(ms: number) {
      offsetMs += ms;
    },
    offset: () => offsetMs,
  };
}

// A manual clock for tests: time moves only when the test says so.
export type ManualClock = Clock & { set(ms: number): void; advance(ms: number): void };

export function createManualClock(startMs = Date.UTC(2026, 0, 15, 3, 0, 0)): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    set(ms: number) {
      t = ms;
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

// LINE counts quota and unit names per calendar month and reports dates as yyyyMMdd in UTC+9.
export function jstMonthKey(ms: number): string {
  return new Date(ms + JST_OFFSET_MS).toISOString().slice(0, 7);
}

export function jstDateKey(ms: number): string {
  return new Date(ms + JST_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

// Start of the JST day given as yyyyMMdd, as epoch milliseconds; null when malformed.
export function parseJstDate(yyyymmdd: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!m) return null;
  const [, y, mo, d] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d)) - JST_OFFSET_MS;
  if (jstDateKey(ms) !== yyyymmdd) return null;
  return ms;
}
