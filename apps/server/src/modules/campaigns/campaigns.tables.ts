import { date, integer, jsonb, pgTable, primaryKey, text, time, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { CampaignStatus } from '@innkeeper/contracts';
import type { CampaignMessage } from './campaign-messages.ts';
import type { CampaignAudience } from './campaigns.schemas.ts';

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
    statusReason: text('status_reason').notNull().default(''),
    messages: jsonb('messages').$type<CampaignMessage[]>().notNull(),
    tagIds: uuid('tag_ids').array().notNull(),
    audience: jsonb('audience').$type<CampaignAudience>().notNull(),
    holdoutPercent: integer('holdout_percent').notNull().default(0),
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
