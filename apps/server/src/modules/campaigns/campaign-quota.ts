import type { TenantContext } from '../../core/context.ts';
import type { LineSender, SendingChannel } from '../line/index.ts';

/** The channel's monthly budget as LINE reports it, or why it could not be read (the estimate still answers). */
export type ChannelQuota =
  | { known: true; limit: number | null; used: number; remaining: number | null; reason: null }
  | { known: false; limit: null; used: null; remaining: null; reason: 'no_channel' | 'line_unreachable' };

/**
 * Reads `/v2/bot/message/quota` and `/quota/consumption` for the channel a campaign of this property goes out on
 * (the engine's choice of channel, so the figure shown is the budget the send will draw on). In two steps: the channel
 * is found in the caller's transaction, LINE is asked with `read`, which a request does after its transaction
 * committed (no database connection waits on LINE), or at once where an approval must decide on it.
 */
export function createQuotaReader(deps: { channelFor: (ctx: TenantContext, c: { propertyId: string | null }) => Promise<SendingChannel | undefined>; sender: Pick<LineSender, 'quota'> }) {
  async function read(channel: SendingChannel | undefined): Promise<ChannelQuota> {
    if (!channel) return { known: false, limit: null, used: null, remaining: null, reason: 'no_channel' };
    try {
      const reading = await deps.sender.quota(channel);
      return { known: true, ...reading, reason: null };
    } catch {
      // A timeout or an error from LINE: the estimate says "unknown" rather than failing the builder.
      return { known: false, limit: null, used: null, remaining: null, reason: 'line_unreachable' };
    }
  }
  return {
    channelOf: (ctx: TenantContext, propertyId: string | null) => deps.channelFor(ctx, { propertyId }),
    read,
  };
}

export type QuotaReader = ReturnType<typeof createQuotaReader>;

/** A send exceeds the quota when it costs more than what is left this month (an unlimited or unknown quota never does). */
export function exceedsQuota(quota: ChannelQuota, messageCost: number): boolean {
  return quota.known && quota.remaining !== null && messageCost > quota.remaining;
}
