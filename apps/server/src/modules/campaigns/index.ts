import { CAMPAIGN_FIELD_MESSAGES } from '@innkeeper/contracts';
import type { SQL } from 'drizzle-orm';
import { contribute, defineModule, extensionPoint, type Platform } from '../../core/module.ts';
import type { TenantId } from '../../core/ids.ts';
import { auditTargetLabelers } from '../audit/index.ts';
import { memberEraseHooks, memberMergeHooks, timelineOrigins, timelineSources, type MemberLineService } from '../members/index.ts';
import { postbackResolvers, type ChannelsService, type LineApi, type LineSender } from '../line/index.ts';
import type { SegmentsService } from '../segments/index.ts';
import { provenanceOrigins, tagUsageProviders, type TagsService } from '../tags/index.ts';
import { anonymiseClicksOf, moveClicks } from './campaign-clicks.repository.ts';
import { campaignClickRoutes, trackedRedirectRoutes } from './campaign-clicks.routes.ts';
import { createCampaignClicks, type AutomationLinks } from './campaign-clicks.ts';
import { createCampaignDelivery } from './campaign-delivery.ts';
import { createCampaignImagesService } from './campaign-images.service.ts';
import { campaignProvenanceOrigin, campaignTimelineOrigin } from './campaign-origins.ts';
import { deleteRecipientsOf, moveRecipients } from './campaign-recipients.repository.ts';
import { receivedCampaignsTimeline } from './campaign-timeline.ts';
import { createCampaignSettings } from './campaign-settings.service.ts';
import { createMarketingSends } from './campaign-sending.ts';
import { createQuotaReader } from './campaign-quota.ts';
import { createTestSender } from './campaign-test-send.ts';
import { campaignRoutes } from './campaigns.routes.ts';
import { createCampaignsService, labelCampaignsForAudit } from './campaigns.service.ts';

export type { CampaignsService } from './campaigns.service.ts';
export { aggregationUnitOf, LOST_BATCH_AFTER_MS, SEND_BATCH_JOB, type CampaignDelivery } from './campaign-delivery.ts';
export type { CampaignImagesService } from './campaign-images.service.ts';
export { toLineMessages, postbackData, type ImageUrls } from './line-messages.ts';
export type { CampaignMessage } from './campaign-messages.ts';
export { APPLY_CLICKS_JOB, type AutomationLinks, type CampaignClicks } from './campaign-clicks.ts';
export type { RuleLinkRef } from './campaign-links.ts';
export type { MarketingSends, MessageIssue } from './campaign-sending.ts';

/**
 * Other senders of marketing pushes (automation): each gives SQL selecting one member_id row per push LINE accepted
 * since an instant or in flight now (recorded before its first attempt), so the weekly cap counts them with
 * campaigns' own (campaign-sending.repository.ts).
 */
export const marketingPushSources = extensionPoint<(tenantId: TenantId, since: Date) => SQL>('campaigns.marketing-pushes');

/** The owner of automated sends' tracked URL buttons (modules/automation), see campaign-clicks.ts. */
export const automationLinks = extensionPoint<AutomationLinks>('campaigns.automation-links');

type Needs = { segments: SegmentsService; tags: TagsService; channels: ChannelsService; lineSender: LineSender; lineApi: LineApi; memberLine: MemberLineService };

export const campaignsModule = defineModule({
  name: 'campaigns',
  // settings.manage: the push settings (weekly cap, quiet hours) are the hotel's settings, kept with the campaigns they limit.
  permissions: ['campaigns.edit', 'campaigns.push', 'settings.manage'],
  fieldMessages: CAMPAIGN_FIELD_MESSAGES,
  create: ({ db, config, clock, keyring, logger, queue, extensions, segments, tags, channels, lineSender, lineApi, memberLine }: Platform & Needs) => {
    // Tracked URL buttons: the redirect, the click inbox and the job that tags the guests who clicked.
    const campaignClicks = createCampaignClicks({ db, clock, keyring, queue, logger, publicUrl: config.publicUrl, lineApi, channels, memberLine, tags, automationLinks: () => extensions.of(automationLinks) });
    // The engine that sends scheduled campaigns: a per-minute job starts due ones, one job per batch sends.
    const settings = createCampaignSettings({ clock });
    const campaignDelivery = createCampaignDelivery({ db, clock, queue, publicUrl: config.publicUrl, segments, settings, channels, sender: lineSender, otherPushes: () => extensions.of(marketingPushSources), trackedLinks: campaignClicks.linkBuilder });
    // The same limits, message model and channels for automation's sends (modules/automation).
    const marketingSends = createMarketingSends({ clock, settings, delivery: campaignDelivery, clicks: campaignClicks, otherPushes: () => extensions.of(marketingPushSources) });
    const quota = createQuotaReader({ channelFor: campaignDelivery.channelFor, sender: lineSender });
    const testSend = createTestSender({ clock, logger, segments, sender: lineSender, channelFor: campaignDelivery.channelFor, imageUrlsOf: campaignDelivery.imageUrlsOf, trackedLinks: campaignClicks.linkBuilder });
    const campaigns = createCampaignsService({ clock, publicUrl: config.publicUrl, segments, tags, delivery: campaignDelivery, quota, testSend });
    const campaignImages = createCampaignImagesService({ db, publicUrl: config.publicUrl });
    return {
      services: { campaigns, campaignImages, campaignDelivery, marketingSends, campaignClicks },
      jobs: [...campaignDelivery.jobs(), ...campaignClicks.jobs()],
      routes: [campaignRoutes({ campaigns, images: campaignImages }), campaignClickRoutes({ clicks: campaignClicks })],
      leanRoutes: [trackedRedirectRoutes({ clicks: campaignClicks })],
      contributes: [
        // Who uses a tag (a campaign's tags and its buttons'), what a tap on its buttons means, how the audit log names it.
        ...contribute(tagUsageProviders, campaigns.tagUsage),
        ...contribute(postbackResolvers, campaigns.postbackResolver),
        ...contribute(auditTargetLabelers, { campaign: labelCampaignsForAudit }),
        // A merged guest's outcomes follow the kept record; an erased guest's LINE user id leaves with them.
        ...contribute(memberMergeHooks, async (ctx, { keepId, mergedId }) => {
          await moveRecipients(ctx.db, ctx.tenantId, mergedId, keepId);
          await moveClicks(ctx.db, ctx.tenantId, mergedId, keepId);
        }),
        // "收到活動「…」" on the guest's timeline, read from the outcomes (no history row per recipient; campaign-timeline.ts).
        ...contribute(timelineSources, receivedCampaignsTimeline),
        // Another property's campaigns are not named to an account of other properties (campaign-origins.ts).
        ...contribute(timelineOrigins, campaignTimelineOrigin),
        ...contribute(provenanceOrigins, campaignProvenanceOrigin),
        ...contribute(memberEraseHooks, async (ctx, erased) => {
          await deleteRecipientsOf(ctx.db, ctx.tenantId, erased.memberId);
          await anonymiseClicksOf(ctx.db, ctx.tenantId, erased.memberId, erased.lineUserId);
        }),
      ],
    };
  },
});
