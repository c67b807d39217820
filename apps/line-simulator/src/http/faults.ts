import type { SimContext } from '../context.ts';
import type { Channel } from '../state/types.ts';
import { lineError, MESSAGES } from './errors.ts';

// Thrown to make the error handler destroy the socket without answering.
export class DropConnection extends Error {}

export type FaultOutcome = { dropAfterAccept: boolean };

/**
 * Apply the channel's fault knobs before the request is processed. Random draws happen only for
 * knobs that are switched on, so enabling one fault doesn't shift the sequence of another.
 */
export async function applyFaults(ctx: SimContext, channel: Channel, endpointKey: string): Promise<FaultOutcome> {
  const f = channel.faults;
  const c = channel.counters.faults;
  // A burst requested through the admin API hits the next requests whatever the endpoint filter says.
  if (channel.pending429 > 0) {
    channel.pending429--;
    c.burst429++;
    throw lineError(429, MESSAGES.rateLimited);
  }
  if (f.endpoints && !f.endpoints.includes(endpointKey)) return { dropAfterAccept: false };
  if (f.latencyMs > 0 || f.latencyJitterMs > 0) {
    c.latency++;
    await ctx.options.sleep(f.latencyMs + (f.latencyJitterMs > 0 ? ctx.random.int(f.latencyJitterMs + 1) : 0));
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
  return { dropAfterAccept: f.dropAfterAcceptRate > 0 && ctx.random.float() < f.dropAfterAcceptRate };
}
