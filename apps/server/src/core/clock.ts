/** Injected wherever time decides behaviour (expiry, lockout, waiting out a backoff), so tests can move it. */
export type Clock = {
  now(): Date;
  /** Waits `ms` (a test clock moves its time on at once instead, so a backoff costs a test nothing). */
  sleep?(ms: number): Promise<void>;
};

export const systemClock: Clock = { now: () => new Date(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
