/**
 * Drives a webhook URL with autocannon, each connection sending its own slice of the pre-signed requests (so no event
 * is sent twice unless asked), and measures what LINE would see: status and latency of every request.
 *
 * Fixed-rate runs use autocannon's `overallRate`. autocannon paces a connection by sending its quota for the second
 * back to back and then waiting for the next one-second tick, and every connection of an instance ticks together; one
 * instance would therefore fire its whole second's requests at once. The run is split into `phases` instances started
 * 1 s / phases apart, each with `overallRate` = rate / phases, which spreads the requests over the second.
 *
 * Latency is taken from every response (autocannon's `response` event, hrtime-based, sub-millisecond) and summarised
 * here. autocannon's own coordinated-omission correction is switched off: with a rate it records each response with an
 * expected interval of ceil(1 / requests-per-second) = 1 ms, i.e. a 20 ms response as twenty samples 20, 19, … 1 ms,
 * which is not a correction but a different distribution.
 */
import { createRequire } from 'node:module';
import type { PlannedRequest } from './generate.ts';

type CannonRequest = { method: 'POST'; headers: Record<string, string>; body: Buffer; onResponse: (status: number) => void };
type CannonClient = { setRequests(requests: CannonRequest[]): void };
type CannonResult = { errors: number; timeouts: number; non2xx: number; statusCodeStats: Record<string, { count: number }> };
type CannonInstance = PromiseLike<CannonResult> & { on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void };
type CannonOptions = {
  url: string;
  connections: number;
  amount?: number;
  duration?: number;
  overallRate?: number;
  timeout: number;
  ignoreCoordinatedOmission?: boolean;
  setupClient: (client: CannonClient) => void;
};
const autocannon = createRequire(import.meta.url)('autocannon') as (options: CannonOptions) => CannonInstance;

export type LoadPlan =
  /** `requestsPerSecond` × `seconds` requests (exactly the ones given), spread over `phases` staggered instances. */
  | { mode: 'rate'; requestsPerSecond: number; seconds: number; phases: number; connectionsPerPhase: number }
  /** As fast as the target answers, `connections` at a time; with `seconds`, connections loop over their slices. */
  | { mode: 'max'; connections: number; seconds?: number };

export type LoadResult = {
  responses: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  ackEvents: number;
  seconds: number;
  requestsPerSecond: number;
  eventsPerSecond: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  statuses: Record<string, number>;
};

/** autocannon splits `amount` and `overallRate` over connections like this; slices must match it. */
function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index + 1 <= total % parts ? 1 : 0);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

type InstanceOutcome = { result: CannonResult; ok: number; ackEvents: number; seconds: number };

async function runInstance(url: string, slices: PlannedRequest[][], options: { rate?: number; amount?: number; duration?: number }, latencies: number[]): Promise<InstanceOutcome> {
  let ok = 0;
  let ackEvents = 0;
  const cannonSlices = slices.map((slice) =>
    slice.map(
      (request): CannonRequest => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': request.signature },
        body: request.body,
        onResponse: (status) => {
          request.status = status;
          if (status >= 200 && status < 300) {
            ok += 1;
            ackEvents += request.events;
          }
        },
      }),
    ),
  );
  let next = 0;
  const started = process.hrtime.bigint();
  let lastResponse = started;
  const instance = autocannon({
    url,
    connections: slices.length,
    timeout: 30,
    ...(options.amount !== undefined ? { amount: options.amount } : {}),
    ...(options.duration !== undefined ? { duration: options.duration } : {}),
    ...(options.rate !== undefined ? { overallRate: options.rate, ignoreCoordinatedOmission: true } : {}),
    // Called once per connection, in order: connection i gets slice i.
    setupClient: (client) => client.setRequests(cannonSlices[next++]!),
  });
  instance.on('response', (_client, _status, _bytes, ms) => {
    latencies.push(ms);
    lastResponse = process.hrtime.bigint();
  });
  const result = await instance;
  // Up to the last response, not to the instance's end: autocannon reports the end of a run with `amount` only at
  // its next one-second sample tick, so a run that took 0.6 s "took" 1 s and one of 1.1 s took 2 — throughputs
  // rounded down to requests ÷ whole seconds (the intake's bimodal 1,465 / 740 / 490 requests/s for 1,500 requests).
  return { result, ok, ackEvents, seconds: Number((lastResponse > started ? lastResponse : process.hrtime.bigint()) - started) / 1e9 };
}

function slicesOf(requests: PlannedRequest[], connections: number): PlannedRequest[][] {
  const slices: PlannedRequest[][] = [];
  let offset = 0;
  for (let i = 0; i < connections; i += 1) {
    const size = share(requests.length, connections, i);
    slices.push(requests.slice(offset, offset + size));
    offset += size;
  }
  return slices;
}

export async function runLoad(url: string, requests: PlannedRequest[], plan: LoadPlan): Promise<LoadResult> {
  const latencies: number[] = [];
  let outcomes: InstanceOutcome[];
  let eventsPerSecond: number;
  let requestsPerSecond: number;
  let seconds: number;
  const started = process.hrtime.bigint();
  if (plan.mode === 'rate') {
    const { requestsPerSecond: rate, seconds: duration, phases } = plan;
    if (requests.length !== rate * duration) throw new Error(`rate run needs ${rate * duration} requests, got ${requests.length}`);
    const runs: Array<Promise<InstanceOutcome>> = [];
    let offset = 0;
    for (let k = 0; k < phases; k += 1) {
      const phaseRate = share(rate, phases, k);
      if (phaseRate === 0) continue;
      const chunk = requests.slice(offset, offset + phaseRate * duration);
      offset += chunk.length;
      const connections = Math.min(plan.connectionsPerPhase, phaseRate);
      const delay = (k * 1000) / phases;
      runs.push(new Promise((resolve) => setTimeout(resolve, delay)).then(() => runInstance(url, slicesOf(chunk, connections), { rate: phaseRate, amount: chunk.length }, latencies)));
    }
    outcomes = await Promise.all(runs);
    // Each instance ran for `duration` seconds at its own phase; their rates add up.
    eventsPerSecond = outcomes.reduce((sum, o) => sum + o.ackEvents / o.seconds, 0);
    requestsPerSecond = outcomes.reduce((sum, o) => sum + o.ok / o.seconds, 0);
    seconds = Number(process.hrtime.bigint() - started) / 1e9;
  } else {
    const connections = Math.min(plan.connections, requests.length);
    const outcome = await runInstance(url, slicesOf(requests, connections), plan.seconds !== undefined ? { duration: plan.seconds } : { amount: requests.length }, latencies);
    outcomes = [outcome];
    seconds = outcome.seconds;
    eventsPerSecond = outcome.ackEvents / seconds;
    requestsPerSecond = outcome.ok / seconds;
  }
  const sorted = Float64Array.from(latencies).sort();
  const statuses: Record<string, number> = {};
  for (const o of outcomes) for (const [code, { count }] of Object.entries(o.result.statusCodeStats)) statuses[code] = (statuses[code] ?? 0) + Number(count);
  return {
    responses: latencies.length,
    ok: outcomes.reduce((s, o) => s + o.ok, 0),
    non2xx: outcomes.reduce((s, o) => s + o.result.non2xx, 0),
    errors: outcomes.reduce((s, o) => s + o.result.errors, 0),
    timeouts: outcomes.reduce((s, o) => s + o.result.timeouts, 0),
    ackEvents: outcomes.reduce((s, o) => s + o.ackEvents, 0),
    seconds,
    requestsPerSecond,
    eventsPerSecond,
    latency: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
      mean: latencies.reduce((s, v) => s + v, 0) / Math.max(1, latencies.length),
    },
    statuses,
  };
}
