import { ZCheckRequest as ZCheckRequestShape, ZExportRequest as ZExportRequestShape } from '@innkeeper/contracts/api';
import { z } from 'zod';
import { IMPORT_FIELDS, type ImportField } from './import-fields.ts';
import { EXPORT_COLUMNS } from './member-export.service.ts';
import { MAX_COLUMNS } from './spreadsheet-reader.ts';

// The bodies and answers are the wire contract (@innkeeper/contracts/api); here the server's own lists of import
// fields and export columns narrow them, and the multipart file and downloads are described.

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export const ZImportIdParams = z.object({ importId: z.uuid() });

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

export const ZCheckRequest = ZCheckRequestShape.extend({ mapping: ZImportMapping });

export const ZExportRequest = ZExportRequestShape.extend({ columns: z.array(z.enum(EXPORT_COLUMNS)).min(1).max(EXPORT_COLUMNS.length).optional() });

const ZFile = z.instanceof(Buffer).meta({ type: 'string', format: 'binary' });

/** A file download (the handler sets Content-Type and Content-Disposition). */
export const ZFileDownload = {
  description: 'An XLSX workbook, or CSV in UTF-8 with a BOM; an attachment with a UTF-8 file name',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: ZFile },
    'text/csv': { schema: ZFile },
  },
};
