import { boolean, date, integer, jsonb, pgTable, primaryKey, text, time, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { CampaignStatus } from '@innkeeper/contracts';
import type { CampaignFailureCause, CampaignStatusParams } from '@innkeeper/contracts/api';
import type { CampaignMessage } from './campaign-messages.ts';
import type { CampaignAudience } from './campaigns.schemas.ts';

/** A time the campaign was paused (ISO instants); `to` is null while it still is. */
export type PausedSpan = { from: string; to: string | null };

/** Campaigns (migration 0016). Status changes go through compare-and-set updates in campaigns.repository.ts. */
export const campaigns = pgTable(
  'campaigns',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    propertyId: uuid('property_id'),
    startsOn: date('starts_on'),
    endsOn: date('ends_on'),
    status: text('status').$type<CampaignStatus>().notNull().default('draft'),
    /** Why it stands where it is, a code (campaign-status.ts); its parameters in status_params (migration 0030). */
    statusReason: text('status_reason').$type<StatusReasonCode>().notNull().default(''),
    statusParams: jsonb('status_params').$type<CampaignStatusParams>().notNull().default({}),
    messages: jsonb('messages').$type<CampaignMessage[]>().notNull(),
    tagIds: uuid('tag_ids').array().notNull(),
    audience: jsonb('audience').$type<CampaignAudience>().notNull(),
    holdoutPercent: integer('holdout_percent').notNull().default(0),
    /** The audience is still being written in chunks (migration 0045): the campaign is not over before the last. */
    audiencePending: boolean('audience_pending').notNull().default(false),
    /** The last member id whose range of the audience is written (migration 0047); null before the first chunk. */
    audienceCursor: uuid('audience_cursor'),
    /** The holdout's bound, drawn once per campaign (migration 0047): reachable guests whose key is at most it are held out; '' drawn, nobody held out; null not drawn yet (a campaign of the release before 0047, or no holdout). */
    holdoutKey: text('holdout_key'),
    /** The code the audience's writing met when it could go no further (migration 0050); null: written to its end. */
    audienceCutShort: text('audience_cut_short'),
    /** When it was paused and resumed (migration 0060; `to` null while paused): a finished send's rate leaves these out. */
    pausedSpans: jsonb('paused_spans').$type<PausedSpan[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    approvedBy: uuid('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * Campaign images. `data` and `preview_data` (bytea) are read and written with SQL in the repository: Drizzle has no
 * bytea column type, and leaving them out of the table keeps megabytes out of every select.
 */
export const campaignImages = pgTable(
  'campaign_images',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    token: text('token').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').$type<ImageType>().notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    byteSize: integer('byte_size').notNull(),
    previewContentType: text('preview_content_type').$type<ImageType>(),
    previewByteSize: integer('preview_byte_size'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type ImageType = 'image/jpeg' | 'image/png';

export const campaignSettings = pgTable('campaign_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  weeklyCap: integer('weekly_cap'),
  quietStart: time('quiet_start'),
  quietEnd: time('quiet_end'),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The status reason codes the engine and the service store ('' for none; 'other' only from rows before 0030). */
export type StatusReasonCode = '' | 'paused_by_staff' | 'quota_exhausted' | 'unauthorized' | 'audience_unavailable' | 'recipients_failed' | 'other';

export type BatchStatus = 'queued' | 'accepted' | 'failed' | 'cancelled';
export type RecipientStatus = 'queued' | 'accepted' | 'failed' | 'skipped';
/** `cancelled`: the campaign was cancelled before this recipient's batch went out (never attempted). */
export type SkipReason = 'no_consent' | 'blocked' | 'no_line' | 'capped' | 'quiet_hours' | 'holdout' | 'cancelled';

/** A campaign's sends (migration 0017): each batch's retry key is stored before its first attempt. */
export const campaignBatches = pgTable(
  'campaign_batches',
  {
    tenantId: uuid('tenant_id').notNull(),
    campaignId: uuid('campaign_id').notNull(),
    batchNo: integer('batch_no').notNull(),
    mode: text('mode').$type<'multicast' | 'push'>().notNull(),
    retryKey: uuid('retry_key').notNull(),
    status: text('status').$type<BatchStatus>().notNull().default('queued'),
    recipients: integer('recipients').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lineRequestId: text('line_request_id'),
    message: text('message').notNull().default(''),
    /** A failed batch's cause, its recipients' reason (migration 0055); null unless failed. */
    cause: text('cause').$type<CampaignFailureCause>(),
    /** Its recipients' member range (migration 0055): read through the recipients' primary key between the two. */
    firstMemberId: uuid('first_member_id'),
    lastMemberId: uuid('last_member_id'),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When its job last showed life (queued, or an attempt made): the sweep for lost jobs reads it. */
    touchedAt: timestamp('touched_at', { withTimezone: true }).notNull().defaultNow(),
    /** How often the sweep queued it again after its job was lost. */
    requeues: integer('requeues').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.campaignId, t.batchNo] })],
);

/**
 * Every member of a campaign's audience and what became of them (sent, failed, or skipped with the reason). A queued
 * recipient's row stays queued once its batch is settled (migration 0055): its outcome is its batch's, and is read
 * through the view campaign_recipient_outcomes, never from this table's status alone.
 */
export const campaignRecipients = pgTable(
  'campaign_recipients',
  {
    tenantId: uuid('tenant_id').notNull(),
    campaignId: uuid('campaign_id').notNull(),
    memberId: uuid('member_id').notNull(),
    lineUserId: text('line_user_id'),
    status: text('status').$type<RecipientStatus>().notNull(),
    reason: text('reason').notNull().default(''),
    batchNo: integer('batch_no'),
    retryKey: uuid('retry_key'),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.campaignId, t.memberId] })],
);

/**
 * The guests a campaign's test sends reached (migration 0018): at most 10 distinct guests per campaign, and (0023,
 * `sentBy`) at most 20 distinct guests per account in 30 days.
 */
export const campaignTestRecipients = pgTable(
  'campaign_test_recipients',
  {
    tenantId: uuid('tenant_id').notNull(),
    campaignId: uuid('campaign_id').notNull(),
    memberId: uuid('member_id').notNull(),
    sends: integer('sends').notNull().default(1),
    lastSentAt: timestamp('last_sent_at', { withTimezone: true }).notNull(),
    sentBy: uuid('sent_by'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.campaignId, t.memberId] })],
);
