import { and, asc, count, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Database, type Tx } from '../../core/db/database.ts';
import { refreshStatistics } from '../../core/db/maintenance.ts';
import type { TenantId } from '../../core/ids.ts';
import { memberImportRows, memberImports, type ErrorSummaryEntry, type ImportStatus, type RowAction, type RowError } from './member-transfer.tables.ts';

export type ImportRow = typeof memberImports.$inferSelect;
export type NewImport = typeof memberImports.$inferInsert;
export type ImportRowOutcome = { rowNumber: number; action: RowAction; memberId: string | null; memberNo: string | null; fields: string[]; errors: RowError[] };

export type NewImportInput = Pick<NewImport, 'tenantId' | 'id' | 'kind' | 'fileName' | 'fileFormat' | 'fileSha256' | 'fileEncoding' | 'fileSize' | 'columns' | 'totalRows' | 'propertyScope' | 'createdBy' | 'createdAt'>;

/** The import with its file, which goes in as bytea with SQL (see member-transfer.tables.ts). */
export async function insertImport(tx: Tx, row: NewImportInput, file: Buffer): Promise<void> {
  await tx.execute(sql`
    insert into member_imports (tenant_id, id, kind, file_name, file_format, file_sha256, file_encoding, file_size, file_content, columns, total_rows, property_scope, created_by, created_at)
    values (${row.tenantId}, ${row.id}, ${row.kind}, ${row.fileName}, ${row.fileFormat}, ${row.fileSha256}, ${row.fileEncoding}, ${row.fileSize}, ${file},
            ${JSON.stringify(row.columns)}::jsonb, ${row.totalRows}, ${row.propertyScope ? JSON.stringify(row.propertyScope) : null}::jsonb, ${row.createdBy}, ${row.createdAt?.toISOString() ?? null}::timestamptz)`);
}

export async function findImport(tx: Tx, tenantId: TenantId, id: string): Promise<ImportRow | undefined> {
  const [row] = await tx.select().from(memberImports).where(and(eq(memberImports.tenantId, tenantId), eq(memberImports.id, id)));
  return row;
}

export async function findImportFile(tx: Tx, tenantId: TenantId, id: string): Promise<Buffer | undefined> {
  const [row] = await queryRows<{ file_content: Uint8Array | null }>(tx, sql`select file_content from member_imports where tenant_id = ${tenantId} and id = ${id}`);
  // No row, or its file was deleted (migration 0011).
  if (!row?.file_content) return undefined;
  const bytes = row.file_content;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Deletes the uploaded file (the import's record, counts and masked row outcomes stay). */
export async function dropImportFile(tx: Tx, tenantId: TenantId, id: string, now: Date): Promise<void> {
  await tx.execute(sql`update member_imports set file_content = null, file_removed_at = ${now.toISOString()}::timestamptz where tenant_id = ${tenantId} and id = ${id} and file_content is not null`);
}

/** The imports whose file is still held. */
export function findHeldImportFiles(tx: Tx, tenantId: TenantId) {
  return queryRows<{ id: string; file_format: 'csv' | 'xlsx'; status: ImportStatus }>(tx, sql`select id, file_format, status from member_imports where tenant_id = ${tenantId} and file_content is not null order by created_at`);
}

/**
 * Deletes the files uploaded before `cutoff` that no running check or import is reading; a checked import that was
 * waiting for staff ends as failed with the reason, so the page says why. An upload never taken further stays
 * 'uploaded', which the history leaves out (findImports).
 */
export async function dropStaleImportFiles(tx: Tx, tenantId: TenantId, cutoff: Date, now: Date): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update member_imports set file_content = null, file_removed_at = ${now.toISOString()}::timestamptz,
          failure = case when status = 'checked' then 'member_import.file_removed' else failure end,
          finished_at = case when status = 'checked' then ${now.toISOString()}::timestamptz else finished_at end,
          status = case when status = 'checked' then 'failed' else status end
        where tenant_id = ${tenantId} and file_content is not null and created_at < ${cutoff.toISOString()}::timestamptz
          and status not in ('checking', 'queued', 'importing')
        returning id`,
  );
  return rows.length;
}

/** `withinProperties`: only imports made by an account limited to some of these properties (null: every import). */
function visibleImports(withinProperties: readonly string[] | null) {
  return withinProperties === null ? undefined : sql`${memberImports.propertyScope} is not null and ${memberImports.propertyScope} <@ ${JSON.stringify(withinProperties)}::jsonb`;
}

/**
 * The import history. Uploads never taken further (still 'uploaded': no mapping, no dry run) are left out: they did
 * nothing, and opening one later can only ask for the file again (the sample rows exist in the page that uploaded it).
 */
export async function findImports(tx: Tx, tenantId: TenantId, page: { offset: number; limit: number; withinProperties: readonly string[] | null }): Promise<{ rows: ImportRow[]; total: number }> {
  const where = and(eq(memberImports.tenantId, tenantId), ne(memberImports.status, 'uploaded'), visibleImports(page.withinProperties));
  const rows = await tx.select().from(memberImports).where(where).orderBy(desc(memberImports.createdAt), desc(memberImports.id)).offset(page.offset).limit(page.limit);
  const [total] = await tx.select({ n: count() }).from(memberImports).where(where);
  return { rows, total: total?.n ?? 0 };
}

/** Earlier imports of the same file that the account may see (the history's rule), so staff notice a second import. */
export function findImportsOfFile(tx: Tx, tenantId: TenantId, sha256: string, exceptId: string, withinProperties: readonly string[] | null) {
  return tx
    .select({ id: memberImports.id, fileName: memberImports.fileName, status: memberImports.status, createdAt: memberImports.createdAt, finishedAt: memberImports.finishedAt })
    .from(memberImports)
    .where(and(eq(memberImports.tenantId, tenantId), eq(memberImports.fileSha256, sha256), ne(memberImports.id, exceptId), ne(memberImports.status, 'uploaded'), visibleImports(withinProperties)))
    .orderBy(desc(memberImports.createdAt))
    .limit(10);
}

/** Updates the import, optionally only while it is in one of `fromStatus` (a compare-and-set against double clicks). */
export async function updateImport(tx: Tx, tenantId: TenantId, id: string, patch: Partial<NewImport>, fromStatus?: ImportStatus[]): Promise<ImportRow | undefined> {
  const [row] = await tx
    .update(memberImports)
    .set(patch)
    .where(and(eq(memberImports.tenantId, tenantId), eq(memberImports.id, id), fromStatus ? inArray(memberImports.status, fromStatus) : undefined))
    .returning();
  return row;
}

export type ProgressDelta = { processed: number; valid: number; errors: number; created: number; updated: number; unchanged: number };

/** Adds a committed batch's counts, in the batch's own transaction, so a restarted job resumes exactly after it. */
export async function addProgress(tx: Tx, tenantId: TenantId, id: string, delta: ProgressDelta): Promise<void> {
  await tx.execute(sql`
    update member_imports set
      processed_rows = processed_rows + ${delta.processed}, valid_rows = valid_rows + ${delta.valid}, error_rows = error_rows + ${delta.errors},
      created_count = created_count + ${delta.created}, updated_count = updated_count + ${delta.updated}, unchanged_count = unchanged_count + ${delta.unchanged}
    where tenant_id = ${tenantId} and id = ${id}`);
}

/** One import batch at a time per tenant (several workers may run imports of the same hotel group). */
export async function lockTenantImports(tx: Tx, tenantId: TenantId): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(727274002, hashtext(${tenantId}))`);
}

/**
 * Refreshes the planner statistics of the tables an import fills (maintenance, as the owner). PGlite has no autovacuum:
 * without this, plans chosen while the tables were small (foreign-key checks included) stay in use as they grow and
 * every insert gets slower (measured: 2 ms per foreign-key check at 4,000 members). On PostgreSQL it is the ANALYZE
 * recommended after a bulk load.
 */
export async function analyzeImportTables(db: Database): Promise<void> {
  await refreshStatistics(db, ['members', 'member_interactions', 'member_tags', 'member_stays', 'member_imports', 'member_import_rows']);
}

export async function deleteImportRows(tx: Tx, tenantId: TenantId, importId: string): Promise<void> {
  await tx.delete(memberImportRows).where(and(eq(memberImportRows.tenantId, tenantId), eq(memberImportRows.importId, importId)));
}

/** A batch's row outcomes in one statement; a resumed batch overwrites what an interrupted attempt left. */
export async function insertImportRows(tx: Tx, tenantId: TenantId, importId: string, rows: ImportRowOutcome[]): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((r) => ({ row_number: r.rowNumber, action: r.action, member_id: r.memberId, member_no: r.memberNo, fields: r.fields, errors: r.errors }));
  await tx.execute(sql`
    insert into member_import_rows (tenant_id, import_id, row_number, action, member_id, member_no, fields, errors)
    select ${tenantId}, ${importId}, r.row_number, r.action, r.member_id, r.member_no, r.fields, r.errors
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(row_number integer, action text, member_id uuid, member_no text, fields text[], errors jsonb)
    on conflict (tenant_id, import_id, row_number) do update set
      action = excluded.action, member_id = excluded.member_id, member_no = excluded.member_no, fields = excluded.fields, errors = excluded.errors`);
}

export async function findImportRows(tx: Tx, tenantId: TenantId, importId: string, filter: { action?: RowAction | undefined; offset: number; limit: number }) {
  const where = and(eq(memberImportRows.tenantId, tenantId), eq(memberImportRows.importId, importId), filter.action ? eq(memberImportRows.action, filter.action) : undefined);
  const rows = await tx.select().from(memberImportRows).where(where).orderBy(asc(memberImportRows.rowNumber)).offset(filter.offset).limit(filter.limit);
  const [total] = await tx.select({ n: count() }).from(memberImportRows).where(where);
  return { rows, total: total?.n ?? 0 };
}

export function findErrorRows(tx: Tx, tenantId: TenantId, importId: string) {
  return tx
    .select({ rowNumber: memberImportRows.rowNumber, errors: memberImportRows.errors })
    .from(memberImportRows)
    .where(and(eq(memberImportRows.tenantId, tenantId), eq(memberImportRows.importId, importId), eq(memberImportRows.action, 'error')))
    .orderBy(asc(memberImportRows.rowNumber));
}

/** Row errors counted by field and reason, for the import's overview. */
/** How many distinct values a summary line names (one more is read, to know whether to add "…"). */
export const SUMMARY_PARAMS = 3;

export async function summariseErrors(tx: Tx, tenantId: TenantId, importId: string): Promise<ErrorSummaryEntry[]> {
  const rows = await queryRows<{ field: string; column: string; code: string; count: number; params: Array<Record<string, string | number>> | null }>(
    tx,
    sql`select e->>'field' as field, e->>'column' as column, e->>'code' as code, count(*)::int as count,
               (array_agg(distinct e->'params') filter (where e ? 'params'))[1:${SUMMARY_PARAMS + 1}] as params
        from member_import_rows r, jsonb_array_elements(r.errors) as e
        where r.tenant_id = ${tenantId} and r.import_id = ${importId} and r.action = 'error'
        group by 1, 2, 3 order by count(*) desc, 1, 3 limit 100`,
  );
  return rows.map(({ params, ...row }) => (params && params.length > 0 ? { ...row, params } : row));
}

// Reads over the tags module's assignments (read-only, like segments' member lists); writes go through the tags service.

/** Which of the given tags the given members carry now (an expired assignment does not count). */
export async function findAssignedTags(tx: Tx, tenantId: TenantId, memberIds: string[], tagIds: string[], now: Date): Promise<Set<string>> {
  if (memberIds.length === 0 || tagIds.length === 0) return new Set();
  const rows = await queryRows<{ member_id: string; tag_id: string }>(
    tx,
    sql`select member_id, tag_id from member_tags
        where tenant_id = ${tenantId} and member_id = any(${uuidArray(memberIds)}) and tag_id = any(${uuidArray(tagIds)})
          and (expires_at is null or expires_at > ${now.toISOString()}::timestamptz)`,
  );
  return new Set(rows.map((r) => `${r.member_id}:${r.tag_id}`));
}

/** The current tag names of the selected members, for exports. */
export async function findTagNames(tx: Tx, tenantId: TenantId, selection: SQL, now: Date): Promise<Map<string, string[]>> {
  const rows = await queryRows<{ member_id: string; names: string[] }>(
    tx,
    sql`select mt.member_id, array_agg(t.name order by t.name) as names
        from member_tags mt join tags t on t.tenant_id = mt.tenant_id and t.id = mt.tag_id
        where mt.tenant_id = ${tenantId} and mt.member_id in (${selection}) and (mt.expires_at is null or mt.expires_at > ${now.toISOString()}::timestamptz)
        group by mt.member_id`,
  );
  return new Map(rows.map((r) => [r.member_id, r.names]));
}

