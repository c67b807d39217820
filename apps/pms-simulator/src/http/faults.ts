import type { Rng } from '../data/random.ts';

/**
 * Fault injection for the 德安 endpoints. Rates draw from the simulator's seeded generator (only for knobs that are
 * on, so switching one on does not shift another's sequence); `next` queues faults for the next requests, in order,
 * so a test can say "the next page times out" without chance.
 */
export type FaultKind = 'error' | 'unavailable' | 'timeout' | 'truncated' | 'partial' | 'rate_limited';

export type FaultConfig = {
  /** 500 internal. */
  errorRate: number;
  /** 503 unavailable with Retry-After. */
  unavailableRate: number;
  /** No answer: the request is held until the client gives up (or `hangMs`), then the socket is destroyed. */
  timeoutRate: number;
  /** 200 with half a JSON body, then the socket is destroyed. */
  truncatedRate: number;
  /** A page with fewer rows than asked while hasMore is true (allowed by contract §4.2). */
  partialPageRate: number;
  /** Added to every answer. */
  latencyMs: number;
  /** How long a timed-out request is held at most. */
  hangMs: number;
  /** Only these endpoint keys ("GET /dean/v1/guests") get faults; null = all. */
  endpoints: string[] | null;
};

export const NO_FAULTS: FaultConfig = {
  errorRate: 0,
  unavailableRate: 0,
  timeoutRate: 0,
  truncatedRate: 0,
  partialPageRate: 0,
  latencyMs: 0,
  hangMs: 60_000,
  endpoints: null,
};

export type FaultState = {
  config: FaultConfig;
  next: FaultKind[];
  counters: Record<FaultKind, number>;
};

export function createFaultState(config: Partial<FaultConfig> = {}): FaultState {
  return {
    config: { ...NO_FAULTS, ...config },
    next: [],
    counters: { error: 0, unavailable: 0, timeout: 0, truncated: 0, partial: 0, rate_limited: 0 },
  };
}

/** The fault for this request, if any. `partial` only applies to list endpoints; the caller decides. */
export function drawFault(state: FaultState, rng: Rng, endpointKey: string, isList: boolean): FaultKind | null {
  const queued = state.next.findIndex((k) => k !== 'partial' || isList);
  if (queued >= 0) return state.next.splice(queued, 1)[0]!;
  const c = state.config;
  if (c.endpoints && !c.endpoints.includes(endpointKey)) return null;
  if (c.errorRate > 0 && rng.chance(c.errorRate)) return 'error';
  if (c.unavailableRate > 0 && rng.chance(c.unavailableRate)) return 'unavailable';
  if (c.timeoutRate > 0 && rng.chance(c.timeoutRate)) return 'timeout';
  if (c.truncatedRate > 0 && rng.chance(c.truncatedRate)) return 'truncated';
  if (isList && c.partialPageRate > 0 && rng.chance(c.partialPageRate)) return 'partial';
  return null;
}
