import { z } from 'zod';
import { pageOf, ZPageQuery } from './pages.ts';
import { ZAudience } from './segments.ts';

// Member import (upload, map, dry run, import) and export. Which fields a file can map and which columns an export
// can hold are the server's lists (it sends the fields with each upload); it checks them as it reads these bodies.

export const ZImportKind = z.enum(['members', 'stays']);
export const ZImportStatus = z.enum(['uploaded', 'checking', 'checked', 'queued', 'importing', 'completed', 'failed']);
export const ZRowAction = z.enum(['create', 'update', 'unchanged', 'error']);
export const ZFileFormat = z.enum(['csv', 'xlsx']);

/** POST /api/member-imports?kind= (multipart) */
export const ZUploadQuery = z.strictObject({ kind: ZImportKind.default('members') });

/** Field → 0-based column index; fields left out are not imported. */
export const ZImportMapping = z.record(z.string(), z.number().int().min(0));

/** POST /api/member-imports/:id/check: saves the mapping and dry-runs the file. */
export const ZCheckRequest = z.strictObject({ mapping: ZImportMapping });

const ZErrorSummary = z.object({ field: z.string(), fieldLabel: z.string(), column: z.string(), code: z.string(), message: z.string(), count: z.number().int() });

export const ZMemberImport = z.object({
  id: z.string(),
  kind: ZImportKind,
  fileName: z.string(),
  format: ZFileFormat,
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

/** The upload's answer: the file's columns, sample rows and a suggested mapping. */
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

/** GET /api/member-imports, newest first. */
export const ZImportList = pageOf(ZMemberImport);

/** GET /api/member-imports/:id/rows */
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

export const ZTemplateQuery = z.strictObject({ kind: ZImportKind.default('members'), format: ZFileFormat.default('csv') });
export const ZReportQuery = z.strictObject({ format: ZFileFormat.default('xlsx') });

/** POST /api/members/export: an audience as XLSX or CSV, optionally only some columns. */
export const ZExportRequest = z.strictObject({
  audience: ZAudience.default({}),
  format: ZFileFormat.default('xlsx'),
  columns: z.array(z.string()).min(1).optional(),
});
