import { AppError } from '../../core/errors.ts';
import { detectFormat, readSheet, type SheetFormat } from '../member-transfer/index.ts';
import type { PmsStream } from './pms.tables.ts';

/**
 * A 德安 export file (contract §9) read into records with 德安's column names: the same shape the HTTP transport
 * answers, so the sync's normaliser and upserts take them unchanged. Columns are matched by name (any order, any case,
 * extra columns ignored); a cell left empty is null, as the HTTP transport sends a missing value. Each record keeps the
 * row number the spreadsheet shows, for the rows set aside.
 */

export const GUEST_COLUMNS = [
  'GCUST_COD', 'SHOW_COD', 'HOTEL_COD', 'ALT_NAM', 'LAST_NAM', 'FIRST_NAM', 'SEX_TYP', 'BIRTH_DAT', 'CONTRY_COD', 'ID_NOS',
  'CONTACT1_COD', 'CONTACT1_RMK', 'CONTACT2_COD', 'CONTACT2_RMK', 'CONTACT3_COD', 'CONTACT3_RMK', 'CONTACT4_COD', 'CONTACT4_RMK',
  'MOBILE_NOS', 'HOME_TEL', 'OFFICE_TEL', 'E_MAIL', 'DM_FLAG', 'MCUST_COD', 'CO_DEL_STA', 'INS_DAT', 'UPD_DAT',
] as const;

export const STAY_COLUMNS = [
  'STAY_KEY', 'IKEY', 'IKEY_SEQ_NOS', 'CI_SER', 'GCUST_COD', 'HOTEL_COD', 'RVRESERVE_NOS', 'CI_DAT', 'CO_DAT', 'ACI_DAT', 'ACO_DAT',
  'ROOM_COD', 'ROOM_NOS', 'ORDER_STA', 'GUEST_STA', 'DEL_FLAG', 'ADULT_QNT', 'CHILD_QNT', 'UPD_DAT',
] as const;

/** Why a whole file is refused (recorded on the file; an upload answers it at once). */
export type FileRefusal = 'unsupported_format' | 'unreadable' | 'empty' | 'too_many_rows' | 'unknown_layout' | 'missing_columns' | 'too_large' | 'not_a_regular_file';

export class FileRefused extends Error {
  readonly reason: FileRefusal;
  readonly missing: string[];
  constructor(reason: FileRefusal, missing: string[] = []) {
    super(missing.length > 0 ? `${reason}: ${missing.join(', ')}` : reason);
    this.reason = reason;
    this.missing = missing;
  }
}

export type DeanFileRecord = { rowNumber: number; record: Record<string, string | null> };
export type DeanFile = { feed: PmsStream; format: SheetFormat; encoding: string; records: DeanFileRecord[] };

/** Which feed a file holds: by its name (contract §9.1), else by its columns (an upload named by a person). */
export function feedOf(name: string, headers: string[]): PmsStream | null {
  if (/^GHIST_MN_/i.test(name)) return 'guests';
  if (/^GUEST_MN_/i.test(name)) return 'stays';
  if (headers.includes('CI_DAT') && headers.includes('GCUST_COD')) return 'stays';
  if (headers.includes('GCUST_COD')) return 'guests';
  return null;
}

function missingColumns(feed: PmsStream, headers: Set<string>): string[] {
  const needed = feed === 'guests' ? ['GCUST_COD', 'UPD_DAT'] : ['GCUST_COD', 'CI_DAT', 'CO_DAT', 'UPD_DAT'];
  const missing = needed.filter((c) => !headers.has(c));
  if (feed === 'stays' && !headers.has('STAY_KEY') && !['IKEY', 'IKEY_SEQ_NOS', 'CI_SER'].every((c) => headers.has(c))) missing.push('STAY_KEY');
  return missing;
}

export async function readDeanFile(name: string, bytes: Uint8Array): Promise<DeanFile> {
  const format = detectFormat(name, bytes);
  if (!format) throw new FileRefused('unsupported_format');
  let sheet;
  try {
    sheet = await readSheet(bytes, format);
  } catch (error) {
    if (error instanceof AppError && error.code === 'member_import.empty') throw new FileRefused('empty');
    if (error instanceof AppError && error.code === 'member_import.too_many_rows') throw new FileRefused('too_many_rows');
    throw new FileRefused('unreadable');
  }
  const headers = sheet.headers.map((h) => h.trim().toUpperCase());
  const feed = feedOf(name, headers);
  if (!feed) throw new FileRefused('unknown_layout');
  const present = new Set(headers);
  const missing = missingColumns(feed, present);
  if (missing.length > 0) throw new FileRefused('missing_columns', missing);
  const columns = feed === 'guests' ? GUEST_COLUMNS : STAY_COLUMNS;
  const index = new Map(columns.map((c) => [c, headers.indexOf(c)]));
  const records = sheet.rows.map((row) => {
    const record: Record<string, string | null> = {};
    for (const column of columns) {
      const at = index.get(column)!;
      const cell = at >= 0 ? (row.cells[at] ?? '').trim() : '';
      record[column] = cell === '' ? null : cell;
    }
    return { rowNumber: row.rowNumber, record };
  });
  return { feed, format, encoding: sheet.encoding, records };
}
