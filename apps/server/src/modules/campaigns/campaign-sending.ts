import type { messagingApi } from '@line/bot-sdk';
import { personalise } from '@innkeeper/contracts';
import type { Clock } from '../../core/clock.ts';
import type { SQL } from 'drizzle-orm';
import type { TenantContext } from '../../core/context.ts';
import type { TenantId } from '../../core/ids.ts';
import type { SendingChannel } from '../line/index.ts';
import { getCurrentTenant } from '../tenants/index.ts';
import type { CampaignClicks } from './campaign-clicks.ts';
import { inQuietHours, type CampaignDelivery } from './campaign-delivery.ts';
import { imagesOf as imagesOfMessages, type CampaignMessage } from './campaign-messages.ts';
import type { createCampaignSettings } from './campaign-settings.service.ts';
import { campaignPushesSince, countPushesOf, lockWeeklyCapForGuest } from './campaign-sending.repository.ts';
import * as repo from './campaigns.repository.ts';
import { toLineMessages } from './line-messages.ts';
import { imageAndSizeIssues, withActionIds, type MessageIssue } from './message-checks.ts';
import { instantToLocal, localToInstant } from './local-time.ts';

export type { MessageIssue } from './message-checks.ts';

/**
 * What campaigns share with other senders of marketing messages (automation): the hotel's push limits (weekly cap,
 * quiet hours) as the delivery engine applies them, the campaign message model checked and turned into LINE messages
 * (images served from the campaign image store), and the channel a property sends on. One implementation, so an
 * automated message obeys the same rules and looks the same as a campaign's.
 */
export function createMarketingSends(deps: {
  clock: Clock;
  settings: ReturnType<typeof createCampaignSettings>;
  delivery: Pick<CampaignDelivery, 'channelFor' | 'imageUrlsOf'>;
  clicks: Pick<CampaignClicks, 'ruleLinkBuilder' | 'ruleClickCounts'>;
  /** Other senders' marketing pushes that count (marketingPushSources): one member_id row per push. */
  otherPushes: () => Array<(tenantId: TenantId, since: Date) => SQL>;
}) {
  /** When the hotel's quiet hours hold `at`, the instant they end (the first minute a push may go out); otherwise null. */
  async function quietUntil(ctx: TenantContext, at: Date): Promise<Date | null> {
    const { quietHours } = await deps.settings.getSettings(ctx);
    if (!quietHours) return null;
    const { timezone } = await getCurrentTenant(ctx);
    const local = instantToLocal(at, timezone);
    const hhmm = local.slice(11, 16);
    if (!inQuietHours(hhmm, quietHours)) return null;
    // The window ends today if its end is still ahead (02:00 in 22:00–08:00), otherwise tomorrow (23:00).
    const day = new Date(`${local.slice(0, 10)}T00:00:00Z`);
    if (hhmm >= quietHours.end) day.setUTCDate(day.getUTCDate() + 1);
    return localToInstant(`${day.toISOString().slice(0, 10)}T${quietHours.end}`, timezone) ?? null;
  }

  /**
   * Whether one more marketing push to the guest fits the weekly cap (campaigns' and every other sender's pushes of
   * the seven days before `at`, those in flight included). Takes the guest's cap lock until the caller's transaction
   * ends (campaign-sending.repository.ts): the caller records its push, so that it counts, in that transaction.
   */
  async function withinWeeklyCap(ctx: TenantContext, memberId: string, at: Date): Promise<boolean> {
    const { weeklyCap } = await deps.settings.getSettings(ctx);
    if (weeklyCap === null) return true;
    await lockWeeklyCapForGuest(ctx.db, ctx.tenantId, memberId);
    const since = new Date(at.getTime() - 7 * 24 * 3600_000);
    const sources = [campaignPushesSince(ctx.tenantId, since), ...deps.otherPushes().map((pushesSince) => pushesSince(ctx.tenantId, since))];
    return (await countPushesOf(ctx.db, memberId, sources)) < weeklyCap;
  }

  /**
   * Messages as a campaign's are checked when saved (images this tenant's, thumbnails narrow enough, Flex JSON within
   * LINE's size), with every button given a stable id. `path` prefixes the field paths of the issues.
   */
  async function checkMessages(ctx: TenantContext, messages: CampaignMessage[], path: string): Promise<{ messages: CampaignMessage[]; issues: MessageIssue[] }> {
    const { issues } = withActionIds(messages, path);
    const images = await repo.findImages(ctx.db, ctx.tenantId, [...new Set(imagesOfMessages(messages).map((r) => r.imageId))]);
    issues.push(...imageAndSizeIssues(messages, images, { imageUrls: deps.delivery.imageUrlsOf(ctx.tenantId, images), prefix: path }));
    return { messages, issues };
  }

  /**
   * The LINE messages for one guest: personalised text, images from the campaign image store, and each postback
   * button's data as the caller names it (`postbackData(actionId)`, at most 300 characters), so a tap comes back to
   * the sender that resolves it; URL buttons as tracked links when `trackUri` names them (see `ruleLinks`).
   */
  async function lineMessagesFor(
    ctx: TenantContext,
    messages: readonly CampaignMessage[],
    options: { placeholders: Record<string, string>; postbackData: (actionId: string) => string; trackUri?: ((actionId: string) => string) | undefined },
  ): Promise<messagingApi.Message[]> {
    const images = await repo.findImages(ctx.db, ctx.tenantId, [...new Set(imagesOfMessages(messages).map((r) => r.imageId))]);
    const built = toLineMessages(messages, { campaignId: '', imageUrls: deps.delivery.imageUrlsOf(ctx.tenantId, images), personalise: (text) => personalise(text, options.placeholders), trackUri: options.trackUri });
    return rewritePostbacks(built, options.postbackData);
  }

  /** The images the messages show, as the campaign editor describes them (with the URLs LINE fetches them from). */
  async function imagesOf(ctx: TenantContext, messages: readonly CampaignMessage[]) {
    const images = await repo.findImages(ctx.db, ctx.tenantId, [...new Set(imagesOfMessages(messages).map((r) => r.imageId))]);
    const urls = deps.delivery.imageUrlsOf(ctx.tenantId, images);
    return images.map((image) => ({ id: image.id, url: urls(image.id).original, previewUrl: urls(image.id).preview, width: image.width, height: image.height, byteSize: image.byteSize, contentType: image.contentType, fileName: image.fileName }));
  }

  /**
   * The URL buttons of one guest's automated send as tracked links: the guest's clicks are counted, and the LIFF page
   * names them by their ID token so the owner of the links (automationLinks) gives the button's tags, as a
   * campaign's links do.
   */
  function ruleLinks(ctx: TenantContext, owner: { propertyId: string | null }, run: { runId: string; stepIndex: number }): Promise<(actionId: string) => string> {
    return deps.clicks.ruleLinkBuilder(ctx, owner, run);
  }

  /** An automation rule's clicks on its URL buttons per send step (repeats and anonymous ones included). */
  function ruleLinkClicks(ctx: TenantContext, ruleId: string): Promise<Array<{ step: number; clicks: number }>> {
    return deps.clicks.ruleClickCounts(ctx, ruleId);
  }

  function channelFor(ctx: TenantContext, owner: { propertyId: string | null }): Promise<SendingChannel | undefined> {
    return deps.delivery.channelFor(ctx, owner);
  }

  return { quietUntil, withinWeeklyCap, checkMessages, lineMessagesFor, ruleLinks, ruleLinkClicks, imagesOf, channelFor };
}

export type MarketingSends = ReturnType<typeof createMarketingSends>;

/** Every postback action in the messages (templates and Flex buttons alike) gets its data from `dataOf(actionId)`. */
function rewritePostbacks<T>(value: T, dataOf: (actionId: string) => string): T {
  if (Array.isArray(value)) return value.map((item) => rewritePostbacks(item, dataOf)) as T;
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if (object.type === 'postback' && typeof object.data === 'string') {
    const actionId = new URLSearchParams(object.data).get('action') ?? '';
    return { ...object, data: dataOf(actionId) } as T;
  }
  return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, rewritePostbacks(inner, dataOf)])) as T;
}
