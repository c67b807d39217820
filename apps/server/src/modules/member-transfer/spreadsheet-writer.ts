import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

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

/**
 * Values that start like a formula but cannot do anything, left as they are (an apostrophe would show in the cell):
 * a signed number (-5, +886912345678: a spreadsheet reads the number, nothing is called) and a masked phone number
 * (+886 912***678: digits, spaces and asterisks, no function, reference or link). OWASP's CSV-injection guidance
 * is about what can call a function, reach a cell or start DDE; none of these can.
 */
const HARMLESS = /^(?:[+-]?\d+(?:\.\d+)?|\+\d[\d ]*\*+[\d ]*\d)$/;

export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !HARMLESS.test(text) ? `'${text}` : text;
}

export function csvFile(rows: readonly string[][]): Buffer {
  return Buffer.from(stringify(rows.map((row) => row.map(neutraliseFormula)), { bom: true, record_delimiter: 'windows' }), 'utf8');
}

/** Streams the workbook into memory (no shared-strings table or styles to build), which keeps large exports lean. */
export async function xlsxFile(sheetName: string, rows: readonly string[][]): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
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
