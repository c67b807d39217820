import { CAMPAIGN_STATUSES, type CampaignStatus } from '@innkeeper/contracts';
import type { Clock } from '../../core/clock.ts';
import { assertCan, can, type RequestContext, type TenantContext } from '../../core/context.ts';
import { AppError, fieldErrors } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { accountDisplayNames } from '../accounts/index.ts';
import { recordAudit } from '../audit/index.ts';
import { propertyScopeOf } from '../members/index.ts';
import { labelSegmentsForAudit, type SegmentsService } from '../segments/index.ts';
import { mayGiveOnClick, type TagsService, type TagUsageProvider } from '../tags/index.ts';
import type { TagKind } from '@innkeeper/contracts';
import { getCurrentTenant, listAllProperties } from '../tenants/index.ts';
import type { CampaignDelivery } from './campaign-delivery.ts';
import { createEstimator } from './campaign-estimate.ts';
import type { QuotaReader } from './campaign-quota.ts';
import type { TestSender } from './campaign-test-send.ts';
import { actionsOf, imagesOf, messagesArePersonalised } from './campaign-messages.ts';
import { campaignPostbackResolver } from './campaign-postbacks.ts';
import { assertMayChange, assertMayRead, managesProperty, maySeeAll } from './campaign-scope.ts';
import { statusDetailOf } from './campaign-status.ts';
import { createCampaignSettings } from './campaign-settings.service.ts';
import * as repo from './campaigns.repository.ts';
import type { CampaignImageRow, CampaignRow } from './campaigns.repository.ts';
import type { CampaignCreate, CampaignPatch } from './campaigns.schemas.ts';
import type { ImageUrls } from './line-messages.ts';
import { imageAndSizeIssues, withActionIds, withSwitchedIdsDropped } from './message-checks.ts';
import { localToInstant } from './local-time.ts';

type Issue = { path: string; message: string };

/** The most tags a campaign gives, its own and its buttons' together (the request's limit for the campaign's own). */
const MAX_CAMPAIGN_TAGS = 20;

/**
 * The tags a campaign can give: those chosen for it and those its buttons give, each once. A button's click tag is
 * chosen right on the button, so it need not be picked for the campaign first; the click applier, the postback
 * resolver and the tag's deletion check read the campaign's tags, and find it there.
 */
function withButtonTags(tagIds: readonly string[], messages: CampaignRow['messages']): string[] {
  return [...new Set([...tagIds, ...actionsOf(messages).flatMap(({ action }) => action.tagIds)])];
}

/** How far ahead a send may be scheduled: a year (a later date is a typo such as 9999, or a campaign not yet planned). */
const MAX_SCHEDULE_DAYS_AHEAD = 365;

/**
 * Why a send time is outside the window staff may schedule in, or undefined: not after the campaign's last day (an
 * offer pushed once it has ended misleads guests) and at most a year ahead. Before the first day is allowed: hotels
 * announce an offer before it starts.
 */
function sendWindowIssue(local: string, instant: Date, now: Date, endsOn: string | null): 'field.campaign_schedule_after_period' | 'field.campaign_schedule_too_far' | undefined {
  if (endsOn !== null && local.slice(0, 10) > endsOn) return 'field.campaign_schedule_after_period';
  if (instant.getTime() > now.getTime() + MAX_SCHEDULE_DAYS_AHEAD * 86_400_000) return 'field.campaign_schedule_too_far';
  return undefined;
}

/** Who may withdraw an approval: an account with the push permission, or the campaign's author (campaigns.edit). */
function withdrawerOf(ctx: RequestContext, campaign: Pick<CampaignRow, 'createdBy'>): 'approver' | 'author' | undefined {
  if (can(ctx, 'campaigns.push')) return 'approver';
  if (can(ctx, 'campaigns.edit') && campaign.createdBy !== null && campaign.createdBy === ctx.accountId) return 'author';
  return undefined;
}

/**
 * Pausing and resuming a send: the status each starts from, goes to, the reason it sets and what the audit log says.
 * A resume says again that the audience was cut short, if it was (the pause's reason stood over it: repo.resumeReason).
 */
const SEND_STEPS = {
  pause: { from: 'sending', to: 'paused', reason: { statusReason: 'paused_by_staff', statusParams: {} }, action: 'campaign.paused' },
  resume: { from: 'paused', to: 'sending', reason: repo.resumeReason, action: 'campaign.resumed' },
} as const satisfies Record<string, { from: CampaignStatus; to: CampaignStatus; reason: object; action: string }>;

/**
 * Campaign authoring: drafts by accounts with campaigns.edit; approving and scheduling only with campaigns.push.
 * Property scope (decision 0006 applied to campaigns): an account limited to some properties sees its properties'
 * campaigns and the group-wide ones, and changes only its properties' campaigns; a group-wide campaign reaches every
 * member, so only an account of all properties may change it. Every status change is one compare-and-set UPDATE.
 */
export function createCampaignsService(deps: { clock: Clock; publicUrl: string; segments: SegmentsService; tags: Pick<TagsService, 'requireTag' | 'holdTags'>; delivery: Pick<CampaignDelivery, 'requeueBatches' | 'cancelUnsent' | 'progress' | 'startSoon' | 'countCapped' | 'outcomes'>; quota: QuotaReader; testSend: TestSender }) {
  const { clock } = deps;
  const settings = createCampaignSettings({ clock });
  const estimate = createEstimator({ segments: deps.segments, settings, quota: deps.quota, countCapped: deps.delivery.countCapped });

  async function requireCampaign(ctx: TenantContext, id: string): Promise<CampaignRow> {
    const campaign = await repo.findCampaign(ctx.db, ctx.tenantId, id, propertyScopeOf(ctx));
    if (!campaign) throw new AppError('campaign.not_found');
    return campaign;
  }

  function imageUrls(ctx: TenantContext, images: readonly CampaignImageRow[]): ImageUrls {
    const byId = new Map(images.map((image) => [image.id, image]));
    return (imageId) => {
      const token = byId.get(imageId)?.token ?? 'missing';
      const base = `${deps.publicUrl}/media/campaign-images/${ctx.tenantId}/${token}`;
      return { original: `${base}/original`, preview: `${base}/preview` };
    };
  }

  function imageDto(ctx: TenantContext, image: CampaignImageRow) {
    const urls = imageUrls(ctx, [image])(image.id);
    return { id: image.id, url: urls.original, previewUrl: urls.preview, width: image.width, height: image.height, byteSize: image.byteSize, contentType: image.contentType, fileName: image.fileName };
  }

  /**
   * What the schema cannot know: the property, tags, images and segment must be this tenant's (and the property the
   * caller's); the campaign's and its buttons' tags are this tenant's activity tags (活動標籤: a tap gives no basic
   * member tag such as VIP), each reported where it was chosen; a thumbnail is at most 1,024 px wide; Flex JSON fits LINE.
   */
  async function checkReferences(ctx: TenantContext, campaignId: string, c: Pick<CampaignRow, 'propertyId' | 'tagIds' | 'messages' | 'audience'>): Promise<CampaignImageRow[]> {
    const issues: Issue[] = [];
    if (c.propertyId !== null) {
      const known = (await listAllProperties(ctx)).some((p) => p.id === c.propertyId);
      if (!known || !managesProperty(ctx, c.propertyId)) issues.push({ path: 'propertyId', message: 'field.campaign_property' });
    } else if (!maySeeAll(ctx)) {
      throw new AppError('campaign.property_out_of_scope');
    }
    const known = new Map<string, Promise<TagKind | undefined>>();
    const kindOf = (tagId: string) => known.get(tagId) ?? known.set(tagId, deps.tags.requireTag(ctx, tagId).then((tag) => tag.kind, () => undefined)).get(tagId)!;
    // Each tag the campaign gives exists and is an activity tag: a tap gives no basic member tag (mayGiveOnClick).
    const tagIssue = async (tagId: string) => {
      const kind = await kindOf(tagId);
      return kind === undefined ? 'field.campaign_tag' : mayGiveOnClick({ kind }) ? undefined : 'field.campaign_click_tag_kind';
    };
    for (const [i, tagId] of c.tagIds.entries()) {
      const issue = await tagIssue(tagId);
      if (issue) issues.push({ path: `tagIds.${i}`, message: issue });
    }
    // A button's tag is chosen on the button (staff need not pick it for the campaign first): it is one of the
    // campaign's tags from then on (withButtonTags), checked here where staff chose it.
    for (const { action, path } of actionsOf(c.messages)) {
      for (const [i, tagId] of action.tagIds.entries()) {
        const issue = await tagIssue(tagId);
        if (issue) issues.push({ path: `${path}.tagIds.${i}`, message: issue });
      }
    }
    if (withButtonTags(c.tagIds, c.messages).length > MAX_CAMPAIGN_TAGS) issues.push({ path: 'tagIds', message: 'field.campaign_tags_too_many' });
    const images = await repo.findImages(ctx.db, ctx.tenantId, [...new Set(imagesOf(c.messages).map((r) => r.imageId))]);
    if (c.audience.kind === 'segment') {
      try {
        await deps.segments.requireSegment(ctx, c.audience.segmentId);
      } catch {
        issues.push({ path: 'audience.segmentId', message: 'field.campaign_segment' });
      }
    }
    // Conditions of its own name tags and properties too: unknown ones are refused when saved, not when sent.
    if (c.audience.kind === 'conditions') issues.push(...(await definitionIssues(ctx, c.audience.definition)));
    issues.push(...imageAndSizeIssues(c.messages, images, { imageUrls: imageUrls(ctx, images), campaignId }));
    if (issues.length > 0) throw fieldErrors('body', issues);
    return images;
  }

  async function definitionIssues(ctx: TenantContext, definition: Extract<CampaignRow['audience'], { kind: 'conditions' }>['definition']): Promise<Issue[]> {
    try {
      await deps.segments.checkDefinition(ctx, definition);
      return [];
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'tag.not_found') return [{ path: 'audience.definition', message: 'field.campaign_tag' }];
      const nested = (error.details as { issues?: Issue[] } | undefined)?.issues;
      if (error.code === 'request.validation' && nested) return nested.map((issue) => ({ path: `audience.${issue.path}`, message: issue.message }));
      throw error;
    }
  }

  function toDto(ctx: RequestContext, row: CampaignRow, images: readonly CampaignImageRow[], names: ReadonlyMap<string, string>) {
    const mayChange = managesProperty(ctx, row.propertyId);
    const detail = statusDetailOf(row);
    const shown = new Set(imagesOf(row.messages).map((r) => r.imageId));
    return {
      id: row.id,
      name: row.name,
      propertyId: row.propertyId,
      startsOn: row.startsOn,
      endsOn: row.endsOn,
      status: row.status,
      statusReason: row.statusReason,
      statusDetail: detail && { reason: detail.reason, cause: detail.cause, code: detail.code, by: detail.byAccountId ? (names.get(detail.byAccountId) ?? null) : null, at: detail.at, failed: detail.failed, attempted: detail.attempted, lineMessage: detail.lineMessage },
      messages: row.messages,
      tagIds: row.tagIds,
      audience: row.audience,
      holdoutPercent: row.holdoutPercent,
      personalised: messagesArePersonalised(row.messages),
      version: row.version,
      scheduledAt: row.scheduledAt,
      approvedBy: row.approvedBy,
      approvedByName: row.approvedBy ? (names.get(row.approvedBy) ?? null) : null,
      approvedAt: row.approvedAt,
      createdBy: row.createdBy,
      createdByName: row.createdBy ? (names.get(row.createdBy) ?? null) : null,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      images: images.filter((image) => shown.has(image.id)).map((image) => imageDto(ctx, image)),
      may: {
        edit: mayChange && row.status === 'draft' && can(ctx, 'campaigns.edit'),
        schedule: mayChange && row.status === 'draft' && can(ctx, 'campaigns.push'),
        cancel: mayChange && (row.status === 'draft' ? can(ctx, 'campaigns.edit') || can(ctx, 'campaigns.push') : ['scheduled', 'sending', 'paused'].includes(row.status) && can(ctx, 'campaigns.push')),
        unschedule: mayChange && row.status === 'scheduled' && withdrawerOf(ctx, row) !== undefined,
        pause: mayChange && row.status === 'sending' && can(ctx, 'campaigns.push'),
        resume: mayChange && row.status === 'paused' && can(ctx, 'campaigns.push'),
      },
    };
  }

  async function dtoOf(ctx: RequestContext, row: CampaignRow, images?: readonly CampaignImageRow[]) {
    images ??= await repo.findImages(ctx.db, ctx.tenantId, [...new Set(imagesOf(row.messages).map((r) => r.imageId))]);
    return toDto(ctx, row, images, await peopleOf(ctx, row));
  }

  /**
   * Who wrote it, approved it, and cancelled or paused it, by name: the accounts module's display names of this hotel
   * group's accounts (any colleague who may read the campaign may read them; a disabled account keeps its name). An id
   * that names no account of the tenant (one removed since) gets no name, and the page says so.
   */
  function peopleOf(ctx: RequestContext, row: CampaignRow): Promise<Map<string, string>> {
    const ids = [row.createdBy, row.approvedBy, statusDetailOf(row)?.byAccountId].filter((id): id is string => typeof id === 'string' && id !== '');
    return accountDisplayNames(ctx, [...new Set(ids)]);
  }

  async function listCampaigns(ctx: RequestContext, query: { status?: CampaignStatus | undefined; page: number; pageSize: number }) {
    assertMayRead(ctx);
    const scope = propertyScopeOf(ctx);
    const byStatus = await repo.countCampaignsByStatus(ctx.db, ctx.tenantId, scope);
    const counts = Object.fromEntries(CAMPAIGN_STATUSES.map((status) => [status, byStatus.get(status) ?? 0])) as Record<CampaignStatus, number>;
    const total = query.status ? counts[query.status] : Object.values(counts).reduce((a, b) => a + b, 0);
    const rows = await repo.findCampaigns(ctx.db, ctx.tenantId, scope, query.status, { limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
    const segmentIds = [...new Set(rows.flatMap((r) => (r.audience.kind === 'segment' ? [r.audience.segmentId] : [])))];
    const segmentNames = segmentIds.length > 0 ? await labelSegmentsForAudit(ctx, segmentIds) : new Map<string, string>();
    const outcomes = await deps.delivery.outcomes(ctx, rows.filter((r) => ['sending', 'paused', 'sent', 'failed', 'cancelled'].includes(r.status)).map((r) => r.id));
    return {
      data: rows.map((row) => ({
        id: row.id,
        name: row.name,
        propertyId: row.propertyId,
        startsOn: row.startsOn,
        endsOn: row.endsOn,
        status: row.status,
        audience: row.audience,
        holdoutPercent: row.holdoutPercent,
        scheduledAt: row.scheduledAt,
        version: row.version,
        updatedAt: row.updatedAt,
        messageCount: row.messages.length,
        segmentName: row.audience.kind === 'segment' ? (segmentNames.get(row.audience.segmentId) ?? null) : null,
        outcome: outcomes.get(row.id) ?? null,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
      counts,
    };
  }

  async function getCampaign(ctx: RequestContext, id: string) {
    assertMayRead(ctx);
    return dtoOf(ctx, await requireCampaign(ctx, id));
  }

  async function createCampaign(ctx: RequestContext, input: CampaignCreate) {
    assertCan(ctx, 'campaigns.edit');
    const id = newId();
    const { messages, issues } = withActionIds(input.messages);
    if (issues.length > 0) throw fieldErrors('body', issues);
    const images = await checkReferences(ctx, id, { propertyId: input.propertyId, tagIds: input.tagIds, messages, audience: input.audience });
    const now = clock.now();
    const row = await repo.insertCampaign(ctx.db, {
      tenantId: ctx.tenantId,
      id,
      name: input.name,
      propertyId: input.propertyId,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      messages,
      tagIds: withButtonTags(input.tagIds, messages),
      audience: input.audience,
      holdoutPercent: input.holdoutPercent,
      createdBy: ctx.accountId,
      updatedBy: ctx.accountId,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(ctx, { action: 'campaign.created', targetType: 'campaign', targetId: id, details: { name: row.name, propertyId: row.propertyId, messages: messages.length } });
    return dtoOf(ctx, row, images);
  }

  async function updateCampaign(ctx: RequestContext, id: string, patch: CampaignPatch) {
    assertCan(ctx, 'campaigns.edit');
    const current = await requireCampaign(ctx, id);
    assertMayChange(ctx, current);
    if (current.status !== 'draft') throw new AppError('campaign.wrong_status', { status: current.status });
    const { version, ...changes } = patch;
    if (version !== undefined && version !== current.version) throw new AppError('campaign.changed', { version: current.version });
    // Nothing to change: the campaign as it is, with no new version (an approval of the current one stays valid).
    if (Object.keys(changes).length === 0) return dtoOf(ctx, current);
    const { messages, issues } = withActionIds(changes.messages ? withSwitchedIdsDropped(current.messages, changes.messages) : current.messages);
    if (issues.length > 0) throw fieldErrors('body', issues);
    const next = { propertyId: changes.propertyId !== undefined ? changes.propertyId : current.propertyId, tagIds: changes.tagIds ?? current.tagIds, messages, audience: changes.audience ?? current.audience };
    const startsOn = changes.startsOn !== undefined ? changes.startsOn : current.startsOn;
    const endsOn = changes.endsOn !== undefined ? changes.endsOn : current.endsOn;
    if (startsOn && endsOn && endsOn < startsOn) throw fieldErrors('body', [{ path: 'endsOn', message: 'field.campaign_period' }]);
    const images = await checkReferences(ctx, id, next);
    const row = await repo.updateDraft(ctx.db, ctx.tenantId, id, { ...changes, messages, tagIds: withButtonTags(next.tagIds, messages), updatedBy: ctx.accountId }, version ?? current.version, clock.now());
    // The row changed between the read and the write (an approval or another edit): nothing was written.
    if (!row) throw await conflictFor(ctx, id, version ?? current.version);
    await recordAudit(ctx, { action: 'campaign.updated', targetType: 'campaign', targetId: id, details: { fields: Object.keys(changes), version: row.version } });
    return dtoOf(ctx, row, images);
  }

  async function deleteCampaign(ctx: RequestContext, id: string): Promise<void> {
    assertCan(ctx, 'campaigns.edit');
    const current = await requireCampaign(ctx, id);
    assertMayChange(ctx, current);
    if (!(await repo.deleteDraft(ctx.db, ctx.tenantId, id))) throw await conflictFor(ctx, id, undefined);
    await recordAudit(ctx, { action: 'campaign.deleted', targetType: 'campaign', targetId: id, details: { name: current.name } });
  }

  /** Why a compare-and-set matched nothing: the status moved on, or (for a draft) the version did. */
  async function conflictFor(ctx: TenantContext, id: string, version: number | undefined): Promise<AppError> {
    const now = await requireCampaign(ctx, id);
    if (now.status !== 'draft' || version === undefined) return new AppError('campaign.wrong_status', { status: now.status });
    return new AppError('campaign.changed', { version: now.version });
  }

  /**
   * Approve and schedule (campaigns.push): the version the approver reviewed, sent at a local time in the hotel's
   * time zone (never in the past) or now. Complete campaigns only: at least one message, every reference valid.
   */
  async function scheduleCampaign(ctx: RequestContext, id: string, request: { version: number; sendAt?: string | undefined; now?: true | undefined; confirmOverQuota?: true | undefined }) {
    assertCan(ctx, 'campaigns.push');
    const current = await requireCampaign(ctx, id);
    assertMayChange(ctx, current);
    if (current.status !== 'draft') throw new AppError('campaign.wrong_status', { status: current.status });
    if (current.version !== request.version) throw new AppError('campaign.changed', { version: current.version });
    if (current.messages.length === 0) throw fieldErrors('body', [{ path: 'messages', message: 'field.campaign_messages_required' }]);
    // Its tags held until this commits, then checked: a tag deleted at this moment either waits and sees the approved
    // campaign (tag.in_use), or went first and is reported missing here.
    await deps.tags.holdTags(ctx, withButtonTags(current.tagIds, current.messages));
    await checkReferences(ctx, id, current);
    const tenant = await getCurrentTenant(ctx);
    const now = clock.now();
    let sendAt = now;
    if (request.sendAt) {
      const instant = localToInstant(request.sendAt, tenant.timezone);
      if (!instant) throw fieldErrors('body', [{ path: 'sendAt', message: 'field.campaign_datetime' }]);
      // The minute under way counts as now; an earlier one is refused.
      if (instant.getTime() < Math.floor(now.getTime() / 60_000) * 60_000) throw fieldErrors('body', [{ path: 'sendAt', message: 'field.campaign_schedule_past' }]);
      const window = sendWindowIssue(request.sendAt, instant, now, current.endsOn);
      if (window) throw fieldErrors('body', [{ path: 'sendAt', message: window }]);
      sendAt = instant;
    }
    // The cost against the channel's remaining monthly quota: exceeding it needs the approver's explicit confirmation.
    const cost = await estimate(ctx, { propertyId: current.propertyId, audience: current.audience, holdoutPercent: current.holdoutPercent, messages: current.messages }, { quota: 'now' });
    if (cost.exceedsQuota && request.confirmOverQuota !== true) throw new AppError('campaign.over_quota', { cost: cost.messageCost, remaining: cost.quota.remaining ?? 0 });
    const row = await repo.transition(ctx.db, ctx.tenantId, id, { from: ['draft'], to: 'scheduled', version: request.version, set: { scheduledAt: sendAt, approvedBy: ctx.accountId, approvedAt: now, updatedBy: ctx.accountId, statusReason: '', statusParams: {} } }, now);
    if (!row) throw await conflictFor(ctx, id, request.version);
    // Due already (send now, or the minute under way): it starts as soon as this commits, not at the next minute's run.
    if (sendAt.getTime() <= now.getTime()) await deps.delivery.startSoon(ctx);
    await recordAudit(ctx, { action: 'campaign.scheduled', targetType: 'campaign', targetId: id, details: { scheduledAt: sendAt.toISOString(), timezone: tenant.timezone, version: row.version, sendNow: request.now === true, messageCost: cost.messageCost, quotaRemaining: cost.quota.remaining, overQuotaConfirmed: cost.exceedsQuota } });
    return dtoOf(ctx, row);
  }

  /**
   * Back to draft before it sends (to change it): the approval is withdrawn. An approval is the push permission's
   * decision, so withdrawing it is too; the one exception is the campaign's author (campaigns.edit), who may take back
   * their own campaign to correct it — withdrawing sends nothing, and the corrected draft needs a new approval. Another
   * editor may not stop a colleague's approved send.
   */
  async function unscheduleCampaign(ctx: RequestContext, id: string) {
    assertMayRead(ctx);
    const current = await requireCampaign(ctx, id);
    assertMayChange(ctx, current);
    const as = withdrawerOf(ctx, current);
    if (!as) throw new AppError('auth.forbidden', { permission: 'campaigns.push' });
    const row = await repo.transition(ctx.db, ctx.tenantId, id, { from: ['scheduled'], to: 'draft', set: { scheduledAt: null, approvedBy: null, approvedAt: null, updatedBy: ctx.accountId } }, clock.now());
    if (!row) throw await conflictFor(ctx, id, undefined);
    await recordAudit(ctx, { action: 'campaign.unscheduled', targetType: 'campaign', targetId: id, details: { wasScheduledAt: current.scheduledAt?.toISOString() ?? null, approvedBy: current.approvedBy, as } });
    return dtoOf(ctx, row);
  }

  /** Cancel a draft (campaigns.edit or push) or a scheduled campaign (campaigns.push). Sending ones are the engine's. */
  async function cancelCampaign(ctx: RequestContext, id: string) {
    assertMayRead(ctx);
    const current = await requireCampaign(ctx, id);
    assertMayChange(ctx, current);
    const from: CampaignStatus[] = can(ctx, 'campaigns.push') ? ['draft', 'scheduled', 'sending', 'paused'] : ['draft'];
    if (current.status !== 'draft' && !can(ctx, 'campaigns.push')) throw new AppError('auth.forbidden', { permission: 'campaigns.push' });
    const now = clock.now();
    const row = await repo.transition(ctx.db, ctx.tenantId, id, { from, to: 'cancelled', set: { cancelledAt: now, updatedBy: ctx.accountId } }, now);
    if (!row) throw await conflictFor(ctx, id, undefined);
    // A send under way stops: batches not yet sent never will be (one already on its way to LINE is recorded as sent).
    await deps.delivery.cancelUnsent(ctx, id);
    await recordAudit(ctx, { action: 'campaign.cancelled', targetType: 'campaign', targetId: id, details: { from: current.status } });
    return dtoOf(ctx, row);
  }

  /**
   * Pause or resume a send (campaigns.push), one path for both: a compare-and-set from the one status each starts from.
   * Pausing stops what is not yet sent (batches already accepted stay sent); resuming queues the unsent batches again
   * with their stored retry keys (after staff paused it, or the engine did for an exhausted quota or a refused token).
   */
  async function controlSend(ctx: RequestContext, id: string, step: 'pause' | 'resume') {
    assertCan(ctx, 'campaigns.push');
    const current = await requireCampaign(ctx, id);
    assertMayChange(ctx, current);
    const { from, to, reason, action } = SEND_STEPS[step];
    const row = await repo.transition(ctx.db, ctx.tenantId, id, { from: [from], to, set: { ...reason, updatedBy: ctx.accountId } }, clock.now());
    if (!row) throw await conflictFor(ctx, id, undefined);
    const batches = step === 'resume' ? await deps.delivery.requeueBatches(ctx, id) : undefined;
    await recordAudit(ctx, { action, targetType: 'campaign', targetId: id, details: step === 'resume' ? { pausedFor: current.statusReason, ...(current.statusParams.lineMessage ? { lineMessage: current.statusParams.lineMessage } : {}), batches } : {} });
    // Resuming a campaign with nothing left to send finishes it: the row is read again.
    return dtoOf(ctx, step === 'resume' ? ((await repo.findCampaign(ctx.db, ctx.tenantId, id, 'all')) ?? row) : row);
  }

  /** Progress and the saved campaign's estimate are reads: the permission first, so an id tells nobody whether it exists. */
  async function campaignProgress(ctx: RequestContext, id: string) {
    assertMayRead(ctx);
    const c = await requireCampaign(ctx, id);
    return deps.delivery.progress(ctx, c);
  }

  async function estimateCampaign(ctx: RequestContext, id: string) {
    assertMayRead(ctx);
    const c = await requireCampaign(ctx, id);
    return estimate(ctx, { propertyId: c.propertyId, audience: c.audience, holdoutPercent: c.holdoutPercent, messages: c.messages });
  }

  /** A scheduled (or sending, or paused) campaign that gives the tag blocks its deletion; drafts and finished ones do not. */
  const tagUsage: TagUsageProvider = async (ctx, tagId) =>
    (await repo.findCampaignsUsingTag(ctx.db, ctx.tenantId, tagId)).map((c) => ({ kind: 'campaign' as const, id: c.id, name: c.name, blocking: ['scheduled', 'sending', 'paused'].includes(c.status) }));

  return {
    listCampaigns,
    getCampaign,
    createCampaign,
    updateCampaign,
    deleteCampaign,
    scheduleCampaign,
    unscheduleCampaign,
    cancelCampaign,
    pauseCampaign: (ctx: RequestContext, id: string) => controlSend(ctx, id, 'pause'),
    resumeCampaign: (ctx: RequestContext, id: string) => controlSend(ctx, id, 'resume'),
    campaignProgress,
    estimate: (ctx: RequestContext, input: Parameters<typeof estimate>[1]) => estimate(ctx, input),
    testSend: deps.testSend,
    estimateCampaign,
    readSettings: settings.readSettings,
    updateSettings: settings.updateSettings,
    tagUsage,
    postbackResolver: campaignPostbackResolver(deps.tags),
    imageUrls,
    assertMayRead,
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;

/** Audit-log labels for campaigns: their names (only those the viewer may see). */
export function labelCampaignsForAudit(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, string>> {
  return repo.findCampaignNames(ctx.db, ctx.tenantId, ids, propertyScopeOf(ctx));
}
