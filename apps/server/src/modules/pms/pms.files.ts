import { createHash } from 'node:crypto';
import { PMS_COLUMN_NAME_MAX } from '@innkeeper/contracts/api';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type TenantContext } from '../../core/context.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import { newId, type TenantId } from '../../core/ids.ts';
import { AppError } from '../../core/errors.ts';
import { detectFormat, readSheet, type Sheet } from '../member-transfer/index.ts';
import { PmsError } from './pms.connector.ts';
import { toDeanRecords, type GenericMapping, type GuestKeyDeriver } from './pms.generic.ts';
import { archiveDroppedFile, DropFolderError, listDroppedFiles, readDroppedFile, resolveDropFolder } from './pms.drop-folder.ts';
import { FileRefused, readDeanFile, type DeanFile, type DeanFileRecord } from './pms.file-rows.ts';
import { recordAudit } from '../audit/index.ts';
import * as files from './pms.files.repository.ts';
import { isPmsTime } from './pms.normalise.ts';
import * as repo from './pms.repository.ts';
import type { PmsStream, RejectEntry } from './pms.tables.ts';

/**
 * The file transport (contract §9) inside a sync run, before the HTTP feeds (pms.sync.ts):
 *  1. pick-up: each 德安 file in the connection's drop folder is read, its SHA-256 taken and recorded with the file
 *     (pms_files) before anything is applied. A content recorded before is a duplicate: recorded as such, archived,
 *     never applied. A file that cannot be read as 德安's layout is refused as a whole, with the reason, and archived.
 *  2. every pending file (dropped or uploaded), profiles before stays, is applied in batches through the sync's own
 *     normaliser and upserts; each batch's transaction also moves the file's checkpoint (rows done), so a run that
 *     dies mid-file goes on after the last batch applied — and a batch applied twice changes nothing (upserts by key
 *     and row hash). Rows set aside carry the file name and the spreadsheet's row number.
 *  3. an applied drop file is moved into `archive/`; the record says when, so a move the worker did not live to do
 *     happens at the next pick-up.
 * Matching and stays onto members follow as for any run.
 */

/** What the sync's upserts did with rows handed over; a reject's `at` is its place among them. */
export type Applied = { created: number; updated: number; unchanged: number; rejects: Array<RejectEntry & { at?: number }> };

export type FileIngestDeps = {
  db: Database;
  clock: Clock;
  dropRoot: string | undefined;
  maxBytes: number;
  batchSize: number;
  applyProfiles: (ctx: TenantContext, connectionId: string, rows: unknown[]) => Promise<Applied>;
  applyStays: (ctx: TenantContext, connection: repo.ConnectionRow, rows: unknown[]) => Promise<Applied>;
  /** The guest numbers of a hotel group's generic files made from the rows' ID or mobile (pms.generic.ts derivesGuestKey). */
  guestKeyOf: (tenantId: TenantId) => GuestKeyDeriver;
  /** Inside each batch's transaction, after its writes: a test makes the worker "die" here. */
  onBatchApplied?: (info: { file: string; rowsDone: number; runId: string }) => void | Promise<void>;
};

export type FileItem = DeanFileRecord & { feed: PmsStream };

/** 德安's FULL profile export (contract §9.1): `GHIST_MN_<HOTEL_COD>_<YYYYMMDDHHmmss>_FULL`, its property and time. */
const FULL_PROFILES = /^GHIST_MN_([A-Za-z0-9]+)_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_FULL\.(?:csv|xlsx)$/i;
export function fullProfilesFile(name: string): { hotelCod: string; exportedAt: string } | null {
  const m = FULL_PROFILES.exec(name);
  if (!m) return null;
  const exportedAt = `${m[2]}-${m[3]}-${m[4]} ${m[5]}:${m[6]}:${m[7]}`;
  return isPmsTime(exportedAt) ? { hotelCod: m[1]!, exportedAt } : null;
}

/**
 * A FULL file that would delete more than this share of the profiles it speaks for (and more than FULL_HOLD_MIN) is
 * held: its rows apply, its absences do not, and the file says why. A cut-off or filtered export (one property's file
 * for the whole chain, a date filter left on) must not unlink half the members; a person looks first.
 */
export const FULL_HOLD_SHARE = 0.2;
export const FULL_HOLD_MIN = 20;

/** `YYYY-MM-DD HH:mm:ss` in Taiwan's time (UTC+8, no daylight saving), the clock 德安's UPD_DAT is in. */
export function taipeiLocal(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Headers a mapping can name, each exactly one column: cut to the length a mapping takes, and a header met again
 * numbered (`Phone`, `Phone (2)`) — otherwise a mapping to `Phone` silently read the last of two phone columns, and a
 * header too long to name could not be mapped (and, suggested, broke the upload's answer). Empty headers stay empty.
 */
export function distinctHeaders(headers: readonly string[]): string[] {
  const taken = new Set<string>();
  return headers.map((raw) => {
    const header = raw.slice(0, PMS_COLUMN_NAME_MAX).trim();
    if (header === '') return header;
    let name = header;
    for (let n = 2; taken.has(name); n += 1) name = `${header.slice(0, PMS_COLUMN_NAME_MAX - ` (${n})`.length).trim()} (${n})`;
    taken.add(name);
    return name;
  });
}

/** A generic file's sheet (headers as typed, trimmed, told apart: distinctHeaders). */
export async function readGenericSheet(name: string, bytes: Uint8Array): Promise<Sheet> {
  const format = detectFormat(name, bytes);
  if (!format) throw new FileRefused('unsupported_format');
  try {
    const sheet = await readSheet(bytes, format);
    return { ...sheet, headers: distinctHeaders(sheet.headers) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'member_import.empty') throw new FileRefused('empty');
    if (error instanceof AppError && error.code === 'member_import.too_many_rows') throw new FileRefused('too_many_rows');
    throw new FileRefused('unreadable');
  }
}

export type ParsedFile = DeanFile | { refused: FileRefused };

/** A file read as 德安's layout, or why it cannot be. */
export async function parseFile(name: string, bytes: Uint8Array): Promise<ParsedFile> {
  try {
    return await readDeanFile(name, bytes);
  } catch (error) {
    if (error instanceof FileRefused) return { refused: error };
    throw error;
  }
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function keyOf(feed: PmsStream, record: Record<string, string | null>): string {
  if (feed === 'guests') return record['GCUST_COD'] ?? '';
  const parts = [record['IKEY'], record['IKEY_SEQ_NOS'], record['CI_SER']];
  return record['STAY_KEY'] ?? (parts.every((p) => p) ? parts.join('|') : '');
}

export function createFileIngest(deps: FileIngestDeps) {
  const { db, clock } = deps;
  const ctxOf = (tx: Tx, tenantId: TenantId) => systemContext(tx, tenantId, 'pms-files');

  async function folderOf(connection: repo.ConnectionRow): Promise<string | null> {
    if (!connection.dropDir) return null;
    try {
      return await resolveDropFolder(deps.dropRoot, connection.dropDir, connection.tenantId);
    } catch (error) {
      // The run fails with the reason and the page alerts at once: nothing is read from a folder that is not safe.
      if (error instanceof DropFolderError) throw new PmsError('invalid_parameter', error.message, { details: { code: error.code } });
      throw error;
    }
  }

  async function archive(tenantId: TenantId, folder: string, file: { id: string; name: string; sha256: string }): Promise<void> {
    const tag = `${clock.now().toISOString().replace(/\D/g, '').slice(0, 14)}-${file.sha256.slice(0, 8)}`;
    try {
      await archiveDroppedFile(folder, file.name, tag);
    } catch (error) {
      // Gone already (moved by a person, or by an attempt that died after the move): the record still says archived.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await db.withTenant(tenantId, (tx) => files.markArchived(tx, tenantId, file.id, clock.now()));
  }

  /** Step 1: what the drop folder holds, recorded (or found a duplicate) and archived when nothing is left to apply. */
  async function pickUp(tenantId: TenantId, runId: string, connection: repo.ConnectionRow): Promise<void> {
    const folder = await folderOf(connection);
    if (!folder) return;
    for (const left of await db.withTenant(tenantId, (tx) => files.findUnarchived(tx, tenantId, connection.id))) await archive(tenantId, folder, left);
    const { files: dropped, refused } = await listDroppedFiles(folder);
    const setAside: RejectEntry[] = refused.map((name) => ({ stream: 'guests', key: name, reason: 'not_a_regular_file', file: name }));
    for (const file of dropped) {
      const read = await readDroppedFile(file, deps.maxBytes);
      if ('refused' in read) {
        // Left in place (a link is not moved, a file too large is for a person to split); said in the run.
        setAside.push({ stream: 'guests', key: file.name, reason: read.refused, file: file.name });
        continue;
      }
      const parsed = await parseFile(file.name, read.bytes);
      const recorded = await db.withTenant(tenantId, (tx) => record(tx, tenantId, runId, connection.id, { name: file.name, bytes: read.bytes, source: 'drop', uploadedBy: null }, parsed));
      if (recorded.status !== 'pending') await archive(tenantId, folder, { id: recorded.id, name: file.name, sha256: recorded.sha256 });
    }
    if (setAside.length > 0) await db.withTenant(tenantId, (tx) => repo.addToRun(tx, tenantId, runId, { rejected: setAside.length }, setAside));
  }

  /**
   * Records one file (dropped or uploaded) by its SHA-256: pending with its content, refused with the reason, or — a
   * content seen before — a duplicate of that file. A drop file recorded by an attempt that died before archiving it
   * is that same record, not a duplicate.
   */
  async function record(
    tx: Tx,
    tenantId: TenantId,
    runId: string | null,
    connectionId: string,
    input: { name: string; bytes: Buffer; source: 'drop' | 'upload'; uploadedBy: string | null },
    read: ParsedFile,
  ): Promise<{ id: string; status: files.FileStatus; sha256: string; reason: string | null; duplicateOf: files.FileRow | null }> {
    const sha256 = sha256Of(input.bytes);
    const parsed = 'refused' in read ? null : read;
    const reason = 'refused' in read ? read.refused.message : null;
    const at = clock.now();
    const id = newId();
    {
      const base = { tenantId, connectionId, name: input.name, source: input.source, sha256, sizeBytes: input.bytes.length, uploadedBy: input.uploadedBy, at };
      const fileFields = { feed: parsed?.feed ?? null, format: parsed?.format ?? null, encoding: parsed?.encoding ?? null, rowsTotal: parsed?.records.length ?? 0 };
      const fresh: files.NewFile = {
        ...base,
        ...fileFields,
        id,
        runId: parsed ? null : runId,
        status: parsed ? 'pending' : 'rejected',
        content: parsed ? input.bytes : null,
        reason,
        duplicateOf: null,
      };
      let inserted = await files.insertFile(tx, fresh);
      // The same content parked in the generic import (never applied) gives way to an export that will be applied.
      if (parsed && !inserted.inserted && inserted.existing.layout === 'generic' && inserted.existing.status === 'mapping' && (await files.supersedeParkedFile(tx, tenantId, inserted.existing.id, id, at))) {
        inserted = await files.insertFile(tx, fresh);
      }
      if (inserted.inserted) return { id, status: parsed ? 'pending' : 'rejected', sha256, reason, duplicateOf: null };
      const existing = inserted.existing;
      if (input.source === 'drop' && existing.source === 'drop' && existing.name === input.name && !existing.archived_at) {
        return { id: existing.id, status: existing.status, sha256, reason: existing.reason, duplicateOf: null };
      }
      await files.insertFile(tx, { ...base, ...fileFields, id, runId, status: 'duplicate', content: null, reason: null, duplicateOf: existing.id });
      return { id, status: 'duplicate', sha256, reason: null, duplicateOf: existing };
    }
  }

  /** Step 2 and 3: every pending file of the connection, profiles first, batch by batch from its checkpoint. */
  async function applyPending(tenantId: TenantId, runId: string, connection: repo.ConnectionRow): Promise<void> {
    const pending = await db.withTenant(tenantId, (tx) => files.findPendingFiles(tx, tenantId, connection.id));
    pending.sort((a, b) => (a.feed === b.feed ? 0 : a.feed === 'guests' ? -1 : 1));
    let folder: string | null | undefined;
    for (const file of pending) {
      const bytes = await db.withTenant(tenantId, (tx) => files.findFileContent(tx, tenantId, file.id));
      let items: FileItem[] = [];
      let refusal: string | null = bytes ? null : 'content_missing';
      if (bytes) {
        try {
          items = await itemsOf(tenantId, file, bytes);
        } catch (error) {
          if (!(error instanceof FileRefused)) throw error;
          refusal = error.message;
        }
      }
      if (refusal === null) await applyRecords(tenantId, runId, connection, file, items);
      const full = refusal === null && file.layout === 'dean' && file.feed === 'guests' ? fullProfilesFile(file.name) : null;
      await db.withTenant(tenantId, async (tx) => {
        // The absences are handled in the transaction that finishes the file: once, and never half.
        const outcome = full && (await files.lockPendingFile(tx, tenantId, file.id)) ? await deleteAbsent(tx, tenantId, runId, connection, file.name, items, full) : null;
        await files.finishFile(tx, tenantId, file.id, { status: refusal ? 'rejected' : 'applied', runId, reason: refusal ?? outcome, at: clock.now() });
      });
      if (file.source === 'drop') {
        folder ??= await folderOf(connection);
        if (folder) await archive(tenantId, folder, file);
      }
    }
  }

  /**
   * A FULL profile file lists every profile of its property (and the chain-wide ones, when it lists any): a live profile
   * of that scope it does not list, and that did not change after the export, was deleted in the PMS (contract §9.1).
   * It is deleted here as a tombstone of the export's time would delete it (§4.4: its member is unlinked, the stays stay
   * as history), each unlinked member recorded in the audit log; too many at once are held (FULL_HOLD_SHARE). Answers
   * what the file's record says.
   */
  async function deleteAbsent(tx: Tx, tenantId: TenantId, runId: string, connection: repo.ConnectionRow, fileName: string, items: FileItem[], full: { hotelCod: string; exportedAt: string }): Promise<string> {
    const listed = [...new Set(items.map((i) => (i.record['GCUST_COD'] ?? '').trim()).filter(Boolean))];
    const scope: files.FullScope = { ...full, chainWide: items.some((i) => !(i.record['HOTEL_COD'] ?? '').trim()) };
    const [inScope, absent] = [await files.countFullScope(tx, tenantId, connection.id, scope), await files.findAbsentFromFull(tx, tenantId, connection.id, scope, listed)];
    if (absent.length === 0) return 'full_absent_none';
    if (absent.length > FULL_HOLD_MIN && absent.length > inScope * FULL_HOLD_SHARE) {
      await repo.addToRun(tx, tenantId, runId, { rejected: 1 }, [{ stream: 'guests', key: fileName, reason: 'full_absent_held', file: fileName }]);
      return `full_absent_held: ${absent.length} / ${inScope}`;
    }
    const ctx = ctxOf(tx, tenantId);
    const applied = await deps.applyProfiles(ctx, connection.id, absent.map((a) => ({ GCUST_COD: a.gcust_cod, CO_DEL_STA: 'Y', UPD_DAT: full.exportedAt })));
    const linked = absent.filter((a) => a.member_id);
    for (const a of linked) {
      await recordAudit(ctx, { action: 'pms.profile_absent_from_full', targetType: 'member', targetId: a.member_id!, details: { connectionId: connection.id, gcustCod: a.gcust_cod, file: fileName, exportedAt: full.exportedAt } });
    }
    await repo.addToRun(tx, tenantId, runId, { updated: applied.updated }, []);
    return `full_absent_deleted: ${applied.updated} / ${linked.length}`;
  }

  /** A file's records in the order they are applied (a generic file: its profiles, then its stays). */
  async function itemsOf(tenantId: TenantId, file: Pick<files.FileRow, 'name' | 'layout' | 'mapping' | 'received_at'>, bytes: Buffer): Promise<FileItem[]> {
    if (file.layout === 'generic') {
      const sheet = await readGenericSheet(file.name, bytes);
      const { guests, stays } = toDeanRecords(sheet, (file.mapping ?? {}) as GenericMapping, taipeiLocal(new Date(file.received_at)), deps.guestKeyOf(tenantId));
      return [...guests.map((g) => ({ ...g, feed: 'guests' as const })), ...stays.map((g) => ({ ...g, feed: 'stays' as const }))];
    }
    const parsed = await readDeanFile(file.name, bytes);
    return parsed.records.map((r) => ({ ...r, feed: parsed.feed }));
  }

  /** One batch through the sync's upserts: profiles before stays; rejects with the file and row number. */
  async function applyBatch(ctx: TenantContext, connection: repo.ConnectionRow, fileName: string, batch: FileItem[]) {
    const totals = { pulledProfiles: 0, pulledStays: 0, created: 0, updated: 0, unchanged: 0 };
    const rejects: RejectEntry[] = [];
    for (const feed of ['guests', 'stays'] as const) {
      const part = batch.filter((b) => b.feed === feed);
      if (part.length === 0) continue;
      const rows = part.map((b) => b.record);
      const applied = feed === 'guests' ? await deps.applyProfiles(ctx, connection.id, rows) : await deps.applyStays(ctx, connection, rows);
      totals[feed === 'guests' ? 'pulledProfiles' : 'pulledStays'] += part.length;
      totals.created += applied.created;
      totals.updated += applied.updated;
      totals.unchanged += applied.unchanged;
      for (const { at, ...r } of applied.rejects) {
        // The row's place among those handed over gives its row number (two rows of one key are told apart too).
        const row = at !== undefined ? part[at]?.rowNumber : rowNumberOf(feed, part, r.key);
        rejects.push({ ...r, file: fileName, ...(row === undefined ? {} : { row }) });
      }
    }
    return { totals, rejects };
  }

  async function applyRecords(tenantId: TenantId, runId: string, connection: repo.ConnectionRow, file: files.FileRow, items: FileItem[]): Promise<void> {
    for (;;) {
      const done = await db.withTenant(tenantId, async (tx) => {
        const lock = await files.lockPendingFile(tx, tenantId, file.id);
        if (!lock) return true;
        const batch = items.slice(lock.rows_done, lock.rows_done + deps.batchSize);
        if (batch.length === 0) return true;
        const { totals, rejects } = await applyBatch(ctxOf(tx, tenantId), connection, file.name, batch);
        await repo.addToRun(tx, tenantId, runId, { ...totals, rejected: rejects.length }, rejects);
        const rowsDone = lock.rows_done + batch.length;
        await files.updateFile(tx, tenantId, file.id, { runId, rowsDone, addRejected: rejects.length });
        await deps.onBatchApplied?.({ file: file.name, rowsDone, runId });
        return rowsDone >= items.length;
      });
      if (done) return;
    }
  }

  function rowNumberOf(feed: PmsStream, batch: DeanFileRecord[], key: string): number | undefined {
    const position = /^#(\d+)$/.exec(key);
    if (position) return batch[Number(position[1]) - 1]?.rowNumber;
    return batch.find((b) => keyOf(feed, b.record).trim() === key)?.rowNumber;
  }

  return { pickUp, applyPending, record, parseFile, itemsOf, applyBatch };
}

export type FileIngest = ReturnType<typeof createFileIngest>;
