import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../../core/errors.ts';

/**
 * Reads the first sheet of an uploaded file into text cells. CSV may be UTF-8 (with or without BOM), UTF-16 (Excel's
 * "Unicode text") or Big5 (common from older Taiwanese systems); the delimiter is sniffed (comma, tab, semicolon).
 * XLSX cells become text: dates as yyyy-mm-dd, formulas as their saved result, rich text as plain text.
 * Row numbers are the ones the spreadsheet shows, so errors can point at them.
 */

export type SheetFormat = 'csv' | 'xlsx';
export type SheetRow = { rowNumber: number; cells: string[] };
export type Sheet = { format: SheetFormat; encoding: string; headerRowNumber: number; headers: string[]; rows: SheetRow[] };

export const MAX_ROWS = 200_000;
export const MAX_COLUMNS = 200;

export function detectFormat(fileName: string, bytes: Uint8Array): SheetFormat | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (ole || extension === 'xls') return undefined;
  if (zip) return extension === undefined || extension === 'xlsx' ? 'xlsx' : undefined;
  if (extension === undefined || ['csv', 'txt', 'tsv'].includes(extension)) return 'csv';
  return undefined;
}

export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: in Taiwan that is almost always Big5 (Excel's "CSV" on a zh-TW Windows, older PMS exports).
    return { text: new TextDecoder('big5').decode(bytes), encoding: 'big5' };
  }
}

function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, 10_000).split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const counts = [',', '\t', ';'].map((d) => [d, unquoted.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('hyperlink' in value) {
    const text = (value as { text: unknown }).text;
    return typeof text === 'string' ? text : cellText(text as ExcelJS.CellValue);
  }
  return '';
}

/** Cells up to the last non-empty one (trailing delimiters add no columns). */
function filledWidth(cells: string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i]!.trim() !== '') return i + 1;
  return 0;
}

function toSheet(format: SheetFormat, encoding: string, rawRecords: Array<{ rowNumber: number; cells: string[] }>): Sheet {
  // A NUL (U+0000) carries nothing a person typed, and PostgreSQL text and jsonb cannot hold it: with one in a cell the
  // whole import failed at its first write. It is dropped here, where every file's cells come from.
  const records = rawRecords.map((r) => ({ rowNumber: r.rowNumber, cells: r.cells.map((c) => (c.includes('\u0000') ? c.replaceAll('\u0000', '') : c)) }));
  const nonEmpty = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const [header, ...data] = nonEmpty;
  if (!header || data.length === 0) throw new AppError('member_import.empty');
  if (data.length > MAX_ROWS) throw new AppError('member_import.too_many_rows', { rows: data.length, limit: MAX_ROWS });
  let width = filledWidth(header.cells);
  for (const row of data) width = Math.max(width, filledWidth(row.cells));
  width = Math.min(MAX_COLUMNS, width);
  const headers = Array.from({ length: width }, (_, i) => (header.cells[i] ?? '').replace(/^\uFEFF/, '').trim());
  return { format, encoding, headerRowNumber: header.rowNumber, headers, rows: data.map((r) => ({ rowNumber: r.rowNumber, cells: r.cells.slice(0, width) })) };
}

export async function readSheet(bytes: Uint8Array, format: SheetFormat): Promise<Sheet> {
  if (format === 'csv') {
    const { text, encoding } = decodeText(bytes);
    let records: string[][];
    try {
      records = parse(text, { delimiter: sniffDelimiter(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
    } catch (error) {
      throw new AppError('member_import.unreadable', { reason: error instanceof Error ? error.message.slice(0, 200) : 'csv' });
    }
    return toSheet('csv', encoding, records.map((cells, i) => ({ rowNumber: i + 1, cells })));
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new AppError('member_import.unreadable');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new AppError('member_import.empty');
  const records: Array<{ rowNumber: number; cells: string[] }> = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = Array.isArray(row.values) ? row.values : [];
    records.push({ rowNumber, cells: Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1] ?? null)) });
  });
  return toSheet('xlsx', 'xlsx', records);
}
