import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ImportKind, ImportMapping } from './import-fields.ts';

export type ImportStatus = 'uploaded' | 'checking' | 'checked' | 'queued' | 'importing' | 'completed' | 'failed';
export type RowAction = 'create' | 'update' | 'unchanged' | 'error';
export type ImportColumn = { index: number; header: string };
/** One problem of one row. `value` is masked where it is personal data; `code` is a `field.*` message key. */
export type RowError = { field: string; column: string; code: string; value: string; params?: Record<string, string | number> };
/** `params`: the distinct params of the first rows of the group (at most SUMMARY_PARAMS), so the summary names what the rows name. */
export type ErrorSummaryEntry = { field: string; column: string; code: string; count: number; params?: Array<Record<string, string | number>> };

/**
 * Imports (migrations 0002 + 0003). `file_content` (bytea, the uploaded file) is read and written with SQL in the
 * repository: Drizzle has no bytea column type, and keeping it out of the table keeps 20 MB out of every select.
 */
export const memberImports = pgTable(
  'member_imports',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind').$type<ImportKind>().notNull().default('members'),
    fileName: text('file_name').notNull(),
    fileFormat: text('file_format').$type<'csv' | 'xlsx'>().notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileEncoding: text('file_encoding').notNull().default(''),
    fileSize: integer('file_size').notNull().default(0),
    status: text('status').$type<ImportStatus>().notNull().default('uploaded'),
    mapping: jsonb('mapping').$type<ImportMapping>(),
    columns: jsonb('columns').$type<ImportColumn[]>().notNull().default([]),
    propertyScope: jsonb('property_scope').$type<string[]>(),
    totalRows: integer('total_rows').notNull().default(0),
    validRows: integer('valid_rows').notNull().default(0),
    errorRows: integer('error_rows').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    plannedCreate: integer('planned_create').notNull().default(0),
    plannedUpdate: integer('planned_update').notNull().default(0),
    plannedUnchanged: integer('planned_unchanged').notNull().default(0),
    createdCount: integer('created_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    unchangedCount: integer('unchanged_count').notNull().default(0),
    /** A summary of the row errors by field and reason. */
    errors: jsonb('errors').$type<ErrorSummaryEntry[]>().notNull().default([]),
    failure: text('failure'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** When the uploaded file was deleted (import completed, a day passed, or a guest in it was erased; migration 0011). */
    fileRemovedAt: timestamp('file_removed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** The outcome of each row of an import's latest dry run or run. */
export const memberImportRows = pgTable(
  'member_import_rows',
  {
    tenantId: uuid('tenant_id').notNull(),
    importId: uuid('import_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    action: text('action').$type<RowAction>().notNull(),
    memberId: uuid('member_id'),
    memberNo: text('member_no'),
    fields: text('fields').array().notNull().default([]),
    errors: jsonb('errors').$type<RowError[]>().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.importId, t.rowNumber] })],
);
