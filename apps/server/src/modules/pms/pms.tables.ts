import { boolean, date, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Migration 0021 (decision 0010). */

export type ConnectionKind = 'dean_http' | 'dean_file';
/** 'upload': started by a file uploaded on the PMS page (migration 0028); it applies files only. 'full': the nightly
 * full walk (migration 0040), which reads both feeds from the start. */
export type RunTrigger = 'schedule' | 'manual' | 'upload' | 'full';
export type RunStatus = 'running' | 'succeeded' | 'failed';
export type RunPhase = 'profiles' | 'stays' | 'matching' | 'stays_to_members' | 'done';
export type PmsStream = 'guests' | 'stays';
export type ReviewCaseStatus = 'open' | 'linked' | 'rejected' | 'superseded';
export type PmsStayStatus = 'reserved' | 'in_house' | 'checked_out' | 'cancelled' | 'no_show' | 'unknown';

export const pmsConnections = pgTable(
  'pms_connections',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<ConnectionKind>().notNull(),
    baseUrl: text('base_url').notNull().default(''),
    apiKeyEncrypted: text('api_key_encrypted'),
    apiKeyHint: text('api_key_hint').notNull().default(''),
    hotelCod: text('hotel_cod'),
    propertyMap: jsonb('property_map').$type<Record<string, string>>().notNull().default({}),
    defaultPropertyId: uuid('default_property_id'),
    statusDialect: text('status_dialect').$type<'KTW' | 'BACCHUS'>().notNull().default('KTW'),
    scheduleMinutes: integer('schedule_minutes').notNull().default(15),
    overlapSeconds: integer('overlap_seconds').notNull().default(120),
    enabled: boolean('enabled').notNull().default(true),
    linkUnverifiedMobile: boolean('link_unverified_mobile').notNull().default(false),
    /** Migration 0028: the drop folder's name under PMS_DROP_ROOT (pms.drop-folder.ts). */
    dropDir: text('drop_dir'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    alertCode: text('alert_code'),
    alertMessage: text('alert_message').notNull().default(''),
    alertSince: timestamp('alert_since', { withTimezone: true }),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    /** Migration 0040: when the last full walk started (the nightly one, or the first load). */
    lastFullAt: timestamp('last_full_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** `file` and `row` (the spreadsheet's row number) for a row set aside from a file (pms.files.ts). */
export type RejectEntry = { stream: PmsStream; key: string; reason: string; file?: string; row?: number };
export type RunError = { at: string; code: string; message: string; attempt: number };

export const pmsSyncRuns = pgTable(
  'pms_sync_runs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    trigger: text('trigger').$type<RunTrigger>().notNull(),
    status: text('status').$type<RunStatus>().notNull().default('running'),
    phase: text('phase').$type<RunPhase>().notNull().default('profiles'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    pulledProfiles: integer('pulled_profiles').notNull().default(0),
    pulledStays: integer('pulled_stays').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    linked: integer('linked').notNull().default(0),
    inReview: integer('in_review').notNull().default(0),
    unmatched: integer('unmatched').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    staysApplied: integer('stays_applied').notNull().default(0),
    rejects: jsonb('rejects').$type<RejectEntry[]>().notNull().default([]),
    errors: jsonb('errors').$type<RunError[]>().notNull().default([]),
    report: jsonb('report').$type<Record<string, unknown>>(),
    cursorBefore: jsonb('cursor_before').$type<Record<string, unknown>>(),
    cursorAfter: jsonb('cursor_after').$type<Record<string, unknown>>(),
    requestedBy: uuid('requested_by'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const pmsSyncCursors = pgTable(
  'pms_sync_cursors',
  {
    tenantId: uuid('tenant_id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    stream: text('stream').$type<PmsStream>().notNull(),
    since: text('since'),
    walkActive: boolean('walk_active').notNull().default(false),
    walkSince: text('walk_since'),
    walkCursor: text('walk_cursor'),
    walkWatermark: text('walk_watermark'),
    walkPages: integer('walk_pages').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.connectionId, t.stream] })],
);

export const pmsProfiles = pgTable(
  'pms_profiles',
  {
    tenantId: uuid('tenant_id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    gcustCod: text('gcust_cod').notNull(),
    updDat: text('upd_dat').notNull(),
    rowHash: text('row_hash').notNull(),
    profile: jsonb('profile').notNull(),
    deleted: boolean('deleted').notNull().default(false),
    mergedInto: text('merged_into'),
    memberId: uuid('member_id'),
    linkTier: text('link_tier'),
    linkSource: text('link_source').$type<'auto' | 'staff'>(),
    linkedAt: timestamp('linked_at', { withTimezone: true }),
    /** What was last put on the member (migration 0033): the member, the row version and the PMS's values then. */
    fieldsMemberId: uuid('fields_member_id'),
    fieldsHash: text('fields_hash'),
    fieldsApplied: jsonb('fields_applied'),
    /** Some stay of this profile may need putting on its member (migration 0043): set with a link and by the stays walk. */
    staysPending: boolean('stays_pending').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.connectionId, t.gcustCod] })],
);

export const pmsStays = pgTable(
  'pms_stays',
  {
    tenantId: uuid('tenant_id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    stayKey: text('stay_key').notNull(),
    gcustCod: text('gcust_cod').notNull(),
    hotelCod: text('hotel_cod'),
    updDat: text('upd_dat').notNull(),
    rowHash: text('row_hash').notNull(),
    checkIn: date('check_in', { mode: 'string' }).notNull(),
    checkOut: date('check_out', { mode: 'string' }).notNull(),
    roomCod: text('room_cod').notNull().default(''),
    rawStatus: text('raw_status').notNull().default(''),
    status: text('status').$type<PmsStayStatus>().notNull(),
    deleted: boolean('deleted').notNull().default(false),
    /** ADULT_QNT / CHILD_QNT as validated (pms.party.ts); null when the PMS gave none (migration 0036). */
    adults: smallint('adults'),
    children: smallint('children'),
    appliedMemberId: uuid('applied_member_id'),
    appliedHash: text('applied_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.connectionId, t.stayKey] })],
);

export type ReviewCandidate = { personId: string; profileIds: string[] };

export const pmsReviewCases = pgTable(
  'pms_review_cases',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    memberId: uuid('member_id').notNull(),
    candidates: jsonb('candidates').$type<ReviewCandidate[]>().notNull(),
    reasons: text('reasons').array().notNull().default([]),
    fingerprint: text('fingerprint').notNull(),
    status: text('status').$type<ReviewCaseStatus>().notNull().default('open'),
    resolvedProfileIds: text('resolved_profile_ids').array(),
    resolvedBy: uuid('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type OutboxStatus = 'pending' | 'applied' | 'noop' | 'conflict' | 'change_file' | 'rejected';

export const pmsOutbox = pgTable(
  'pms_outbox',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    gcustCod: text('gcust_cod').notNull(),
    memberId: uuid('member_id'),
    setColumns: jsonb('set_columns').$type<Record<string, string | null>>().notNull(),
    oldValues: jsonb('old_values').$type<Record<string, string | null>>().notNull().default({}),
    baseUpdDat: text('base_upd_dat').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    origin: text('origin').$type<'staff' | 'member' | 'system'>().notNull().default('staff'),
    status: text('status').$type<OutboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    result: jsonb('result').$type<Record<string, unknown>>(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Migration 0040: a contact field both sides changed; the later change won (decision 0010). Values masked. */
export const pmsFieldConflicts = pgTable(
  'pms_field_conflicts',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    runId: uuid('run_id'),
    memberId: uuid('member_id').notNull(),
    gcustCod: text('gcust_cod').notNull(),
    field: text('field').$type<'email' | 'mobile' | 'marketingOptIn'>().notNull(),
    pmsValue: text('pms_value'),
    crmValue: text('crm_value'),
    kept: text('kept').$type<'pms' | 'crm'>().notNull(),
    pmsChangedAt: timestamp('pms_changed_at', { withTimezone: true }),
    crmChangedAt: timestamp('crm_changed_at', { withTimezone: true }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
