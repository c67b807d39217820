import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
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
/** Largest workbook taken, inflated (every part): 200,000 rows of a 40-column PMS export fit within it. */
export const MAX_SHEET_BYTES = 256 * 1024 * 1024;

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

function toSheet(format: SheetFormat, encoding: string, rawRecords: Array<{ rowNumber: number; cells: string[] }>, maxRows: number): Sheet {
  // A NUL (U+0000) carries nothing a person typed, and PostgreSQL text and jsonb cannot hold it: with one in a cell the
  // whole import failed at its first write. It is dropped here, where every file's cells come from.
  const records = rawRecords.map((r) => ({ rowNumber: r.rowNumber, cells: r.cells.map((c) => (c.includes('\u0000') ? c.replaceAll('\u0000', '') : c)) }));
  const nonEmpty = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const [header, ...data] = nonEmpty;
  if (!header || data.length === 0) throw new AppError('member_import.empty');
  if (data.length > maxRows) throw new AppError('member_import.too_many_rows', { rows: data.length, limit: maxRows });
  let width = filledWidth(header.cells);
  for (const row of data) width = Math.max(width, filledWidth(row.cells));
  width = Math.min(MAX_COLUMNS, width);
  const headers = Array.from({ length: width }, (_, i) => (header.cells[i] ?? '').replace(/^\uFEFF/, '').trim());
  return { format, encoding, headerRowNumber: header.rowNumber, headers, rows: data.map((r) => ({ rowNumber: r.rowNumber, cells: r.cells.slice(0, width) })) };
}

/** How much a file may hold (tests pass smaller ones). */
export type SheetLimits = { rows: number; sheetBytes: number };

export async function readSheet(bytes: Uint8Array, format: SheetFormat, limits: SheetLimits = { rows: MAX_ROWS, sheetBytes: MAX_SHEET_BYTES }): Promise<Sheet> {
  if (format === 'csv') return readCsv(bytes, limits);
  return readXlsx(bytes, limits);
}

/** Bytes of a CSV file parsed at a time. */
const CSV_SLICE = 256 * 1024;

/**
 * A CSV file, parsed a slice at a time: the parsing yields between slices, so other requests are served meanwhile (a
 * 49 MB file parsed in one call held the server's thread for 4 s, the attack review), and it stops once the file has
 * more rows than an import may have. Rows are numbered by record, as before.
 */
async function readCsv(bytes: Uint8Array, limits: SheetLimits): Promise<Sheet> {
  const { text, encoding } = decodeText(bytes);
  // Fed as UTF-8 bytes: the parser joins a character split between two slices, which slicing the string could not.
  const utf8 = Buffer.from(text, 'utf8');
  const slices = Readable.from((async function* () {
    for (let i = 0; i < utf8.length; i += CSV_SLICE) {
      yield utf8.subarray(i, i + CSV_SLICE);
      // A turn of the event loop between slices: streams alone pass chunks on in microtasks and never let it turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })());
  // The parsers are loaded on first use, as in spreadsheet-writer.ts: imports are rare, every process would hold them.
  const { parse: parseCsv } = await import('csv-parse');
  const parser = slices.pipe(parseCsv({ delimiter: sniffDelimiter(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false }));
  const records: Array<{ rowNumber: number; cells: string[] }> = [];
  let filled = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (cells.some((c) => c.trim() !== '')) filled += 1;
      if (filled > limits.rows + 1) throw new AppError('member_import.too_many_rows', { limit: limits.rows });
      records.push({ rowNumber: records.length + 1, cells });
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('member_import.unreadable', { reason: error instanceof Error ? error.message.slice(0, 200) : 'csv' });
  } finally {
    slices.destroy();
    parser.destroy();
  }
  return toSheet('csv', encoding, records, limits.rows);
}

/**
 * The first sheet of a workbook, read as a stream: rows are taken as the sheet's XML is inflated and parsed, and the
 * read stops as soon as the sheet has more rows than an import may have. Loading the whole workbook first (ExcelJS's
 * model) took 4 GB and 90 s of the server's one thread for a 23 MB file of 400,000 rows (the attack review): every
 * hotel group's requests waited behind it. Streamed, memory follows the rows kept, and the reading yields between
 * chunks. A sheet whose declared size is beyond any import (MAX_SHEET_BYTES) is refused before it is inflated.
 */
async function readXlsx(bytes: Uint8Array, limits: SheetLimits): Promise<Sheet> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  await refuseOversizedParts(buffer, limits.sheetBytes, limits.rows);
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  const records: Array<{ rowNumber: number; cells: string[] }> = [];
  let sheets = 0;
  let filled = 0;
  try {
    for await (const worksheet of reader) {
      sheets += 1;
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        const values = Array.isArray(row.values) ? row.values : [];
        const cells = Array.from({ length: Math.min(MAX_COLUMNS, Math.max(0, values.length - 1)) }, (_, i) => cellText(values[i + 1] ?? null));
        if (cells.some((c) => c.trim() !== '')) filled += 1;
        // The header and MAX_ROWS data rows at most: one row more is enough to refuse the file.
        if (filled > limits.rows + 1) throw new AppError('member_import.too_many_rows', { limit: limits.rows });
        records.push({ rowNumber: row.number, cells });
      }
      // The first sheet is the import: the reading stops there (a second sheet, however large, is never parsed).
      break;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('member_import.unreadable');
  }
  if (sheets === 0) throw new AppError('member_import.empty');
  return toSheet('xlsx', 'xlsx', records, limits.rows);
}

/**
 * Refuses a workbook whose parts together declare more than `maxBytes` inflated (a zip bomb), from its central
 * directory: every part counts (styles too are parsed, and a sheet stored before the shared strings is written out
 * whole before it is read). A zip that lies about its sizes is not caught here; the row limit still stops the read.
 */
async function refuseOversizedParts(buffer: Buffer, maxBytes: number, maxRows: number): Promise<void> {
  const { default: unzipper } = await import('unzipper');
  let directory: Awaited<ReturnType<typeof unzipper.Open.buffer>>;
  try {
    directory = await unzipper.Open.buffer(buffer);
  } catch {
    throw new AppError('member_import.unreadable');
  }
  const declared = directory.files.reduce((sum, f) => sum + f.uncompressedSize, 0);
  if (declared > maxBytes) throw new AppError('member_import.too_many_rows', { limit: maxRows });
}
