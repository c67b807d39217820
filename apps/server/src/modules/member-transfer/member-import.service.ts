import crypto from 'node:crypto';
import { ERROR_CATALOG, errorMessage, type ErrorCode, type Locale } from '@innkeeper/contracts';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type RequestContext, type TenantContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import { asTenantId, newId } from '../../core/ids.ts';
import type { JobQueue } from '../../core/jobs/queue.ts';
import { recordAudit } from '../audit/index.ts';
import { memberSelection, type BulkFailure, type BulkStayRow, type MembersBulk, type PropertyScope } from '../members/index.ts';
import { calendarDate } from '../segments/index.ts';
import type { TagsService } from '../tags/index.ts';
import { getCurrentTenant, listAllProperties } from '../tenants/index.ts';
import { FIELD_LABELS, fieldsOf, KEY_FIELDS, REQUIRED_FIELDS, suggestMapping, type ImportField, type ImportKind, type ImportMapping } from './import-fields.ts';
import { templateTable, withoutExampleRows } from './import-template.ts';
import { columnLabel, displayValue, draftMembers, draftStays, tagNamesIn, type Lookups, type MemberDraft, type StayDraft } from './import-rows.ts';
import { memberImportJob, type ImportJobData } from './member-transfer.jobs.ts';
import { fieldLabel, renderMessage, renderSummaryMessage, REPORT_HEADERS } from './member-transfer.messages.ts';
import * as repo from './member-transfer.repository.ts';
import { SUMMARY_PARAMS } from './member-transfer.repository.ts';
import type { ImportRow, ImportRowOutcome, ProgressDelta } from './member-transfer.repository.ts';
import type { RowAction, RowError } from './member-transfer.tables.ts';
import { detectFormat, readSheet, type Sheet } from './spreadsheet-reader.ts';
import { csvFile } from '../../core/csv-file.ts';
import { xlsxFile, type FileFormat } from './spreadsheet-writer.ts';

/** Rows per transaction of a dry run or an import: small enough to keep the database responsive, large enough to be quick. */
export const BATCH_SIZE = 500;
/** Dry runs of files up to this size run in the request; larger ones run as a background job with progress. */
export const SYNC_CHECK_ROWS = 2000;

const REASON_CODES: Record<BulkFailure, string> = {
  member_no_unknown: 'field.import_member_no_unknown',
  ambiguous: 'field.import_ambiguous',
  out_of_scope: 'field.import_out_of_scope',
  duplicate_identity: 'field.import_duplicate_identity',
  not_found: 'field.import_member_not_found',
};

type Draft = MemberDraft | StayDraft;
/** Runs a piece of work in a tenant transaction: the request's (small dry runs) or a fresh one per batch (jobs). */
type Step = <T>(fn: (ctx: TenantContext) => Promise<T>) => Promise<T>;

export type ImportDeps = { db: Database; clock: Clock; bulk: MembersBulk; tags: TagsService; queue: () => JobQueue };

function scopeOf(ctx: TenantContext): string[] | null {
  return ctx.propertyScope.kind === 'all' ? null : [...ctx.propertyScope.ids];
}

/**
 * An import's rows name members of the properties it was made for, so an account limited to some properties sees only
 * imports made by an account limited to some of them (its own among them); group-level imports stay with group-level
 * staff (decision 0006).
 */
function visibleTo(ctx: TenantContext, row: ImportRow): boolean {
  if (ctx.propertyScope.kind === 'all') return true;
  const mine = new Set(ctx.propertyScope.ids);
  return row.propertyScope !== null && row.propertyScope.every((id) => mine.has(id));
}

function outcomeCounts(outcomes: ImportRowOutcome[]): ProgressDelta {
  const count = (action: RowAction) => outcomes.filter((o) => o.action === action).length;
  const errors = count('error');
  return { processed: outcomes.length, valid: outcomes.length - errors, errors, created: count('create'), updated: count('update'), unchanged: count('unchanged') };
}

export function toImportDto(row: ImportRow, locale: Locale) {
  const started = row.startedAt !== null || row.status === 'queued';
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.fileName,
    format: row.fileFormat,
    encoding: row.fileEncoding,
    fileSize: row.fileSize,
    sha256: row.fileSha256,
    status: row.status,
    columns: row.columns,
    mapping: row.mapping,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    progress: row.totalRows === 0 ? 0 : Math.min(100, Math.floor((row.processedRows * 100) / row.totalRows)),
    validRows: row.validRows,
    errorRows: row.errorRows,
    planned: row.checkedAt ? { create: row.plannedCreate, update: row.plannedUpdate, unchanged: row.plannedUnchanged } : null,
    result: started ? { created: row.createdCount, updated: row.updatedCount, unchanged: row.unchangedCount } : null,
    errorSummary: row.errors.map((e) => ({ field: e.field, fieldLabel: fieldLabel(e.field, locale), column: e.column, code: e.code, message: renderSummaryMessage(e.code, locale, e.field, e.params ?? [], SUMMARY_PARAMS), count: e.count })),
    failure: row.failure ? (row.failure in ERROR_CATALOG ? errorMessage(row.failure as ErrorCode, locale) : row.failure) : null,
    createdAt: row.createdAt,
    checkedAt: row.checkedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export type ImportDto = ReturnType<typeof toImportDto>;

export function createMemberImportService(deps: ImportDeps) {
  const { db, clock, bulk, tags } = deps;
  const job = memberImportJob((data) => runJob(data));

  async function requireImport(ctx: TenantContext, id: string): Promise<ImportRow> {
    const row = await repo.findImport(ctx.db, ctx.tenantId, id);
    if (!row || !visibleTo(ctx, row)) throw new AppError('member_import.not_found');
    return row;
  }

  async function loadSheet(ctx: TenantContext, row: ImportRow): Promise<Sheet> {
    const bytes = await repo.findImportFile(ctx.db, ctx.tenantId, row.id);
    if (!bytes) throw new AppError('member_import.file_removed');
    return withoutExampleRows(await readSheet(bytes, row.fileFormat)).sheet;
  }

  async function loadLookups(ctx: TenantContext, row: ImportRow, sheet: Sheet): Promise<Lookups> {
    const properties = await listAllProperties(ctx);
    const tenant = await getCurrentTenant(ctx);
    return {
      properties: properties.map((p) => ({ id: p.id, code: p.code, name: p.name })),
      // Asked of the database, not matched here: its lower() is what keeps tag names apart (the unique index).
      tagIdsByName: row.kind === 'members' ? await tags.tagIdsByNames(ctx, tagNamesIn(sheet, row.mapping ?? {})) : new Map(),
      today: calendarDate(clock.now(), tenant.timezone),
      scope: row.propertyScope ?? 'all',
    };
  }

  function draftsOf(row: ImportRow, sheet: Sheet, lookups: Lookups): Draft[] {
    return row.kind === 'members' ? draftMembers(sheet, row.mapping ?? {}, lookups) : draftStays(sheet, row.mapping ?? {}, lookups);
  }

  function planError(row: ImportRow, draft: Draft, field: string, code: string): RowError {
    const value = draft.values[field as ImportField] ?? '';
    return { field, column: columnLabel(row.columns.map((c) => c.header), row.mapping ?? {}, field), code, value: displayValue(field, value) };
  }

  const errorOutcome = (rowNumber: number, errors: RowError[]): ImportRowOutcome => ({ rowNumber, action: 'error', memberId: null, memberNo: null, fields: [], errors });

  async function processMembers(ctx: TenantContext, row: ImportRow, batch: MemberDraft[], mode: 'check' | 'commit'): Promise<ImportRowOutcome[]> {
    const scope: PropertyScope = row.propertyScope ?? 'all';
    const valid = batch.filter((d) => d.errors.length === 0);
    const plans = valid.length > 0 ? await bulk.planMembers(ctx, valid.map((d) => ({ keys: d.keys, fields: d.fields })), { scope }) : [];
    const existing = plans.flatMap((p) => (p.action === 'update' || p.action === 'unchanged' ? [p.member.id] : []));
    const assigned = await repo.findAssignedTags(ctx.db, ctx.tenantId, existing, [...new Set(valid.flatMap((d) => d.tagIds))], clock.now());
    const newTags = valid.map((d, i) => {
      const plan = plans[i]!;
      if (plan.action === 'create') return d.tagIds;
      if (plan.action === 'error') return [];
      return d.tagIds.filter((tagId) => !assigned.has(`${plan.member.id}:${tagId}`));
    });
    let members = plans.map((p) => (p.action === 'update' || p.action === 'unchanged' ? p.member : null));
    if (mode === 'commit') {
      const source = { importId: row.id, fileName: row.fileName };
      members = await bulk.applyMembers(ctx, valid.map((d, i) => ({ fields: d.fields, plan: plans[i]!, alsoChanged: newTags[i]!.length > 0 ? ['tags'] : [] })), source);
      const byTag = new Map<string, string[]>();
      valid.forEach((_, i) => {
        const member = members[i];
        if (!member) return;
        for (const tagId of newTags[i]!) byTag.set(tagId, [...(byTag.get(tagId) ?? []), member.id]);
      });
      for (const [tagId, ids] of byTag) {
        await tags.addTagToSelection(ctx, tagId, memberSelection(ctx, ids), { source: 'import', sourceRef: row.id, sourceLabel: row.fileName });
      }
    }
    const outcomes = new Map<Draft, ImportRowOutcome>();
    valid.forEach((d, i) => {
      const plan = plans[i]!;
      if (plan.action === 'error') {
        outcomes.set(d, errorOutcome(d.rowNumber, [planError(row, d, plan.field, REASON_CODES[plan.reason])]));
        return;
      }
      const tagsChanged = newTags[i]!.length > 0;
      const member = members[i];
      outcomes.set(d, {
        rowNumber: d.rowNumber,
        action: plan.action === 'unchanged' && tagsChanged ? 'update' : plan.action,
        memberId: member?.id ?? null,
        memberNo: member?.memberNo ?? null,
        fields: tagsChanged ? [...plan.fields, 'tags'] : plan.fields,
        errors: [],
      });
    });
    return batch.map((d) => outcomes.get(d) ?? errorOutcome(d.rowNumber, d.errors));
  }

  async function processStays(ctx: TenantContext, row: ImportRow, batch: StayDraft[], mode: 'check' | 'commit'): Promise<ImportRowOutcome[]> {
    const scope: PropertyScope = row.propertyScope ?? 'all';
    const valid = batch.filter((d) => d.errors.length === 0);
    const matched = valid.length > 0 ? await bulk.matchMembers(ctx, valid.map((d) => d.keys), { scope }) : { rows: [] };
    const outcomes = new Map<Draft, ImportRowOutcome>();
    const stays: BulkStayRow[] = [];
    const owners: Array<{ draft: StayDraft; member: { id: string; memberNo: string } }> = [];
    valid.forEach((d, i) => {
      const { match } = matched.rows[i]!;
      if (match.kind === 'member') {
        stays.push({ memberId: match.member.id, ...d.stay });
        owners.push({ draft: d, member: match.member });
      } else if (match.kind === 'error') {
        outcomes.set(d, errorOutcome(d.rowNumber, [planError(row, d, match.field, REASON_CODES[match.reason])]));
      } else {
        const key = KEY_FIELDS.find((f) => d.keys[f] !== undefined) ?? 'memberNo';
        outcomes.set(d, errorOutcome(d.rowNumber, [planError(row, d, key, REASON_CODES.not_found)]));
      }
    });
    const plans = await bulk.planStays(ctx, stays);
    if (mode === 'commit') await bulk.applyStays(ctx, plans, { importId: row.id, fileName: row.fileName });
    plans.forEach((plan, j) => {
      const { draft, member } = owners[j]!;
      if (plan.action === 'error') {
        outcomes.set(draft, errorOutcome(draft.rowNumber, [planError(row, draft, plan.field, plan.reason === 'dates_missing' ? 'field.required' : 'field.check_out_before_check_in')]));
      } else {
        outcomes.set(draft, { rowNumber: draft.rowNumber, action: plan.action, memberId: member.id, memberNo: member.memberNo, fields: plan.fields, errors: [] });
      }
    });
    return batch.map((d) => outcomes.get(d) ?? errorOutcome(d.rowNumber, d.errors));
  }

  function processBatch(ctx: TenantContext, row: ImportRow, batch: Draft[], mode: 'check' | 'commit'): Promise<ImportRowOutcome[]> {
    return row.kind === 'members' ? processMembers(ctx, row, batch as MemberDraft[], mode) : processStays(ctx, row, batch as StayDraft[], mode);
  }

  /** The dry run: every row validated and matched, nothing written but the outcomes; progress reported per batch. */
  async function runCheck(step: Step, row: ImportRow, options: { analyze: boolean }): Promise<void> {
    if (options.analyze) await repo.analyzeImportTables(db);
    const sheet = await step((ctx) => loadSheet(ctx, row));
    const lookups = await step((ctx) => loadLookups(ctx, row, sheet));
    const drafts = draftsOf(row, sheet, lookups);
    await step((ctx) => repo.deleteImportRows(ctx.db, ctx.tenantId, row.id));
    const totals: ProgressDelta = { processed: 0, valid: 0, errors: 0, created: 0, updated: 0, unchanged: 0 };
    for (let start = 0; start < drafts.length; start += BATCH_SIZE) {
      const batch = drafts.slice(start, start + BATCH_SIZE);
      await step(async (ctx) => {
        const outcomes = await processBatch(ctx, row, batch, 'check');
        await repo.insertImportRows(ctx.db, ctx.tenantId, row.id, outcomes);
        const delta = outcomeCounts(outcomes);
        for (const key of Object.keys(totals) as Array<keyof ProgressDelta>) totals[key] += delta[key];
        await repo.updateImport(ctx.db, ctx.tenantId, row.id, { processedRows: totals.processed });
      });
    }
    await step(async (ctx) => {
      await repo.updateImport(ctx.db, ctx.tenantId, row.id, {
        status: 'checked',
        processedRows: totals.processed,
        validRows: totals.valid,
        errorRows: totals.errors,
        plannedCreate: totals.created,
        plannedUpdate: totals.updated,
        plannedUnchanged: totals.unchanged,
        errors: await repo.summariseErrors(ctx.db, ctx.tenantId, row.id),
        checkedAt: clock.now(),
      });
    });
  }

  /** The import: batch after batch, each committed with its progress, so a restarted job resumes after the last one. */
  async function runImport(step: Step, queued: ImportRow): Promise<void> {
    const row = await step((ctx) => repo.updateImport(ctx.db, ctx.tenantId, queued.id, { status: 'importing', startedAt: queued.startedAt ?? clock.now() }, ['queued', 'importing']));
    if (!row) return;
    const sheet = await step((ctx) => loadSheet(ctx, row));
    const lookups = await step((ctx) => loadLookups(ctx, row, sheet));
    const drafts = draftsOf(row, sheet, lookups);
    if (row.processedRows === 0) await step((ctx) => repo.deleteImportRows(ctx.db, ctx.tenantId, row.id));
    await repo.analyzeImportTables(db);
    let batches = 0;
    for (let start = row.processedRows; start < drafts.length; start += BATCH_SIZE) {
      const batch = drafts.slice(start, start + BATCH_SIZE);
      // Statistics again while small tables grow (after 1, 2, 4, 8 and 16 batches): plans chosen for a few hundred rows
      // are the ones that go wrong; once the statistics show thousands, the plans hold as the tables keep growing.
      if (batches > 0 && batches <= 16 && (batches & (batches - 1)) === 0) await repo.analyzeImportTables(db);
      batches += 1;
      await step(async (ctx) => {
        await repo.lockTenantImports(ctx.db, ctx.tenantId);
        // The sheet is in memory; if its file was deleted meanwhile (a guest in it was erased), stop rather than
        // write them back from the copy.
        if ((await repo.findImport(ctx.db, ctx.tenantId, row.id))?.fileRemovedAt) throw new AppError('member_import.file_removed');
        const outcomes = await processBatch(ctx, row, batch, 'commit');
        // Unchanged rows are only counted: a re-import of 100,000 unchanged rows writes nothing per row.
        await repo.insertImportRows(ctx.db, ctx.tenantId, row.id, outcomes.filter((o) => o.action !== 'unchanged'));
        await repo.addProgress(ctx.db, ctx.tenantId, row.id, outcomeCounts(outcomes));
      });
    }
    await step(async (ctx) => {
      const done = await repo.updateImport(ctx.db, ctx.tenantId, row.id, { status: 'completed', finishedAt: clock.now(), errors: await repo.summariseErrors(ctx.db, ctx.tenantId, row.id) });
      // The file has served its purpose: what was imported is in the members, the outcomes are kept masked.
      await repo.dropImportFile(ctx.db, ctx.tenantId, row.id, clock.now());
      await recordAudit(ctx, {
        action: 'member_import.completed',
        targetType: 'member_import',
        targetId: row.id,
        details: { fileName: row.fileName, kind: row.kind, rows: done?.totalRows, created: done?.createdCount, updated: done?.updatedCount, unchanged: done?.unchangedCount, errorRows: done?.errorRows },
      });
    });
  }

  async function runJob(data: ImportJobData): Promise<void> {
    const tenantId = asTenantId(data.tenantId);
    const step: Step = (fn) =>
      db.withTenant(tenantId, (tx) => fn(systemContext(tx, tenantId, 'import', { requestId: `import:${data.importId}` })));
    const row = await step((ctx) => repo.findImport(ctx.db, ctx.tenantId, data.importId));
    if (!row) return;
    try {
      if (row.status === 'checking') await runCheck(step, row, { analyze: true });
      else if (row.status === 'queued' || row.status === 'importing') await runImport(step, row);
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'internal';
      await step(async (ctx) => {
        const failed = await repo.updateImport(ctx.db, ctx.tenantId, row.id, { status: 'failed', failure: code, finishedAt: clock.now() });
        if (row.status !== 'checking') {
          await recordAudit(ctx, { action: 'member_import.failed', targetType: 'member_import', targetId: row.id, details: { fileName: row.fileName, kind: row.kind, processedRows: failed?.processedRows, failure: code } });
        }
      });
      // The queue logs it; a retry finds the import failed and stops. Staff can check and import again (idempotent).
      throw error;
    }
  }

  // Requests

  async function upload(ctx: RequestContext, input: { kind: ImportKind; fileName: string; bytes: Buffer }) {
    if (input.bytes.length === 0) throw new AppError('member_import.file_missing');
    const format = detectFormat(input.fileName, input.bytes);
    if (!format) throw new AppError('member_import.unsupported_format');
    const { sheet, exampleRows } = withoutExampleRows(await readSheet(input.bytes, format));
    const id = newId();
    const sha256 = crypto.createHash('sha256').update(input.bytes).digest('hex');
    await repo.insertImport(
      ctx.db,
      {
        tenantId: ctx.tenantId,
        id,
        kind: input.kind,
        fileName: input.fileName,
        fileFormat: format,
        fileSha256: sha256,
        fileEncoding: sheet.encoding,
        fileSize: input.bytes.length,
        columns: sheet.headers.map((header, index) => ({ index, header })),
        totalRows: sheet.rows.length,
        propertyScope: scopeOf(ctx),
        createdBy: ctx.accountId,
        createdAt: clock.now(),
      },
      input.bytes,
    );
    const row = await requireImport(ctx, id);
    return {
      import: toImportDto(row, ctx.locale),
      headerRow: sheet.headerRowNumber,
      exampleRows,
      sampleRows: sheet.rows.slice(0, 5),
      suggestedMapping: suggestMapping(input.kind, sheet.headers),
      fields: fieldsOf(input.kind).map((field) => ({
        field,
        label: FIELD_LABELS[field][ctx.locale],
        required: REQUIRED_FIELDS[input.kind].includes(field),
        key: (KEY_FIELDS as readonly string[]).includes(field),
      })),
      previousImports: await repo.findImportsOfFile(ctx.db, ctx.tenantId, sha256, id, scopeOf(ctx)),
    };
  }

  function validateMapping(kind: ImportKind, columnCount: number, mapping: ImportMapping, locale: Locale): void {
    const issues: Array<{ path: string; code: string; message: string }> = [];
    const issue = (path: string, code: string, field: string) => issues.push({ path, code, message: renderMessage(code, locale, field) });
    const allowed = fieldsOf(kind);
    const used = new Set<number>();
    for (const [field, index] of Object.entries(mapping) as Array<[ImportField, number]>) {
      if (!allowed.includes(field)) issue(`mapping.${field}`, 'field.import_field_unknown', field);
      else if (index >= columnCount) issue(`mapping.${field}`, 'field.import_column_unknown', field);
      else if (used.has(index)) issue(`mapping.${field}`, 'field.import_column_twice', field);
      used.add(index);
    }
    if (!KEY_FIELDS.some((field) => mapping[field] !== undefined)) issue('mapping', 'field.import_mapping_key', '');
    for (const field of REQUIRED_FIELDS[kind]) if (mapping[field] === undefined) issue(`mapping.${field}`, 'field.required', field);
    if (issues.length > 0) throw new AppError('member_import.invalid_mapping', { issues });
  }

  /** Saves the mapping and runs the dry run: in this request for small files, as a background job for large ones. */
  async function check(ctx: RequestContext, id: string, mapping: ImportMapping): Promise<ImportDto> {
    const row = await requireImport(ctx, id);
    validateMapping(row.kind, row.columns.length, mapping, ctx.locale);
    const checking = await repo.updateImport(
      ctx.db,
      ctx.tenantId,
      id,
      { status: 'checking', mapping, propertyScope: scopeOf(ctx), processedRows: 0, validRows: 0, errorRows: 0, plannedCreate: 0, plannedUpdate: 0, plannedUnchanged: 0, errors: [], failure: null, checkedAt: null, startedAt: null, finishedAt: null },
      ['uploaded', 'checked', 'failed'],
    );
    if (!checking) throw new AppError('member_import.wrong_status', { status: row.status });
    if (checking.totalRows > SYNC_CHECK_ROWS) {
      await deps.queue().enqueue(ctx.db, job, { tenantId: ctx.tenantId, importId: id });
      return toImportDto(checking, ctx.locale);
    }
    await runCheck((fn) => fn(ctx), checking, { analyze: false });
    return toImportDto(await requireImport(ctx, id), ctx.locale);
  }

  /** Queues the import of a checked file; the job re-checks every row against the data as it is then. */
  async function commit(ctx: RequestContext, id: string): Promise<ImportDto> {
    const row = await requireImport(ctx, id);
    const queued = await repo.updateImport(
      ctx.db,
      ctx.tenantId,
      id,
      { status: 'queued', propertyScope: scopeOf(ctx), processedRows: 0, validRows: 0, errorRows: 0, createdCount: 0, updatedCount: 0, unchangedCount: 0, failure: null, startedAt: null, finishedAt: null },
      ['checked'],
    );
    if (!queued) throw new AppError('member_import.wrong_status', { status: row.status });
    await recordAudit(ctx, {
      action: 'member_import.started',
      targetType: 'member_import',
      targetId: id,
      details: { fileName: row.fileName, kind: row.kind, rows: row.totalRows, planned: { create: row.plannedCreate, update: row.plannedUpdate, unchanged: row.plannedUnchanged, errorRows: row.errorRows } },
    });
    await deps.queue().enqueue(ctx.db, job, { tenantId: ctx.tenantId, importId: id });
    return toImportDto(queued, ctx.locale);
  }

  async function getImport(ctx: RequestContext, id: string): Promise<ImportDto> {
    return toImportDto(await requireImport(ctx, id), ctx.locale);
  }

  async function listImports(ctx: RequestContext, page: { page: number; pageSize: number }) {
    const { rows, total } = await repo.findImports(ctx.db, ctx.tenantId, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize, withinProperties: scopeOf(ctx) });
    return { data: rows.map((r) => toImportDto(r, ctx.locale)), total, page: page.page, pageSize: page.pageSize };
  }

  function errorsDto(errors: RowError[], locale: Locale) {
    return errors.map((e) => ({ field: e.field, fieldLabel: fieldLabel(e.field, locale), column: e.column, value: e.value, code: e.code, message: renderMessage(e.code, locale, e.field, e.params) }));
  }

  /** Each row's outcome (what the dry run would do, or what the import did; an import lists no unchanged rows), in file order. */
  async function listRows(ctx: RequestContext, id: string, query: { action?: RowAction | undefined; page: number; pageSize: number }) {
    await requireImport(ctx, id);
    const { rows, total } = await repo.findImportRows(ctx.db, ctx.tenantId, id, { action: query.action, offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
    return {
      data: rows.map((r) => ({ rowNumber: r.rowNumber, action: r.action, memberId: r.memberId, memberNo: r.memberNo, fields: r.fields, errors: errorsDto(r.errors, ctx.locale) })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** Every row error as a spreadsheet: row number, field, column, value (masked where personal) and the reason. */
  async function errorReport(ctx: RequestContext, id: string, format: FileFormat) {
    const row = await requireImport(ctx, id);
    const rows = await repo.findErrorRows(ctx.db, ctx.tenantId, id);
    const table = [
      REPORT_HEADERS[ctx.locale],
      ...rows.flatMap((r) => errorsDto(r.errors, ctx.locale).map((e) => [String(r.rowNumber), e.fieldLabel, e.column, e.value, e.message])),
    ];
    const bytes = format === 'csv' ? csvFile(table) : await xlsxFile(ctx.locale === 'en' ? 'Errors' : '錯誤列表', table);
    const base = row.fileName.replace(/\.[^.]+$/, '');
    return { bytes, fileName: `${base}-${ctx.locale === 'en' ? 'errors' : '錯誤報告'}.${format}`, asciiName: `import-errors.${format}`, format };
  }

  /** The template of an import file: recognised headers and one example row, which the importer skips. */
  async function template(ctx: RequestContext, kind: ImportKind, format: FileFormat) {
    const table = templateTable(kind, ctx.locale);
    const bytes = format === 'csv' ? csvFile(table) : await xlsxFile(ctx.locale === 'en' ? 'Template' : '範本', table);
    const name = kind === 'members' ? (ctx.locale === 'en' ? 'member-import-template' : '會員匯入範本') : ctx.locale === 'en' ? 'stay-import-template' : '住房匯入範本';
    return { bytes, fileName: `${name}.${format}`, asciiName: `${kind === 'members' ? 'member' : 'stay'}-import-template.${format}`, format };
  }

  return { upload, template, check, commit, getImport, listImports, listRows, errorReport, job };
}

export type MemberImportService = ReturnType<typeof createMemberImportService>;
