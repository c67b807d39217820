import type { SimContext } from '../context.ts';
import type { Channel } from '../state/types.ts';
import { lineError, MESSAGES } from './errors.ts';

// Thrown to make the error handler destroy the socket without answering.
export class DropConnection extends Error {}

/** What happens after the request is accepted: the connection dropped, or a 500 in place of the answer. */
export type FaultOutcome = { dropAfterAccept: boolean; errorAfterAccept: boolean };

const NONE: FaultOutcome = { dropAfterAccept: false, errorAfterAccept: false };

function applies(channel: Channel, endpointKey: string): boolean {
  return !channel.faults.endpoints || channel.faults.endpoints.includes(endpointKey);
}

/**
 * The request's round trip (latencyMs ± latencyJitterMs, never below 0), split into the way there and the way back.
 * The way there is waited for before anything is decided (rate limits and retry keys see the request when it
 * arrives); the way back after the request is handled, so a client that gives up sooner misses an accepted send.
 */
export function drawLatency(ctx: SimContext, channel: Channel, endpointKey: string): { there: number; back: number } {
  const f = channel.faults;
  if (!applies(channel, endpointKey)) return { there: 0, back: 0 };
  // A stall (a timeout for a client that waits less): the request is handled, its answer held back stallMs more.
  const stall = f.stallRate > 0 && ctx.random.float() < f.stallRate ? f.stallMs : 0;
  if (stall > 0) channel.counters.faults.stall++;
  if (f.latencyMs <= 0 && f.latencyJitterMs <= 0) return { there: 0, back: stall };
  channel.counters.faults.latency++;
  const jitter = f.latencyJitterMs > 0 ? ctx.random.int(2 * f.latencyJitterMs + 1) - f.latencyJitterMs : 0;
  const total = Math.max(0, f.latencyMs + jitter);
  const there = Math.floor(total / 2);
  return { there, back: total - there + stall };
}

/**
 * Apply the channel's fault knobs before the request is processed. Random draws happen only for
 * knobs that are switched on, so enabling one fault doesn't shift the sequence of another.
 */
export function applyFaults(ctx: SimContext, channel: Channel, endpointKey: string): FaultOutcome {
  const f = channel.faults;
  const c = channel.counters.faults;
  // A burst requested through the admin API hits the next requests whatever the endpoint filter says.
  if (channel.pending429 > 0) {
    channel.pending429--;
    c.burst429++;
    throw lineError(429, MESSAGES.rateLimited);
  }
  if (!applies(channel, endpointKey)) return NONE;
  if (channel.pending500 > 0) {
    channel.pending500--;
    c.error++;
    throw lineError(500, MESSAGES.internal);
  }
  if (f.burst429Rate > 0 && ctx.random.float() < f.burst429Rate) {
    channel.pending429 = Math.max(0, f.burst429Length - 1);
    c.burst429++;
    throw lineError(429, MESSAGES.rateLimited);
  }
  if (f.errorRate > 0 && ctx.random.float() < f.errorRate) {
    c.error++;
    throw lineError(500, MESSAGES.internal);
  }
  if (f.dropRate > 0 && ctx.random.float() < f.dropRate) {
    c.drop++;
    throw new DropConnection('injected connection drop');
  }
  const dropAfterAccept = f.dropAfterAcceptRate > 0 && ctx.random.float() < f.dropAfterAcceptRate;
  const errorAfterAccept = !dropAfterAccept && f.errorAfterAcceptRate > 0 && ctx.random.float() < f.errorAfterAcceptRate;
  return { dropAfterAccept, errorAfterAccept };
}
