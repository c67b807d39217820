import { PassThrough } from 'node:stream';
import { neutraliseFormula } from '../../core/csv-file.ts';

/**
 * Files we hand out (member exports, error reports). Every cell is text, and text that a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe: CSV/formula injection
 * (OWASP). XLSX cells are written as strings, never as formulas; they get the same apostrophe so that a file saved
 * again as CSV stays safe. CSV carries a UTF-8 BOM so Excel shows Chinese.
 */

export type FileFormat = 'csv' | 'xlsx';

export const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};


/** Streams the workbook into memory (no shared-strings table or styles to build), which keeps large exports lean. */
export async function xlsxFile(sheetName: string, rows: readonly string[][]): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  // Loaded on first use: ExcelJS and its zip and XML libraries are ~130 modules that every process (the worker
  // running a campaign too) would otherwise hold from start, for the rare import or export (bench/README.md, RSS).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  for (const row of rows) sheet.addRow(row.map(neutraliseFormula)).commit();
  sheet.commit();
  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name (會員匯出-2026-11-22.xlsx) for browsers that read it. */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}
