import { z } from 'zod';
import { CAMPAIGN_STATUSES, CAMPAIGN_WEEKLY_CAP } from '../campaigns.ts';
import { ZCampaignMessages, type CampaignMessage } from './campaign-messages.ts';
import { ZCalendarDate, ZCleanName, ZRowVersion } from './fields.ts';
import { pageOf, ZPageQuery } from './pages.ts';
import { ZSegmentDefinition } from './segment-definition.ts';

// The bodies and answers of /api/campaigns: the server validates with them, the web app derives its types from them.

/** Who a campaign goes to: every LINE friend, a saved segment (read when sent), or conditions of its own. */
export const ZCampaignAudience = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  // None chosen yet (the builder sends '') asks for one; 找不到此分眾 there read as if a chosen one had gone (browser review).
  z.strictObject({ kind: z.literal('segment'), segmentId: z.uuid({ error: (issue) => (issue.input === '' || issue.input === undefined ? 'field.campaign_segment_required' : 'field.campaign_segment') }) }),
  z.strictObject({ kind: z.literal('conditions'), definition: ZSegmentDefinition }),
]);
export type CampaignAudience = z.infer<typeof ZCampaignAudience>;

const campaignFields = {
  name: ZCleanName(100),
  /** null: group-wide (the group's own LINE channel, every member); otherwise one property's campaign. */
  propertyId: z.uuid().nullable(),
  startsOn: ZCalendarDate.nullable(),
  endsOn: ZCalendarDate.nullable(),
  /** The campaign tags its buttons can give. */
  tagIds: z.array(z.uuid()).max(20),
  messages: ZCampaignMessages,
  audience: ZCampaignAudience,
  /** A random share of the audience kept out and recorded, so uplift can be measured against it. */
  holdoutPercent: z.number().int().min(0).max(50),
};

const periodInOrder = (input: { startsOn?: string | null | undefined; endsOn?: string | null | undefined }) => !input.startsOn || !input.endsOn || input.endsOn >= input.startsOn;

export const ZCampaignCreate = z
  .strictObject({
    ...campaignFields,
    propertyId: campaignFields.propertyId.default(null),
    startsOn: campaignFields.startsOn.default(null),
    endsOn: campaignFields.endsOn.default(null),
    tagIds: campaignFields.tagIds.default([]),
    messages: campaignFields.messages.default([]),
    audience: campaignFields.audience.default({ kind: 'all' }),
    holdoutPercent: campaignFields.holdoutPercent.default(0),
  })
  .refine(periodInOrder, { path: ['endsOn'], error: 'field.campaign_period' });

export const ZCampaignPatch = z
  .strictObject({
    name: campaignFields.name.optional(),
    propertyId: campaignFields.propertyId.optional(),
    startsOn: campaignFields.startsOn.optional(),
    endsOn: campaignFields.endsOn.optional(),
    tagIds: campaignFields.tagIds.optional(),
    messages: campaignFields.messages.optional(),
    audience: campaignFields.audience.optional(),
    holdoutPercent: campaignFields.holdoutPercent.optional(),
    /** The version the editor started from: a change made meanwhile by someone else is refused, not overwritten. */
    version: ZRowVersion.optional(),
  })
  .refine(periodInOrder, { path: ['endsOn'], error: 'field.campaign_period' });

export type CampaignCreate = z.infer<typeof ZCampaignCreate>;
export type CampaignPatch = z.infer<typeof ZCampaignPatch>;

const ZLocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: 'field.campaign_datetime' });

/** Approve and schedule: the version reviewed, and a local time in the hotel's time zone or "now". */
/** `confirmOverQuota`: the approver saw that the cost exceeds the channel's remaining monthly quota and sends anyway. */
const confirmOverQuota = z.literal(true).optional();
export const ZScheduleRequest = z.union([
  z.strictObject({ version: ZRowVersion, sendAt: ZLocalDateTime, confirmOverQuota }),
  z.strictObject({ version: ZRowVersion, now: z.literal(true), confirmOverQuota }),
]);

/** Chosen guests (LINE friends) who get the campaign now as a test: at most ten, no campaign delivery recorded. */
export const ZTestSendRequest = z.strictObject({ memberIds: z.array(z.uuid()).min(1).max(10) });
/**
 * Why a test push failed, for the staff's language: LINE refused it (its content or the guest), the month's quota is
 * used up, LINE refused the channel's token, LINE kept answering with errors (or could not be reached) until the
 * retries ran out, or something went wrong in Innkeeper.
 */
export const TEST_SEND_FAILURES = ['line_refused', 'quota_exhausted', 'unauthorized', 'gave_up', 'error'] as const;
export const ZTestSendResult = z.object({
  results: z.array(
    z.object({
      memberId: z.string(),
      outcome: z.enum(['accepted', 'not_reachable', 'failed']),
      cause: z.enum(TEST_SEND_FAILURES).nullable().describe('failed: why; null otherwise'),
      message: z.string().describe("failed: LINE's own words (English) when LINE answered, else empty; not_reachable: no_line or blocked"),
    }),
  ),
});

/** The channel's monthly quota; `known: false` with the reason when there is no channel or LINE could not be asked. */
export const ZChannelQuota = z.object({
  known: z.boolean(),
  limit: z.number().int().nullable().describe('null: unlimited (or unknown)'),
  used: z.number().int().nullable(),
  remaining: z.number().int().nullable(),
  reason: z.enum(['no_channel', 'line_unreachable']).nullable(),
});

export const ZEstimateRequest = z.strictObject({
  propertyId: campaignFields.propertyId.default(null),
  audience: ZCampaignAudience,
  holdoutPercent: campaignFields.holdoutPercent.default(0),
  /**
   * The messages on screen, read only for their number and personalisation: the estimate follows the builder while
   * a message is still half-written (saving checks them in full).
   */
  messages: z.array(z.looseObject({ type: z.string(), text: z.string().max(20_000).optional() })).max(5, { error: 'field.campaign_too_many_messages' }).default([]),
});

export const ZEstimate = z.object({
  /** Members the audience selects (within the campaign's property). */
  audience: z.number().int(),
  noLine: z.number().int().describe('never a LINE friend (no binding): cannot be reached'),
  blocked: z.number().int().describe('unfollowed or blocked the Official Account'),
  noConsent: z.number().int().describe('LINE friends without marketing opt-in: skipped by marketing pushes'),
  reachable: z.number().int(),
  holdout: z.number().int().describe('expected size of the random holdout kept out of the send'),
  capped: z.number().int().describe('reachable guests (not held out) already at the weekly cap: a send now would skip them'),
  recipients: z.number().int(),
  messageObjects: z.number().int(),
  personalised: z.boolean().describe('personalised text: one push per guest instead of multicasts of 500'),
  requests: z.number().int().describe('push or multicast requests the send takes'),
  messageCost: z.number().int().describe('messages counted against the LINE quota: one per recipient per request'),
  frequencyCapPerWeek: z.number().int().nullable(),
  quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  quota: ZChannelQuota,
  exceedsQuota: z.boolean().describe('the message cost is more than the quota left this month: approving needs confirmOverQuota'),
});

const ZCampaignImage = z.object({ id: z.string(), url: z.string(), previewUrl: z.string(), width: z.number().int(), height: z.number().int(), byteSize: z.number().int(), contentType: z.string(), fileName: z.string() });

/** Why a campaign is paused, failed, ended with failures or was cancelled: the screens say it in the staff's language. */
export const CAMPAIGN_STATUS_REASONS = ['paused_by_staff', 'quota_exhausted', 'unauthorized', 'recipients_failed', 'audience_unavailable', 'cancelled', 'other'] as const;
export type CampaignStatusReason = (typeof CAMPAIGN_STATUS_REASONS)[number];

/**
 * Why recipients failed, as a code the screens translate: LINE refused them (400…), LINE kept answering 5xx/429 until
 * the retries ran out, Innkeeper lost the batch's job too often to know whether LINE took it, no LINE channel was
 * connected, the guest was erased before their personalised push.
 */
export const CAMPAIGN_FAILURE_CAUSES = ['line_refused', 'gave_up', 'job_lost', 'no_channel', 'member_gone'] as const;
export type CampaignFailureCause = (typeof CAMPAIGN_FAILURE_CAUSES)[number];

/** The parameters stored with a status reason code (campaigns.status_params): what the screens need to say it. */
export type CampaignStatusParams = { lineMessage?: string; failed?: number; attempted?: number; cause?: CampaignFailureCause; code?: string; text?: string };

export const ZCampaignStatusDetail = z.object({
  reason: z.enum(CAMPAIGN_STATUS_REASONS),
  cause: z.enum(CAMPAIGN_FAILURE_CAUSES).nullable().describe('recipients_failed: why the last of them failed'),
  code: z.string().nullable().describe('audience_unavailable: the error code the audience met (segment.not_found …)'),
  by: z.string().nullable().describe('who paused or cancelled it (the account’s name); null when the delivery engine did'),
  at: z.date().nullable().describe('when it was paused or cancelled'),
  failed: z.number().int().nullable().describe('recipients_failed: recipients LINE refused'),
  attempted: z.number().int().nullable().describe('recipients_failed: recipients sent to (accepted + failed)'),
  lineMessage: z.string().nullable().describe('LINE’s own words (English) when LINE said something; never Innkeeper’s own (those are causes)'),
});

export const ZCampaign = z.object({
  id: z.string(),
  name: z.string(),
  propertyId: z.string().nullable(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  status: z.enum(CAMPAIGN_STATUSES),
  statusReason: z.string().describe('the status reason code ("" when none); statusDetail says it for people'),
  /** The status reason read for people: null while nothing needs explaining (a draft, a clean send). */
  statusDetail: ZCampaignStatusDetail.nullable(),
  // Checked when they were saved; not walked again on the way out.
  messages: z.custom<CampaignMessage[]>(),
  tagIds: z.array(z.string()),
  audience: z.custom<CampaignAudience>(),
  holdoutPercent: z.number().int(),
  personalised: z.boolean(),
  version: z.number().int(),
  scheduledAt: z.date().nullable(),
  approvedBy: z.string().nullable().describe('the approving account’s id; null while it is a draft'),
  approvedByName: z.string().nullable().describe('the approving account’s name (a disabled account keeps its name); null when not approved, or when the account is no longer one of the hotel group’s (approvedBy still set)'),
  approvedAt: z.date().nullable(),
  createdBy: z.string().nullable().describe('the creating account’s id; null when no account created it (seeded)'),
  createdByName: z.string().nullable().describe('its name; null when there is none, or when the account is no longer one of the hotel group’s (createdBy still set)'),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** The images the messages show, with the URLs LINE fetches them from. */
  images: z.array(ZCampaignImage),
  /** What this account may do with it (the screens hide the rest; the server refuses it anyway). */
  may: z.object({ edit: z.boolean(), schedule: z.boolean(), cancel: z.boolean(), unschedule: z.boolean(), pause: z.boolean(), resume: z.boolean() }),
});

/** How far a send has got: recipients per status and reason, the sending rate and an estimate of the time left. */
export const ZCampaignProgress = z.object({
  status: z.enum(CAMPAIGN_STATUSES),
  statusReason: z.string(),
  total: z.number().int().describe('recipients written when the send started (skipped ones included)'),
  queued: z.number().int(),
  accepted: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int().describe('left out before sending (no consent, blocked, capped, holdout…); the cancelled ones apart'),
  cancelled: z.number().int().describe('never sent because the campaign was cancelled first (not failures: LINE was not asked)'),
  byReason: z.array(z.object({ status: z.enum(['queued', 'accepted', 'failed', 'skipped']), reason: z.string(), count: z.number().int() })),
  recipientsPerSecond: z.number().nullable().describe('accepted recipients per second: while sending, since the last start or resume (paused time is no sending time); otherwise over the whole send; null before there is anything to measure'),
  secondsLeft: z.number().int().nullable().describe('queued recipients at that rate; null when unknown or when the campaign is not sending'),
  successRate: z.number().nullable().describe('accepted ÷ (accepted + failed) in percent, one decimal (the goal is ≥ 99); null before any settled'),
});

/** One page of the campaigns the account may see, newest change first, optionally of one status. */
export const ZCampaignListQuery = ZPageQuery.extend({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
}).strict();

export const ZCampaignListItem = ZCampaign.pick({ id: true, name: true, propertyId: true, startsOn: true, endsOn: true, status: true, audience: true, holdoutPercent: true, scheduledAt: true, version: true, updatedAt: true }).extend({
  messageCount: z.number().int(),
  segmentName: z.string().nullable(),
  outcome: z
    .object({ accepted: z.number().int(), failed: z.number().int(), cancelled: z.number().int(), successRate: z.number().nullable() })
    .nullable()
    .describe('a send’s result so far: accepted, failed, not sent because the campaign was cancelled, and accepted ÷ attempted (skipped and cancelled recipients are no attempts); null before it sent'),
});

/** `total`: campaigns of the status asked for (all without one); `counts`: per status, for the filter, whatever was asked. */
export const ZCampaignList = pageOf(ZCampaignListItem).extend({
  counts: z.record(z.enum(CAMPAIGN_STATUSES), z.number().int()),
});

export { ZCampaignImage };

export const ZCampaignSettings = z.strictObject({
  // 1–50 pushes per guest per week, or null for no cap. 0 is refused, not read as "no marketing": a cap of 0 would let
  // staff approve campaigns that then skip every guest (超過每週上限), and whether the hotel pushes at all is already
  // decided by who holds the push permission and approves a send.
  weeklyCap: z
    .number({ error: 'field.campaign_weekly_cap' })
    .int({ error: 'field.campaign_weekly_cap' })
    .min(CAMPAIGN_WEEKLY_CAP.min, { error: 'field.campaign_weekly_cap' })
    .max(CAMPAIGN_WEEKLY_CAP.max, { error: 'field.campaign_weekly_cap' })
    .nullable(),
  quietHours: z
    .strictObject({ start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'field.campaign_quiet_hours' }), end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'field.campaign_quiet_hours' }) })
    .refine((q) => q.start !== q.end, { path: ['end'], error: 'field.campaign_quiet_hours' })
    .nullable(),
});
export type CampaignSettings = z.infer<typeof ZCampaignSettings>;
