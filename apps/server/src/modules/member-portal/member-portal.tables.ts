import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { PortalSettings } from './portal-settings.ts';

export const memberPortalSettings = pgTable('member_portal_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  settings: jsonb('settings').$type<PortalSettings>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const memberPortalButtons = pgTable(
  'member_portal_buttons',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    label: text('label').notNull(),
    imageUrl: text('image_url').notNull().default(''),
    linkUrl: text('link_url').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const bindingCodes = pgTable(
  'binding_codes',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    lineUserId: text('line_user_id').notNull(),
    mobile: text('mobile').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type ReviewStatus = 'open' | 'linked' | 'created' | 'dismissed';

export const bindingReviews = pgTable(
  'binding_reviews',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    channelId: uuid('channel_id').notNull(),
    lineUserId: text('line_user_id').notNull(),
    lineDisplayName: text('line_display_name').notNull().default(''),
    submittedMasked: jsonb('submitted_masked').$type<Record<string, string | boolean | null>>().notNull(),
    submittedEncrypted: text('submitted_encrypted').notNull(),
    candidateMemberIds: uuid('candidate_member_ids').array().notNull().default([]),
    reason: text('reason').$type<'ambiguous' | 'conflict' | 'name_mismatch'>().notNull(),
    status: text('status').$type<ReviewStatus>().notNull().default('open'),
    resolvedMemberId: uuid('resolved_member_id'),
    resolvedBy: uuid('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
