import { sql } from 'drizzle-orm';
import { bigint, boolean, date, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type Gender = 'female' | 'male' | 'other' | 'unknown';
export type PreferredLanguage = 'zh-TW' | 'en' | 'ja' | 'ko' | 'other';
export type IdentityType = 'national_id' | 'resident_certificate' | 'passport';
export type LineStatus = 'following' | 'blocked' | 'never';

export const tenantCounters = pgTable(
  'tenant_counters',
  { tenantId: uuid('tenant_id').notNull(), name: text('name').notNull(), value: bigint('value', { mode: 'number' }).notNull().default(0) },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);

export const members = pgTable(
  'members',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    memberNo: text('member_no').notNull(),
    propertyId: uuid('property_id'),
    lastName: text('last_name').notNull().default(''),
    firstName: text('first_name').notNull().default(''),
    gender: text('gender').$type<Gender>().notNull().default('unknown'),
    birthday: date('birthday', { mode: 'string' }),
    preferredLanguage: text('preferred_language').$type<PreferredLanguage>().notNull().default('zh-TW'),
    email: text('email'),
    mobile: text('mobile'),
    idType: text('id_type').$type<IdentityType>(),
    idNumberEncrypted: text('id_number_encrypted'),
    idNumberHash: text('id_number_hash'),
    /** A live duplicate found when the unique index was built (migration 0010): kept out of the index until resolved. */
    idNumberConflict: boolean('id_number_conflict').notNull().default(false),
    idNumberMasked: text('id_number_masked'),
    passportCountry: text('passport_country'),
    marketingOptIn: boolean('marketing_opt_in').notNull().default(false),
    optInChangedAt: timestamp('opt_in_changed_at', { withTimezone: true }),
    optInSource: text('opt_in_source').notNull().default(''),
    notes: text('notes').notNull().default(''),
    lineUserId: text('line_user_id'),
    lineDisplayName: text('line_display_name'),
    linePictureUrl: text('line_picture_url'),
    lineStatus: text('line_status').$type<LineStatus>().notNull().default('never'),
    lineFollowedAt: timestamp('line_followed_at', { withTimezone: true }),
    lineStatusChangedAt: timestamp('line_status_changed_at', { withTimezone: true }),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    lastInteractionAt: timestamp('last_interaction_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    mergedIntoId: uuid('merged_into_id'),
    /** Lower-cased names, email, mobile, member number and LINE name, trigram-indexed for search (see migration 0002). */
    searchText: text('search_text').generatedAlwaysAs(sql`lower(last_name || first_name || ' ' || first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' || coalesce(mobile, '') || ' ' || member_no || ' ' || coalesce(line_display_name, ''))`),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type StaySource = 'import' | 'api' | 'pms' | 'staff';
export type StayStatus = 'booked' | 'in_house' | 'stayed' | 'cancelled' | 'no_show';

export const memberStays = pgTable(
  'member_stays',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    memberId: uuid('member_id').notNull(),
    propertyId: uuid('property_id').notNull(),
    source: text('source').$type<StaySource>().notNull(),
    externalId: text('external_id'),
    checkIn: date('check_in', { mode: 'string' }).notNull(),
    checkOut: date('check_out', { mode: 'string' }).notNull(),
    nights: integer('nights').generatedAlwaysAs(sql`check_out - check_in`),
    roomType: text('room_type').notNull().default(''),
    rateCode: text('rate_code').notNull().default(''),
    channel: text('channel').notNull().default(''),
    amount: bigint('amount', { mode: 'number' }),
    currency: text('currency').notNull().default('TWD'),
    status: text('status').$type<StayStatus>().notNull().default('stayed'),
    /** The party in the room (德安 ORDER_DT ADULT_QNT / CHILD_QNT); null when not recorded (migration 0036). */
    adults: smallint('adults'),
    children: smallint('children'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type InteractionType =
  | 'created' | 'edited' | 'deleted' | 'restored' | 'merged' | 'imported' | 'opted_in' | 'opted_out' | 'personal_data_viewed'
  | 'followed' | 'unfollowed' | 'blocked' | 'message_received' | 'message_sent' | 'clicked' | 'opened' | 'bound'
  | 'tag_added' | 'tag_removed' | 'stay_added' | 'synced';
export type InteractionActor = 'staff' | 'guest' | 'system' | 'campaign' | 'pms' | 'import' | 'line' | 'rule';

export const memberInteractions = pgTable(
  'member_interactions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    memberId: uuid('member_id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    type: text('type').$type<InteractionType>().notNull(),
    actorType: text('actor_type').$type<InteractionActor>().notNull().default('system'),
    actorRef: text('actor_ref').notNull().default(''),
    actorLabel: text('actor_label').notNull().default(''),
    campaignId: uuid('campaign_id'),
    actionId: text('action_id'),
    tagId: uuid('tag_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
