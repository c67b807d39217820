import type { Clock } from '../../core/clock.ts';
import type { RequestContext, TenantContext } from '../../core/context.ts';
import type { Tx } from '../../core/db/database.ts';
import { writeUniqueName } from '../../core/db/rename.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import type { Sheet } from '../member-transfer/index.ts';
import { FileRefused } from './pms.file-rows.ts';
import { readGenericSheet, sha256Of, type FileItem } from './pms.files.ts';
import * as files from './pms.files.repository.ts';
import { suggestMapping, unknownColumns, type GenericMapping } from './pms.generic.ts';
import * as repo from './pms.repository.ts';
import { toFileView } from './pms.files.service.ts';
import type { PmsSync } from './pms.sync.ts';
import type { RejectEntry } from './pms.tables.ts';

/**
 * The generic file import (any PMS's CSV/XLSX): upload → the columns and a few sample rows (masked) with a suggested
 * mapping → a dry run (what would be created, updated, linked, sent to review or set aside, and why) → apply, which
 * queues the file with its mapping for a run (the run history records it, as for any file). Mappings are saved per
 * connection under a name. The dry run applies everything inside a savepoint and rolls it back.
 */
class DryRunDone extends Error {
  readonly result: unknown;
  constructor(result: unknown) {
    super('dry run');
    this.result = result;
  }
}

/**
 * A cell that may hold an ID, a phone number, a birthday or an e-mail address is shown masked in the sample. Digits
 * are read through the separators people type (0912.345.678, (02)2345-6789, 1985/03/12), not only spaces and dashes,
 * and in full width too (０９１２３４５６７８, Ａ１２３４５６７８９, 0912－345－678: what a zh-TW keyboard left in full-width
 * mode types), which NFKC folds to ASCII before the test.
 */
export function maskCell(cell: string): string {
  if (!/\d{5,}|@|[A-Za-z]\d{6,}/.test(cell.normalize('NFKC').replace(/[\s\-.()+/\u2010-\u2015\u2212\u30fc]/g, ''))) return cell;
  const text = cell.trim();
  return text.length <= 4 ? '****' : `${text.slice(0, 2)}${'*'.repeat(Math.min(8, text.length - 4))}${text.slice(-2)}`;
}

/**
 * A cell that cannot be an ID, a phone number or an e-mail address by its shape — a date or date-time as PMSs spell
 * them (2026-11-01, 2026/11/1, 20261101, 115/11/01, with a time), a small count — or one the mask leaves as it is. The
 * screen shows it as typed when staff import its column as a date, a count, a room type or a code, so they can check
 * the format; masked otherwise. A column of IDs imported as 入住日 still shows masked: its cells are not date-shaped.
 */
const PLAIN_SHAPES = [
  /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/,
  /^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}(?: \d{1,2}:\d{2}(?::\d{2})?)?$/,
  /^\d{2,3}[-/.]\d{1,2}[-/.]\d{1,2}$/,
  /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\d{6})?$/,
  /^\d{1,4}(?:\.\d+)?\D{0,2}$/,
];
export function plainCell(cell: string): string | null {
  const text = cell.trim();
  if (maskCell(cell) === cell) return cell;
  return PLAIN_SHAPES.some((shape) => shape.test(text.normalize('NFKC'))) ? cell : null;
}

export function createPmsGenericService(deps: { sync: PmsSync; clock: Clock }) {
  const { sync } = deps;

  /** Held (repo.holdConnection): the files and mappings written here never race the connection's delete. */
  async function requireConnection(ctx: TenantContext, id: string): Promise<repo.ConnectionRow> {
    const connection = await repo.holdConnection(ctx.db, ctx.tenantId, id);
    if (!connection) throw new AppError('pms.connection_not_found');
    return connection;
  }

  async function sheetOf(name: string, bytes: Buffer) {
    try {
      return await readGenericSheet(name, bytes);
    } catch (error) {
      if (error instanceof FileRefused) throw new AppError('pms.import_unreadable', { reason: error.reason });
      throw error;
    }
  }

  async function upload(ctx: RequestContext, connectionId: string, file: { fileName: string; bytes: Buffer }) {
    await requireConnection(ctx, connectionId);
    const sheet = await sheetOf(file.fileName, file.bytes);
    const sha256 = sha256Of(file.bytes);
    const at = deps.clock.now();
    const inserted = await files.insertFile(ctx.db, {
      tenantId: ctx.tenantId,
      id: newId(),
      connectionId,
      runId: null,
      name: file.fileName,
      source: 'upload',
      layout: 'generic',
      feed: null,
      format: sheet.format,
      encoding: sheet.encoding,
      sha256,
      sizeBytes: file.bytes.length,
      status: 'mapping',
      content: file.bytes,
      rowsTotal: sheet.rows.length,
      reason: null,
      duplicateOf: null,
      uploadedBy: ctx.accountId,
      at,
    });
    // The same file again while it still waits for its mapping: staff go on with it; once applied, it is a duplicate.
    if (!inserted.inserted && !(inserted.existing.status === 'mapping' && inserted.existing.layout === 'generic')) {
      throw new AppError('pms.file_duplicate', { fileId: inserted.existing.id, name: inserted.existing.name, receivedAt: new Date(inserted.existing.received_at).toISOString() });
    }
    const row = (await files.findFileBySha(ctx.db, ctx.tenantId, connectionId, sha256))!;
    return viewOf(row, sheet);
  }

  /** What staff map from: the file, its columns, the first rows masked and a suggested mapping. */
  function viewOf(row: files.FileRow, sheet: Sheet) {
    return {
      file: toFileView(row),
      columns: sheet.headers,
      sample: sheet.rows.slice(0, 5).map((r) => sheet.headers.map((_, i) => maskCell(r.cells[i] ?? ''))),
      samplePlain: sheet.rows.slice(0, 5).map((r) => sheet.headers.map((_, i) => plainCell(r.cells[i] ?? ''))),
      suggestedMapping: suggestMapping(sheet.headers),
    };
  }

  /** A generic file still waiting for its mapping (not applied, not discarded), with its bytes and sheet. */
  async function waitingFile(ctx: TenantContext, connectionId: string, fileId: string): Promise<{ file: files.FileRow; bytes: Buffer; sheet: Sheet }> {
    const file = await files.findFile(ctx.db, ctx.tenantId, connectionId, fileId);
    if (!file || file.layout !== 'generic' || file.status !== 'mapping') throw new AppError('pms.import_not_found');
    const bytes = await files.findFileContent(ctx.db, ctx.tenantId, file.id);
    if (!bytes) throw new AppError('pms.import_not_found');
    return { file, bytes, sheet: await sheetOf(file.name, bytes) };
  }

  /** A waiting file shown again (staff left the mapping screen and come back to it). */
  async function show(ctx: TenantContext, connectionId: string, fileId: string) {
    await requireConnection(ctx, connectionId);
    const { file, sheet } = await waitingFile(ctx, connectionId, fileId);
    return viewOf(file, sheet);
  }

  /**
   * A waiting file staff do not want: deleted with its content (it was never applied, so no run or row refers to it),
   * and the same file may be uploaded again. Compare-and-set on 'mapping': an apply that won the race is kept.
   */
  async function discard(ctx: RequestContext, connectionId: string, fileId: string) {
    await requireConnection(ctx, connectionId);
    const file = await files.findFile(ctx.db, ctx.tenantId, connectionId, fileId);
    if (!file || file.layout !== 'generic' || file.status !== 'mapping') throw new AppError('pms.import_not_found');
    if (!(await files.deleteWaitingFile(ctx.db, ctx.tenantId, connectionId, file.id))) throw new AppError('pms.import_not_found');
    await recordAudit(ctx, { action: 'pms.import_discarded', targetType: 'pms_connection', targetId: connectionId, details: { fileId: file.id, name: file.name, rows: file.rows_total } });
  }

  /** The file waiting for its mapping, and its rows under `mapping` (refused when it names columns the file lacks). */
  async function mappedItems(ctx: TenantContext, connectionId: string, fileId: string, mapping: GenericMapping): Promise<{ file: files.FileRow; items: FileItem[] }> {
    const { file, bytes, sheet } = await waitingFile(ctx, connectionId, fileId);
    const unknown = unknownColumns(mapping, sheet.headers);
    if (unknown.length > 0) throw new AppError('pms.mapping_unknown_columns', { columns: unknown });
    const items = await sync.fileIngest.itemsOf(ctx.tenantId, { ...file, mapping: mapping as Record<string, string> }, bytes);
    return { file, items };
  }

  async function dryRun(ctx: RequestContext, connectionId: string, fileId: string, mapping: GenericMapping) {
    const connection = await requireConnection(ctx, connectionId);
    const { file, items } = await mappedItems(ctx, connectionId, fileId, mapping);
    try {
      await ctx.db.transaction(async (savepoint) => {
        const inner: TenantContext = { ...ctx, db: savepoint as Tx };
        const counts = { profiles: { created: 0, updated: 0, unchanged: 0 }, stays: { created: 0, updated: 0, unchanged: 0 } };
        const rejects: RejectEntry[] = [];
        for (const feed of ['guests', 'stays'] as const) {
          const part = items.filter((i) => i.feed === feed);
          for (let at = 0; at < part.length; at += 500) {
            const { totals, rejects: set } = await sync.fileIngest.applyBatch(inner, connection, file.name, part.slice(at, at + 500));
            const target = feed === 'guests' ? counts.profiles : counts.stays;
            target.created += totals.created;
            target.updated += totals.updated;
            target.unchanged += totals.unchanged;
            rejects.push(...set);
          }
        }
        const { report, newlyLinked } = await sync.matchConnection(inner, connection);
        throw new DryRunDone({
          rows: items.filter((i) => i.feed === 'guests').length,
          ...counts,
          rejected: rejects.length,
          rejects: rejects.slice(0, 200).map(({ file: _file, ...r }) => r),
          matching: { newlyLinked, matched: report.matched, inReview: report.inReview, unmatched: report.unmatched, unmatchedReasons: report.unmatchedReasons, reviewReasons: report.reviewReasons },
        });
      });
    } catch (error) {
      if (error instanceof DryRunDone) return error.result as never;
      throw error;
    }
    throw new Error('dry run ended without a result');
  }

  async function apply(ctx: RequestContext, connectionId: string, fileId: string, mapping: GenericMapping) {
    await requireConnection(ctx, connectionId);
    const { file, items } = await mappedItems(ctx, connectionId, fileId, mapping);
    if (!(await files.queueMappedFile(ctx.db, ctx.tenantId, file.id, mapping as Record<string, string>, items.length))) throw new AppError('pms.import_not_found');
    const run = await sync.startRun(ctx, connectionId, 'upload', ctx.accountId);
    await recordAudit(ctx, { action: 'pms.file_uploaded', targetType: 'pms_connection', targetId: connectionId, details: { fileId: file.id, name: file.name, rows: file.rows_total, mapping: Object.keys(mapping) } });
    const row = (await files.findFile(ctx.db, ctx.tenantId, connectionId, file.id))!;
    return { file: toFileView(row), run: run ? { ...run, report: null } : null };
  }

  // ---- saved mappings ----

  const toMapping = (row: files.MappingRow) => ({ id: row.id, name: row.name, mapping: row.mapping, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) });
  const nameTaken = { pms_column_mappings_name_key: () => new AppError('pms.mapping_name_taken', { field: 'name' }) };

  async function listMappings(ctx: TenantContext, connectionId: string) {
    await requireConnection(ctx, connectionId);
    return (await files.findMappings(ctx.db, ctx.tenantId, connectionId)).map(toMapping);
  }

  async function createMapping(ctx: RequestContext, connectionId: string, input: { name: string; mapping: GenericMapping }) {
    await requireConnection(ctx, connectionId);
    const row = await writeUniqueName(
      ctx.db,
      (tx) => files.insertMapping(tx, { tenantId: ctx.tenantId, id: newId(), connectionId, name: input.name, mapping: input.mapping as Record<string, string>, createdBy: ctx.accountId, at: deps.clock.now() }),
      nameTaken,
    );
    await recordAudit(ctx, { action: 'pms.mapping_saved', targetType: 'pms_connection', targetId: connectionId, details: { mappingId: row.id, name: row.name } });
    return toMapping(row);
  }

  async function updateMapping(ctx: RequestContext, connectionId: string, id: string, patch: { name?: string | undefined; mapping?: GenericMapping | undefined }) {
    await requireConnection(ctx, connectionId);
    const row = await writeUniqueName(
      ctx.db,
      (tx) => files.updateMapping(tx, ctx.tenantId, connectionId, id, { ...(patch.name ? { name: patch.name } : {}), ...(patch.mapping ? { mapping: patch.mapping as Record<string, string> } : {}) }, deps.clock.now()),
      nameTaken,
    );
    if (!row) throw new AppError('pms.mapping_not_found');
    // What changed, and a rename's old name: a re-save of the same mapping says it changed nothing (browser review).
    const fields = [...(row.name !== row.previous.name ? ['name'] : []), ...(JSON.stringify(row.mapping) !== JSON.stringify(row.previous.mapping) ? ['mapping'] : [])];
    await recordAudit(ctx, { action: 'pms.mapping_updated', targetType: 'pms_connection', targetId: connectionId, details: { mappingId: id, name: row.name, ...(fields.includes('name') ? { previousName: row.previous.name } : {}), fields } });
    return toMapping(row);
  }

  async function deleteMapping(ctx: RequestContext, connectionId: string, id: string) {
    await requireConnection(ctx, connectionId);
    const deleted = await files.deleteMapping(ctx.db, ctx.tenantId, connectionId, id);
    if (!deleted) throw new AppError('pms.mapping_not_found');
    await recordAudit(ctx, { action: 'pms.mapping_deleted', targetType: 'pms_connection', targetId: connectionId, details: { mappingId: id, name: deleted.name } });
  }

  return { upload, show, discard, dryRun, apply, listMappings, createMapping, updateMapping, deleteMapping };
}

export type PmsGenericService = ReturnType<typeof createPmsGenericService>;
