import { LINE_LIMITS } from '@innkeeper/contracts';
import type { RequestContext } from '../../core/context.ts';
import { fieldErrors } from '../../core/errors.ts';
import type { SegmentsService } from '../segments/index.ts';
import { listAllProperties } from '../tenants/index.ts';
import { segmentsAudienceOf } from './campaign-audience.ts';
import { messagesArePersonalised } from './campaign-messages.ts';
import { assertMayRead, managesProperty } from './campaign-scope.ts';
import type { createCampaignSettings } from './campaign-settings.service.ts';
import type { CampaignAudience } from './campaigns.schemas.ts';
import { exceedsQuota, type ChannelQuota, type QuotaReader } from './campaign-quota.ts';
import type { CampaignDelivery } from './campaign-delivery.ts';

/** LINE's multicast takes at most 500 recipients per request. */
const MULTICAST_BATCH = 500;

/** Placeholder until LINE is asked (after commit); `read` never fails, so no answer goes out with it. */
const NOT_READ: ChannelQuota = { known: false, limit: null, used: null, remaining: null, reason: 'line_unreachable' };

export function createEstimator(deps: { segments: SegmentsService; settings: ReturnType<typeof createCampaignSettings>; quota: QuotaReader; countCapped: CampaignDelivery['countCapped'] }) {
  /**
   * What a send would reach and cost. LINE counts one message per recipient of each push or multicast request,
   * however many (at most five) message objects the request carries; so the cost is the recipients.
   *
   * LINE's quota is asked after the request's transaction committed (`quota: 'after_commit'`, the default: the answer
   * is completed then, before it is sent), so no database connection and no row waits on LINE; an approval, which
   * decides on it inside its transaction, asks at once (`'now'`).
   */
  async function estimate(ctx: RequestContext, input: { propertyId: string | null; audience: CampaignAudience; holdoutPercent: number; messages: ReadonlyArray<{ type: string; text?: string | undefined }> }, options: { quota: 'now' | 'after_commit' } = { quota: 'after_commit' }) {
    assertMayRead(ctx);
    if (input.propertyId !== null) {
      const known = (await listAllProperties(ctx)).some((p) => p.id === input.propertyId);
      if (!known || !managesProperty(ctx, input.propertyId)) throw fieldErrors('body', [{ path: 'propertyId', message: 'field.campaign_property' }]);
    }
    if (input.audience.kind === 'segment') {
      try {
        await deps.segments.requireSegment(ctx, input.audience.segmentId);
      } catch {
        throw fieldErrors('body', [{ path: 'audience.segmentId', message: 'field.campaign_segment' }]);
      }
    }
    const scope = input.propertyId === null ? 'all' : [input.propertyId];
    const reach = await deps.segments.audienceReach(ctx, segmentsAudienceOf(input.audience), scope);
    const holdout = Math.floor((reach.reachable * input.holdoutPercent) / 100);
    // The weekly cap skips, of those not held out, the guests already at it: the holdout is drawn at random, so the
    // expected share of the capped left in the send is the share not held out.
    const cappedReachable = await deps.countCapped(ctx, segmentsAudienceOf(input.audience), scope);
    const capped = Math.min(reach.reachable - holdout, Math.round((cappedReachable * (reach.reachable - holdout)) / Math.max(1, reach.reachable)));
    const recipients = reach.reachable - holdout - capped;
    const personalised = messagesArePersonalised(input.messages);
    const requestsPerRecipient = Math.max(1, Math.ceil(input.messages.length / LINE_LIMITS.messagesPerRequest));
    const limits = await deps.settings.getSettings(ctx);
    const messageCost = recipients * requestsPerRecipient;
    const channel = await deps.quota.channelOf(ctx, input.propertyId);
    const answer = {
      audience: reach.total,
      noLine: reach.noLine,
      blocked: reach.blocked,
      noConsent: reach.noConsent,
      reachable: reach.reachable,
      holdout,
      capped,
      recipients,
      messageObjects: input.messages.length,
      personalised,
      requests: recipients === 0 ? 0 : personalised ? recipients * requestsPerRecipient : Math.ceil(recipients / MULTICAST_BATCH) * requestsPerRecipient,
      messageCost,
      frequencyCapPerWeek: limits.weeklyCap,
      quietHours: limits.quietHours,
      quota: NOT_READ as ChannelQuota,
      exceedsQuota: false,
    };
    const readQuota = async () => {
      answer.quota = await deps.quota.read(channel);
      answer.exceedsQuota = exceedsQuota(answer.quota, messageCost);
    };
    if (options.quota === 'now') await readQuota();
    else ctx.afterCommit(readQuota);
    return answer;
  }

  return estimate;
}
