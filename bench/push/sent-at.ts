import { SENT_AT_HEADER } from './sent-at-header.ts';

/**
 * Loaded into bench:push's workers (`--import`): every request the worker makes with fetch (the LINE SDK's) carries
 * `x-sim-sent-at`, the epoch ms at which it was handed to fetch, after its body was built. The simulator (started with
 * `sentAtHeader`) takes that, plus the way there, as the request's arrival at "LINE" when it judges the rate limit, so
 * its own late reading of a request on a busy machine does not bunch requests that left one pacing interval apart
 * (apps/line-simulator/src/http/pipeline.ts, `arrivalOf`). Nothing else in the worker changes; the app never sets it.
 */

const send = globalThis.fetch;
globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  headers.set(SENT_AT_HEADER, String(performance.timeOrigin + performance.now()));
  return send(input, { ...init, headers });
};
