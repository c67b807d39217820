/** Injected wherever time decides behaviour (expiry, lockout, waiting out a backoff), so tests can move it. */
export type Clock = {
  now(): Date;
  /** The same instant as epoch milliseconds, where a Date would only be read for them (the redirect's click count). */
  nowMs(): number;
  /** Waits `ms` (a test clock moves its time on at once instead, so a backoff costs a test nothing). */
  sleep?(ms: number): Promise<void>;
};

export const systemClock: Clock = { now: () => new Date(), nowMs: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
