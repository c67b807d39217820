import { AppError } from '../../core/errors.ts';
import type { RequestContext, TenantContext } from '../../core/context.ts';
import { recordAudit } from '../audit/index.ts';
import { dropFolderPath, inspectDropFolder } from './pms.drop-folder.ts';
import { parseFile } from './pms.files.ts';
import * as files from './pms.files.repository.ts';
import * as repo from './pms.repository.ts';
import type { PmsSync } from './pms.sync.ts';

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

/** A file as the PMS page shows it. */
export function toFileView(row: files.FileRow) {
  return {
    id: row.id,
    runId: row.run_id,
    name: row.name,
    source: row.source,
    layout: row.layout,
    feed: row.feed,
    format: row.format,
    encoding: row.encoding,
    sha256: row.sha256,
    sizeBytes: row.size_bytes,
    status: row.status,
    rowsTotal: row.rows_total,
    rowsDone: row.rows_done,
    rejected: row.rejected,
    reason: row.reason,
    duplicateOf: row.duplicate_of,
    receivedAt: new Date(row.received_at),
    finishedAt: date(row.finished_at),
    archivedAt: date(row.archived_at),
  };
}

/**
 * The PMS page's files (contract §9): upload a 德安 export, see what was dropped or uploaded and what became of it.
 * An upload is checked before it is recorded (a file that is not 德安's layout is refused with the reason, nothing is
 * kept), recorded by its SHA-256 (the same content again is refused as a duplicate), and a run starts to apply it.
 */
export function createPmsFilesService(deps: { sync: PmsSync; dropRoot?: string | undefined }) {
  /** Held (repo.holdConnection): the files and mappings written here never race the connection's delete. */
  async function requireConnection(ctx: TenantContext, id: string): Promise<repo.ConnectionRow> {
    const connection = await repo.holdConnection(ctx.db, ctx.tenantId, id);
    if (!connection) throw new AppError('pms.connection_not_found');
    return connection;
  }

  async function listFiles(ctx: TenantContext, connectionId: string) {
    await requireConnection(ctx, connectionId);
    return (await files.findFiles(ctx.db, ctx.tenantId, connectionId, 100)).map(toFileView);
  }

  async function upload(ctx: RequestContext, connectionId: string, file: { fileName: string; bytes: Buffer }) {
    await requireConnection(ctx, connectionId);
    const parsed = await parseFile(file.fileName, file.bytes);
    if ('refused' in parsed) throw new AppError('pms.file_unreadable', { reason: parsed.refused.reason, missing: parsed.refused.missing });
    const recorded = await deps.sync.fileIngest.record(ctx.db, ctx.tenantId, null, connectionId, { name: file.fileName, bytes: file.bytes, source: 'upload', uploadedBy: ctx.accountId }, parsed);
    if (recorded.duplicateOf) {
      const earlier = recorded.duplicateOf;
      throw new AppError('pms.file_duplicate', { fileId: earlier.id, name: earlier.name, receivedAt: new Date(earlier.received_at).toISOString() });
    }
    const run = await deps.sync.startRun(ctx, connectionId, 'upload', ctx.accountId);
    await recordAudit(ctx, { action: 'pms.file_uploaded', targetType: 'pms_connection', targetId: connectionId, details: { fileId: recorded.id, name: file.fileName, rows: parsed.records.length } });
    const row = (await files.findFileBySha(ctx.db, ctx.tenantId, connectionId, recorded.sha256))!;
    return { file: toFileView(row), run: run ? { ...run, report: null } : null };
  }

  /** The drop folder as a run would find it (the PMS page says what is wrong before files wait there unread). */
  async function dropFolder(ctx: TenantContext, connectionId: string) {
    const connection = await requireConnection(ctx, connectionId);
    if (!connection.dropDir) return { dir: null, path: null, state: null };
    return { dir: connection.dropDir, path: dropFolderPath(connection.tenantId, connection.dropDir), state: await inspectDropFolder(deps.dropRoot, connection.dropDir, connection.tenantId) };
  }

  return { listFiles, upload, dropFolder };
}

export type PmsFilesService = ReturnType<typeof createPmsFilesService>;
