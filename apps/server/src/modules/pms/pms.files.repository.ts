import { sql } from 'drizzle-orm';
import { textArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import type { PmsStream } from './pms.tables.ts';

/** pms_files (migration 0028): every file dropped or uploaded, by its SHA-256; the content goes in as bytea with SQL. */

export type FileStatus = 'mapping' | 'pending' | 'applied' | 'duplicate' | 'rejected';
export type FileRow = {
  id: string;
  connection_id: string;
  run_id: string | null;
  name: string;
  source: 'drop' | 'upload';
  layout: 'dean' | 'generic';
  mapping: Record<string, string> | null;
  feed: PmsStream | null;
  format: 'csv' | 'xlsx' | null;
  encoding: string | null;
  sha256: string;
  size_bytes: number;
  status: FileStatus;
  rows_total: number;
  rows_done: number;
  rejected: number;
  reason: string | null;
  duplicate_of: string | null;
  received_at: Date | string;
  finished_at: Date | string | null;
  archived_at: Date | string | null;
};

const COLUMNS = sql.raw(`id, connection_id, run_id, name, source, layout, mapping, feed, format, encoding, sha256, size_bytes, status, rows_total, rows_done, rejected, reason, duplicate_of,
  received_at, finished_at, archived_at`);

export type NewFile = {
  tenantId: TenantId;
  id: string;
  connectionId: string;
  runId: string | null;
  name: string;
  source: 'drop' | 'upload';
  layout?: 'dean' | 'generic';
  feed: PmsStream | null;
  format: 'csv' | 'xlsx' | null;
  encoding: string | null;
  sha256: string;
  sizeBytes: number;
  status: FileStatus;
  content: Buffer | null;
  rowsTotal: number;
  reason: string | null;
  duplicateOf: string | null;
  uploadedBy: string | null;
  at: Date;
};

/**
 * Records a file. A content already recorded for the connection is not inserted (the unique index decides, so two
 * pick-ups at once record it once): the file recorded before is answered instead, with `inserted: false`.
 */
export async function insertFile(tx: Tx, f: NewFile): Promise<{ inserted: true } | { inserted: false; existing: FileRow }> {
  const finished = f.status === 'pending' || f.status === 'mapping' ? null : f.at.toISOString();
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`insert into pms_files (tenant_id, id, connection_id, run_id, name, source, layout, feed, format, encoding, sha256, size_bytes, status, content, rows_total, reason, duplicate_of, uploaded_by, received_at, finished_at)
        values (${f.tenantId}, ${f.id}, ${f.connectionId}, ${f.runId}, ${f.name}, ${f.source}, ${f.layout ?? 'dean'}, ${f.feed}, ${f.format}, ${f.encoding}, ${f.sha256}, ${f.sizeBytes}, ${f.status}, ${f.content},
                ${f.rowsTotal}, ${f.reason}, ${f.duplicateOf}, ${f.uploadedBy}, ${f.at.toISOString()}::timestamptz, ${finished}::timestamptz)
        on conflict (tenant_id, connection_id, sha256) where status <> 'duplicate' do nothing
        returning id`,
  );
  if (rows.length > 0) return { inserted: true };
  const existing = await findFileBySha(tx, f.tenantId, f.connectionId, f.sha256);
  if (!existing) throw new Error('pms_files: conflict without a row');
  return { inserted: false, existing };
}

export async function findFileBySha(tx: Tx, tenantId: TenantId, connectionId: string, sha256: string): Promise<FileRow | undefined> {
  const [row] = await queryRows<FileRow>(tx, sql`select ${COLUMNS} from pms_files where tenant_id = ${tenantId} and connection_id = ${connectionId} and sha256 = ${sha256} and status <> 'duplicate'`);
  return row;
}

export function findPendingFiles(tx: Tx, tenantId: TenantId, connectionId: string): Promise<FileRow[]> {
  return queryRows<FileRow>(tx, sql`select ${COLUMNS} from pms_files where tenant_id = ${tenantId} and connection_id = ${connectionId} and status = 'pending' order by received_at, name, id`);
}

/** Drop-folder files applied (or refused) whose move into archive/ has not happened yet (the worker died between). */
export function findUnarchived(tx: Tx, tenantId: TenantId, connectionId: string): Promise<FileRow[]> {
  return queryRows<FileRow>(tx, sql`select ${COLUMNS} from pms_files where tenant_id = ${tenantId} and connection_id = ${connectionId} and source = 'drop' and status <> 'pending' and archived_at is null order by received_at`);
}

export async function findFileContent(tx: Tx, tenantId: TenantId, id: string): Promise<Buffer | undefined> {
  const [row] = await queryRows<{ content: Uint8Array | null }>(tx, sql`select content from pms_files where tenant_id = ${tenantId} and id = ${id}`);
  if (!row?.content) return undefined;
  const bytes = row.content;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Locks a pending file for a batch and answers where it stands (null: no longer pending, another worker finished it). */
export async function lockPendingFile(tx: Tx, tenantId: TenantId, id: string): Promise<{ rows_done: number } | null> {
  const [row] = await queryRows<{ rows_done: number }>(tx, sql`select rows_done from pms_files where tenant_id = ${tenantId} and id = ${id} and status = 'pending' for update`);
  return row ?? null;
}

export async function updateFile(
  tx: Tx,
  tenantId: TenantId,
  id: string,
  patch: { runId?: string; feed?: PmsStream; format?: string; encoding?: string; rowsTotal?: number; rowsDone?: number; addRejected?: number },
): Promise<void> {
  await tx.execute(sql`update pms_files set
      run_id = coalesce(${patch.runId ?? null}::uuid, run_id),
      feed = coalesce(${patch.feed ?? null}, feed),
      format = coalesce(${patch.format ?? null}, format),
      encoding = coalesce(${patch.encoding ?? null}, encoding),
      rows_total = coalesce(${patch.rowsTotal ?? null}::int, rows_total),
      rows_done = coalesce(${patch.rowsDone ?? null}::int, rows_done),
      rejected = rejected + ${patch.addRejected ?? 0}
    where tenant_id = ${tenantId} and id = ${id}`);
}

/** A pending file is finished: applied, or refused as a whole with a reason. Its content goes (its rows are applied). */
export async function finishFile(tx: Tx, tenantId: TenantId, id: string, outcome: { status: 'applied' | 'rejected'; runId: string; reason?: string | null; at: Date }): Promise<void> {
  await tx.execute(sql`update pms_files set status = ${outcome.status}, run_id = ${outcome.runId}, reason = coalesce(${outcome.reason ?? null}, reason), content = null,
                         finished_at = ${outcome.at.toISOString()}::timestamptz
                       where tenant_id = ${tenantId} and id = ${id} and status = 'pending'`);
}

export async function markArchived(tx: Tx, tenantId: TenantId, id: string, at: Date): Promise<void> {
  await tx.execute(sql`update pms_files set archived_at = ${at.toISOString()}::timestamptz where tenant_id = ${tenantId} and id = ${id}`);
}

export function findFiles(tx: Tx, tenantId: TenantId, connectionId: string, limit: number): Promise<FileRow[]> {
  return queryRows<FileRow>(tx, sql`select ${COLUMNS} from pms_files where tenant_id = ${tenantId} and connection_id = ${connectionId} order by received_at desc, name desc limit ${limit}`);
}

export async function findFile(tx: Tx, tenantId: TenantId, connectionId: string, id: string): Promise<FileRow | undefined> {
  const [row] = await queryRows<FileRow>(tx, sql`select ${COLUMNS} from pms_files where tenant_id = ${tenantId} and connection_id = ${connectionId} and id = ${id}`);
  return row;
}

/** A generic file staff mapped: pending with its mapping (compare-and-set on 'mapping': applied once). */
export async function queueMappedFile(tx: Tx, tenantId: TenantId, id: string, mapping: Record<string, string>, rowsTotal: number): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update pms_files set status = 'pending', mapping = ${JSON.stringify(mapping)}::jsonb, rows_total = ${rowsTotal}, rows_done = 0
        where tenant_id = ${tenantId} and id = ${id} and status = 'mapping' returning id`,
  );
  return rows.length > 0;
}

/** A generic file staff discard before applying it (compare-and-set on 'mapping'). Answers whether it was deleted. */
export async function deleteWaitingFile(tx: Tx, tenantId: TenantId, connectionId: string, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`delete from pms_files where tenant_id = ${tenantId} and connection_id = ${connectionId} and id = ${id} and layout = 'generic' and status = 'mapping' returning id`,
  );
  return rows.length > 0;
}

/**
 * A generic file still waiting for its mapping gives way to the same content received as a 德安 export (dropped or
 * uploaded): it was never applied, so it must not make that export a duplicate (it would never be applied). It is kept
 * as a duplicate of the new file (compare-and-set on 'mapping': a mapping applied meanwhile wins, and the export is
 * then the duplicate). Answers whether it gave way.
 */
export async function supersedeParkedFile(tx: Tx, tenantId: TenantId, id: string, byId: string, at: Date): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update pms_files set status = 'duplicate', duplicate_of = ${byId}, content = null, finished_at = ${at.toISOString()}::timestamptz
        where tenant_id = ${tenantId} and id = ${id} and layout = 'generic' and status = 'mapping' returning id`,
  );
  return rows.length > 0;
}

// ---- FULL files: profiles the snapshot no longer lists (contract §9.1) ----

export type FullScope = { hotelCod: string; chainWide: boolean; exportedAt: string };

const inScope = (scope: FullScope) =>
  sql`(profile->>'hotelCod' = ${scope.hotelCod} or (${scope.chainWide}::boolean and coalesce(profile->>'hotelCod', '') = ''))`;

/** Live profiles a FULL file of this scope speaks for. */
export async function countFullScope(tx: Tx, tenantId: TenantId, connectionId: string, scope: FullScope): Promise<number> {
  const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from pms_profiles where tenant_id = ${tenantId} and connection_id = ${connectionId} and not deleted and ${inScope(scope)}`);
  return row?.n ?? 0;
}

/**
 * Live profiles of the scope that the FULL file does not list and that no change newer than the export touched (a
 * profile created or changed after the export is not in it for that reason).
 */
export function findAbsentFromFull(tx: Tx, tenantId: TenantId, connectionId: string, scope: FullScope, listed: readonly string[]): Promise<Array<{ gcust_cod: string; member_id: string | null }>> {
  return queryRows(
    tx,
    sql`select gcust_cod, member_id from pms_profiles
        where tenant_id = ${tenantId} and connection_id = ${connectionId} and not deleted and ${inScope(scope)} and upd_dat <= ${scope.exportedAt}
          and not (gcust_cod = any(${textArray(listed)}))
        order by gcust_cod`,
  );
}

// ---- saved column mappings ----

export type MappingRow = { id: string; name: string; mapping: Record<string, string>; created_at: Date | string; updated_at: Date | string };

export function findMappings(tx: Tx, tenantId: TenantId, connectionId: string): Promise<MappingRow[]> {
  return queryRows<MappingRow>(tx, sql`select id, name, mapping, created_at, updated_at from pms_column_mappings where tenant_id = ${tenantId} and connection_id = ${connectionId} order by lower(name)`);
}

export async function insertMapping(tx: Tx, row: { tenantId: TenantId; id: string; connectionId: string; name: string; mapping: Record<string, string>; createdBy: string | null; at: Date }): Promise<MappingRow> {
  const [created] = await queryRows<MappingRow>(
    tx,
    sql`insert into pms_column_mappings (tenant_id, id, connection_id, name, mapping, created_by, created_at, updated_at)
        values (${row.tenantId}, ${row.id}, ${row.connectionId}, ${row.name}, ${JSON.stringify(row.mapping)}::jsonb, ${row.createdBy}, ${row.at.toISOString()}::timestamptz, ${row.at.toISOString()}::timestamptz)
        returning id, name, mapping, created_at, updated_at`,
  );
  return created!;
}

/** Changes a saved mapping; the row as it is now, with what it was before (`previous`: for the audit log). */
export async function updateMapping(tx: Tx, tenantId: TenantId, connectionId: string, id: string, patch: { name?: string; mapping?: Record<string, string> }, at: Date): Promise<(MappingRow & { previous: { name: string; mapping: Record<string, string> } }) | undefined> {
  // The self-join reads the row as it was before this update (PostgreSQL's FROM sees the statement's snapshot).
  const [row] = await queryRows<MappingRow & { previous_name: string; previous_mapping: Record<string, string> }>(
    tx,
    sql`update pms_column_mappings m set name = coalesce(${patch.name ?? null}, m.name), mapping = coalesce(${patch.mapping ? JSON.stringify(patch.mapping) : null}::jsonb, m.mapping), updated_at = ${at.toISOString()}::timestamptz
          from pms_column_mappings before
         where m.tenant_id = ${tenantId} and m.connection_id = ${connectionId} and m.id = ${id} and before.tenant_id = m.tenant_id and before.id = m.id
        returning m.id, m.name, m.mapping, m.created_at, m.updated_at, before.name as previous_name, before.mapping as previous_mapping`,
  );
  if (!row) return undefined;
  const { previous_name, previous_mapping, ...now } = row;
  return { ...now, previous: { name: previous_name, mapping: previous_mapping } };
}

/** Deletes a saved mapping; its name (for the audit log), or undefined when there was none. */
export async function deleteMapping(tx: Tx, tenantId: TenantId, connectionId: string, id: string): Promise<{ name: string } | undefined> {
  const rows = await queryRows<{ name: string }>(tx, sql`delete from pms_column_mappings where tenant_id = ${tenantId} and connection_id = ${connectionId} and id = ${id} returning name`);
  return rows[0];
}

/** The files each of these runs applied or set aside (name and layout), for the run history. */
export function findFilesOfRuns(tx: Tx, tenantId: TenantId, runIds: readonly string[]): Promise<Array<{ run_id: string; name: string; layout: 'dean' | 'generic' }>> {
  if (runIds.length === 0) return Promise.resolve([]);
  return queryRows(tx, sql`select run_id, name, layout from pms_files where tenant_id = ${tenantId} and run_id = any(${textArray(runIds)}::uuid[]) order by received_at, name`);
}

