import { z } from 'zod';
import { ZAudience } from '@innkeeper/contracts/api';
import { pageOf, ZPageQuery } from '../../core/http/pagination.ts';
import { IMPORT_FIELDS, type ImportField } from './import-fields.ts';
import { EXPORT_COLUMNS } from './member-export.service.ts';
import { MAX_COLUMNS } from './spreadsheet-reader.ts';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export const ZImportIdParams = z.object({ importId: z.uuid() });

const ZImportKind = z.enum(['members', 'stays']);
const ZImportStatus = z.enum(['uploaded', 'checking', 'checked', 'queued', 'importing', 'completed', 'failed']);
const ZRowAction = z.enum(['create', 'update', 'unchanged', 'error']);

export const ZUploadQuery = z.strictObject({ kind: ZImportKind.default('members') });

function withoutControlCharacters(text: string): string {
  return [...text].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('');
}

/** The multipart upload as the route reads it (the file part, buffered before the handler's transaction opens). */
export const ZUploadedFile = z.object({
  fileName: z
    .string()
    // Control characters have no place in a name shown to staff, and PostgreSQL text cannot hold a NUL at all.
    .transform((name) => withoutControlCharacters(name).split(/[\\/]/).pop()!.trim().slice(-200))
    .pipe(z.string().min(1)),
  bytes: z.instanceof(Buffer),
});

/** Field → 0-based column index; fields left out are not imported. */
export const ZImportMapping = z.partialRecord(z.enum(IMPORT_FIELDS as [ImportField, ...ImportField[]]), z.number().int().min(0).max(MAX_COLUMNS - 1));

export const ZCheckRequest = z.strictObject({ mapping: ZImportMapping });

const ZErrorSummary = z.object({ field: z.string(), fieldLabel: z.string(), column: z.string(), code: z.string(), message: z.string(), count: z.number().int() });

export const ZMemberImport = z.object({
  id: z.string(),
  kind: ZImportKind,
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string(),
  fileSize: z.number().int(),
  sha256: z.string(),
  status: ZImportStatus,
  columns: z.array(z.object({ index: z.number().int(), header: z.string() })),
  mapping: z.record(z.string(), z.number().int()).nullable(),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  progress: z.number().int().describe('percent of rows processed by the running dry run or import'),
  validRows: z.number().int(),
  errorRows: z.number().int(),
  planned: z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int() }).nullable().describe('what the dry run found'),
  result: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }).nullable().describe('what the import did (so far)'),
  errorSummary: z.array(ZErrorSummary),
  failure: z.string().nullable(),
  createdAt: z.date(),
  checkedAt: z.date().nullable(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});

export const ZUploadResponse = z.object({
  import: ZMemberImport,
  headerRow: z.number().int(),
  /** Rows of the template's example (first cell 範例（匯入時略過）): left out of the import. */
  exampleRows: z.array(z.number().int()),
  sampleRows: z.array(z.object({ rowNumber: z.number().int(), cells: z.array(z.string()) })),
  suggestedMapping: z.record(z.string(), z.number().int()),
  fields: z.array(z.object({ field: z.string(), label: z.string(), required: z.boolean(), key: z.boolean() })),
  previousImports: z.array(z.object({ id: z.string(), fileName: z.string(), status: ZImportStatus, createdAt: z.date(), finishedAt: z.date().nullable() })),
});

export const ZImportList = pageOf(ZMemberImport);

export const ZImportRowsQuery = ZPageQuery.extend({ action: ZRowAction.optional() });

const ZRowError = z.object({ field: z.string(), fieldLabel: z.string(), column: z.string(), value: z.string().describe('masked where personal data'), code: z.string(), message: z.string() });

export const ZImportRowsPage = pageOf(
  z.object({
    rowNumber: z.number().int(),
    action: ZRowAction,
    memberId: z.string().nullable(),
    memberNo: z.string().nullable(),
    fields: z.array(z.string()),
    errors: z.array(ZRowError),
  }),
);

export const ZTemplateQuery = z.strictObject({ kind: ZImportKind.default('members'), format: z.enum(['csv', 'xlsx']).default('csv') });
export const ZReportQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('xlsx') });

export const ZExportRequest = z.strictObject({
  audience: ZAudience.default({}),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  columns: z.array(z.enum(EXPORT_COLUMNS)).min(1).max(EXPORT_COLUMNS.length).optional(),
});

const ZFile = z.instanceof(Buffer).meta({ type: 'string', format: 'binary' });

/** A file download (the handler sets Content-Type and Content-Disposition). */
export const ZFileDownload = {
  description: 'An XLSX workbook, or CSV in UTF-8 with a BOM; an attachment with a UTF-8 file name',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: ZFile },
    'text/csv': { schema: ZFile },
  },
};
