import type { TimelineSource } from '../members/index.ts';
import { findReceivedCampaigns } from './campaign-recipients.repository.ts';

/**
 * "收到活動「平日商務優惠」" on a guest's timeline, for each campaign LINE accepted for them.
 *
 * Why it is read, not written: a campaign to a million guests would otherwise write a million interaction rows, one
 * per recipient, in the batches' transactions (doubling what a send writes and growing the history table by the
 * audience on every send). The delivery engine already stores each recipient's outcome with the time LINE accepted it
 * (campaign_recipient_outcomes: a recipient's row, kept per member through merges and removed on erasure, with its
 * batch's outcome; migration 0055), indexed by member (0037). So the timeline reads those rows for the one member it shows, alongside the
 * interactions, through the members module's `timelineSources`: an index range scan of that guest's few campaigns, no
 * write on the send path. Test sends (staff's own phones) are not shown: they are not the hotel's marketing.
 */
export const receivedCampaignsTimeline: TimelineSource = async (ctx, memberId, page) =>
  (await findReceivedCampaigns(ctx.db, ctx.tenantId, memberId, page)).map((row) => ({
    // The campaign's id: a guest receives a campaign once, so it is unique on their timeline (and a uuid, for the cursor).
    id: row.campaign_id,
    occurredAt: new Date(row.accepted_at),
    type: 'campaign_received',
    actorType: 'campaign',
    actorRef: row.campaign_id,
    actorLabel: row.name,
    campaignId: row.campaign_id,
    actionId: null,
    tagId: null,
    details: { campaignName: row.name },
  }));
