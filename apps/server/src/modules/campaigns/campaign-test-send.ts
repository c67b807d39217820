import { randomUUID } from 'node:crypto';
import { personalise } from '@innkeeper/contracts';
import type { TEST_SEND_FAILURES } from '@innkeeper/contracts/api';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.ts';
import { assertCan, type RequestContext, type TenantContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { queryRows } from '../../core/db/database.ts';
import { recordAudit } from '../audit/index.ts';
import { sendUntilSettled, type LineSender, type SendingChannel, type SendOutcome } from '../line/index.ts';
import { propertyScopeOf } from '../members/index.ts';
import type { SegmentsService } from '../segments/index.ts';
import { imagesOf } from './campaign-messages.ts';
import { assertMayChange } from './campaign-scope.ts';
import { recordTestRecipients } from './campaign-recipients.repository.ts';
import * as repo from './campaigns.repository.ts';
import { toLineMessages, type ImageUrls } from './line-messages.ts';

type TestSendFailure = (typeof TEST_SEND_FAILURES)[number];

export type TestSendOutcome = { memberId: string; outcome: 'accepted' | 'not_reachable' | 'failed'; cause: TestSendFailure | null; message: string };

/**
 * A test push's outcome as staff are told it: the cause as a code their language explains, and LINE's own words only
 * when LINE said them. A network error, a timeout or the channel's pacing are Innkeeper's own words (English, for the
 * logs), never shown as LINE's.
 */
export function testSendOutcomeOf(memberId: string, outcome: SendOutcome): TestSendOutcome {
  switch (outcome.kind) {
    case 'accepted':
      return { memberId, outcome: 'accepted', cause: null, message: '' };
    case 'rejected':
      return { memberId, outcome: 'failed', cause: 'line_refused', message: outcome.message };
    case 'quota_exhausted':
      return { memberId, outcome: 'failed', cause: 'quota_exhausted', message: outcome.message };
    case 'unauthorized':
      return { memberId, outcome: 'failed', cause: 'unauthorized', message: outcome.message };
    case 'retryable':
      return { memberId, outcome: 'failed', cause: 'gave_up', message: outcome.status === null ? '' : outcome.message };
  }
}

const ATTEMPTS = 3;
/** A test send needs no approval: a campaign's test sends reach at most this many distinct guests in all. */
export const TEST_GUESTS_PER_CAMPAIGN = 10;
/** …and one account's test sends, whatever the campaign, at most this many distinct guests in TEST_WINDOW_DAYS. */
export const TEST_GUESTS_PER_ACCOUNT = 20;
const TEST_WINDOW_DAYS = 30;

/**
 * A test send (campaigns.edit): the campaign's messages, personalised for each chosen guest, pushed one by one with a
 * fresh retry key each. Nothing is written as campaign delivery (no recipients, no batches), so test sends count for
 * neither the weekly cap nor the statistics; the audit log records who was sent what. Guests who are not following
 * the Official Account are reported, not sent to; marketing opt-in is not asked (the chosen guests are the staff's
 * own test accounts).
 */
export function createTestSender(deps: {
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'error'>;
  segments: SegmentsService;
  sender: Pick<LineSender, 'push'>;
  channelFor: (ctx: TenantContext, c: { propertyId: string | null }) => Promise<SendingChannel | undefined>;
  imageUrlsOf: (tenantId: TenantContext['tenantId'], images: ReadonlyArray<{ id: string; token: string }>) => ImageUrls;
  /** URL buttons go out as tracked links, as in the campaign itself. */
  trackedLinks: (ctx: TenantContext, campaign: { id: string; propertyId: string | null }) => Promise<(actionId: string) => string>;
}) {
  return async function testSend(ctx: RequestContext, campaignId: string, memberIds: string[]): Promise<{ results: TestSendOutcome[] }> {
    assertCan(ctx, 'campaigns.edit');
    const campaign = await repo.findCampaign(ctx.db, ctx.tenantId, campaignId, propertyScopeOf(ctx));
    if (!campaign) throw new AppError('campaign.not_found');
    assertMayChange(ctx, campaign);
    if (campaign.messages.length === 0) throw new AppError('campaign.test_send_no_messages');
    const unique = [...new Set(memberIds)];
    // Only guests the account may see (its tenant, its properties): another tenant's ids match nothing here.
    const audience = await deps.segments.deliveryAudience(ctx, { memberIds: unique }, propertyScopeOf(ctx));
    const guests = await queryRows<{ member_id: string; line_user_id: string | null; skip: string | null; placeholders: Record<string, string> }>(ctx.db, audience);
    const byId = new Map(guests.map((g) => [g.member_id, g]));
    const unknown = unique.filter((id) => !byId.has(id));
    if (unknown.length > 0) throw new AppError('campaign.test_send_unknown_guests', { count: unknown.length });
    const channel = await deps.channelFor(ctx, campaign);
    if (!channel) throw new AppError('campaign.no_channel');
    const images = await repo.findImages(ctx.db, ctx.tenantId, [...new Set(imagesOf(campaign.messages).map((r) => r.imageId))]);
    const imageUrls = deps.imageUrlsOf(ctx.tenantId, images);
    const trackUri = await deps.trackedLinks(ctx, campaign);
    const planned: Array<{ memberId: string; to: string; messages: ReturnType<typeof toLineMessages> }> = [];
    const results: TestSendOutcome[] = [];
    for (const id of unique) {
      const guest = byId.get(id)!;
      if (!guest.line_user_id || guest.skip === 'no_line' || guest.skip === 'blocked') {
        results.push({ memberId: id, outcome: 'not_reachable', cause: null, message: guest.skip ?? 'no_line' });
        continue;
      }
      planned.push({ memberId: id, to: guest.line_user_id, messages: toLineMessages(campaign.messages, { campaignId: campaign.id, imageUrls, trackUri, personalise: (text) => personalise(text, guest.placeholders) }) });
    }
    // At most TEST_GUESTS_PER_CAMPAIGN distinct guests over all of the campaign's test sends (see migration 0018).
    // Bounded per campaign and per account (migrations 0018, 0023), so drafts cannot stand in for an approved send.
    const now = deps.clock.now();
    const reached = await recordTestRecipients(ctx.db, ctx.tenantId, { campaignId: campaign.id, memberIds: planned.map((p) => p.memberId), sentBy: ctx.accountId, now, windowStart: new Date(now.getTime() - TEST_WINDOW_DAYS * 24 * 3600_000) });
    if (reached.campaign.after > TEST_GUESTS_PER_CAMPAIGN) throw new AppError('campaign.test_send_limit', { limit: TEST_GUESTS_PER_CAMPAIGN, used: reached.campaign.before });
    if (reached.account.after > TEST_GUESTS_PER_ACCOUNT) throw new AppError('campaign.test_send_account_limit', { limit: TEST_GUESTS_PER_ACCOUNT, days: TEST_WINDOW_DAYS, used: reached.account.before });
    await recordAudit(ctx, {
      action: 'campaign.test_sent',
      targetType: 'campaign',
      targetId: campaign.id,
      details: { version: campaign.version, sentTo: planned.map((p) => p.memberId), notReachable: results.map((r) => r.memberId) },
    });
    // The pushes go out after the request's transaction commits: the sender's per-channel pacing takes its own
    // database transaction, and no database connection should wait on LINE. The answer (this same object) is filled
    // in before it is sent, in the chosen order.
    const answer = { results: [] as TestSendOutcome[] };
    ctx.afterCommit(async () => {
      const sent = new Map<string, TestSendOutcome>(results.map((r) => [r.memberId, r]));
      for (const p of planned) {
        const retryKey = randomUUID();
        try {
          const outcome = await sendUntilSettled((attempt) => deps.sender.push(channel, { to: p.to, messages: p.messages, retryKey, attempt }), ATTEMPTS);
          if (outcome.kind === 'retryable') deps.logger.warn({ tenantId: ctx.tenantId, campaignId: campaign.id, reason: outcome.reason, error: outcome.message }, 'campaign test send: gave up after retries');
          sent.set(p.memberId, testSendOutcomeOf(p.memberId, outcome));
        } catch (error) {
          // Innkeeper's own failure: its words go to the log, not to the staff's screen.
          deps.logger.error({ err: error, tenantId: ctx.tenantId, campaignId: campaign.id }, 'campaign test send failed');
          sent.set(p.memberId, { memberId: p.memberId, outcome: 'failed', cause: 'error', message: '' });
        }
      }
      answer.results.push(...unique.map((id) => sent.get(id)!));
    });
    return answer;
  };
}

export type TestSender = ReturnType<typeof createTestSender>;
