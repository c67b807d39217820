import type { Store } from './store.ts';
import { formatLocal } from './time.ts';
import type { GuestRow, StayRow } from './types.ts';

/**
 * The file-drop transport (docs/pms-dean-contract.md §9): the same rows as CSV in 德安's column names, named
 * `<TABLE>_<HOTEL_COD>_<YYYYMMDDHHmmss>_<FULL|DELTA>.csv`, UTF-8 with a BOM (as Excel writes it), RFC 4180 quoting.
 */
export const GUEST_COLUMNS: ReadonlyArray<keyof GuestRow> = [
  'GCUST_COD', 'SHOW_COD', 'HOTEL_COD', 'ALT_NAM', 'LAST_NAM', 'FIRST_NAM', 'SEX_TYP', 'BIRTH_DAT', 'CONTRY_COD', 'ID_NOS',
  'CONTACT1_COD', 'CONTACT1_RMK', 'CONTACT2_COD', 'CONTACT2_RMK', 'CONTACT3_COD', 'CONTACT3_RMK', 'CONTACT4_COD', 'CONTACT4_RMK',
  'MOBILE_NOS', 'HOME_TEL', 'OFFICE_TEL', 'E_MAIL', 'DM_FLAG', 'MCUST_COD', 'CO_DEL_STA', 'INS_DAT', 'UPD_DAT',
];
export const STAY_COLUMNS: ReadonlyArray<keyof StayRow> = [
  'STAY_KEY', 'IKEY', 'IKEY_SEQ_NOS', 'CI_SER', 'GCUST_COD', 'HOTEL_COD', 'RVRESERVE_NOS', 'CI_DAT', 'CO_DAT', 'ACI_DAT', 'ACO_DAT',
  'ROOM_COD', 'ROOM_NOS', 'ORDER_STA', 'GUEST_STA', 'DEL_FLAG', 'ADULT_QNT', 'CHILD_QNT', 'UPD_DAT',
];

function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<T>(columns: ReadonlyArray<keyof T>, rows: T[]): string {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export type ExportedFile = { name: string; content: string; rows: number };

/** A FULL snapshot, or a DELTA of rows changed since `since` (inclusive), of committed rows only. */
export function exportFile(store: Store, table: 'GHIST_MN' | 'GUEST_MN', options: { since?: string; hotel?: string } = {}): ExportedFile {
  const now = store.now();
  const kind = options.since ? 'DELTA' : 'FULL';
  const stamp = formatLocal(now).replace(/[-: ]/g, '');
  const hotel = options.hotel ?? store.data.hotels[0]!;
  const name = `${table}_${hotel}_${stamp}_${kind}.csv`;
  if (table === 'GHIST_MN') {
    const rows = store.guests.page(options.since ?? null, null, Number.MAX_SAFE_INTEGER, now).rows;
    return { name, content: toCsv(GUEST_COLUMNS, rows), rows: rows.length };
  }
  const rows = store.stays.page(options.since ?? null, null, Number.MAX_SAFE_INTEGER, now).rows.filter((s) => s.HOTEL_COD === hotel);
  return { name, content: toCsv(STAY_COLUMNS, rows), rows: rows.length };
}
