import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const lineChannels = pgTable(
  'line_channels',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    propertyId: uuid('property_id'),
    name: text('name').notNull(),
    channelId: text('channel_id').notNull(),
    channelSecretEncrypted: text('channel_secret_encrypted').notNull(),
    accessTokenEncrypted: text('access_token_encrypted').notNull(),
    loginChannelId: text('login_channel_id'),
    liffId: text('liff_id'),
    botUserId: text('bot_user_id'),
    botBasicId: text('bot_basic_id'),
    botDisplayName: text('bot_display_name'),
    botPictureUrl: text('bot_picture_url'),
    status: text('status').$type<'unverified' | 'verified' | 'failed'>().notNull().default('unverified'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    lastError: text('last_error'),
    welcomeMessage: text('welcome_message').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type InboxStatus = 'pending' | 'processed' | 'ignored' | 'failed';

export const lineWebhookInbox = pgTable(
  'line_webhook_inbox',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    channelId: uuid('channel_id').notNull(),
    webhookEventId: text('webhook_event_id').notNull(),
    eventType: text('event_type').notNull(),
    lineUserId: text('line_user_id'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    isRedelivery: boolean('is_redelivery').notNull().default(false),
    status: text('status').$type<InboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    /**
     * The drain partition (inbox.repository.ts, DRAIN_PARTITIONS), computed by the database (migration 0052): a column
     * rather than an expression, because the claim runs under row-level security, where only a leakproof comparison
     * (an integer's `=`, not a call of hashtext) can be an index condition.
     */
    drainPartition: integer('drain_partition').generatedAlwaysAs(sql`hashtext(coalesce(line_user_id, '')) & 15`),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** The next free send slot per channel and endpoint, shared by every worker process (send-pacing.ts writes it in SQL). */
export const lineSendPacing = pgTable(
  'line_send_pacing',
  {
    tenantId: uuid('tenant_id').notNull(),
    channelId: uuid('channel_id').notNull(),
    endpoint: text('endpoint').$type<'push' | 'multicast'>().notNull(),
    nextSlotAt: timestamp('next_slot_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.channelId, t.endpoint] })],
);
