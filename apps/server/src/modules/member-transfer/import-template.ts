import type { Locale } from '@innkeeper/contracts';
import { FIELD_LABELS, normaliseHeader, type ImportField, type ImportKind } from './import-fields.ts';
import type { Sheet } from './spreadsheet-reader.ts';

/**
 * The import templates: the headers the importer recognises and one example row of a fictional guest. The example row
 * starts with a marker (範例（匯入時略過）) in its first cell; the importer leaves such rows out and says so, so a
 * template filled in below the example imports only the real rows even if nobody deletes the example.
 */

export const EXAMPLE_MARKER: Record<Locale, string> = { 'zh-TW': '範例（匯入時略過）', en: 'Example (skipped on import)' };
// As normaliseHeader reads the marker in either language (the remark in brackets is dropped).
const MARKERS = new Set(Object.values(EXAMPLE_MARKER).map(normaliseHeader));

type Example = Partial<Record<ImportField, Record<Locale, string>>>;
const same = (value: string) => ({ 'zh-TW': value, en: value });

const TEMPLATES: Record<ImportKind, { fields: ImportField[]; example: Example }> = {
  members: {
    fields: ['memberNo', 'lastName', 'firstName', 'gender', 'birthday', 'mobile', 'email', 'identity', 'passportCountry', 'marketingOptIn', 'property', 'preferredLanguage', 'notes', 'tags'],
    example: {
      lastName: { 'zh-TW': '林', en: 'Lin' },
      firstName: { 'zh-TW': '範例', en: 'Example' },
      gender: { 'zh-TW': '女', en: 'Female' },
      birthday: same('1990/03/15'),
      mobile: same('0900-000-000'),
      email: same('guest@example.com'),
      marketingOptIn: { 'zh-TW': '是', en: 'Yes' },
      preferredLanguage: { 'zh-TW': '中文', en: 'Chinese' },
      notes: { 'zh-TW': '此列為範例，匯入時會略過；請從下一列開始填寫', en: 'This row is an example and is skipped; fill in from the next row' },
      tags: { 'zh-TW': 'VIP、商務客', en: 'VIP, Business' },
    },
  },
  stays: {
    fields: ['memberNo', 'mobile', 'property', 'reservationNo', 'checkIn', 'checkOut', 'roomType', 'rateCode', 'channel', 'amount', 'currency', 'status', 'adults', 'children'],
    example: {
      mobile: same('0900-000-000'),
      property: same('TPE'),
      reservationNo: same('R-EXAMPLE-1'),
      checkIn: same('2026/01/01'),
      checkOut: same('2026/01/03'),
      roomType: same('DLX'),
      rateCode: same('BAR'),
      channel: { 'zh-TW': '官網', en: 'Website' },
      amount: same('6800'),
      currency: same('TWD'),
      status: { 'zh-TW': '已退房', en: 'Stayed' },
      adults: same('2'),
      children: same('1'),
    },
  },
};

/** Header row and example row of the template, in the account's language. */
export function templateTable(kind: ImportKind, locale: Locale): string[][] {
  const { fields, example } = TEMPLATES[kind];
  return [fields.map((field) => FIELD_LABELS[field][locale]), fields.map((field, i) => (i === 0 ? EXAMPLE_MARKER[locale] : (example[field]?.[locale] ?? '')))];
}

/** The sheet without the template's example rows, and which rows those were (as the spreadsheet numbers them). */
export function withoutExampleRows(sheet: Sheet): { sheet: Sheet; exampleRows: number[] } {
  const exampleRows = sheet.rows.filter((row) => MARKERS.has(normaliseHeader(row.cells[0] ?? ''))).map((row) => row.rowNumber);
  if (exampleRows.length === 0) return { sheet, exampleRows };
  return { sheet: { ...sheet, rows: sheet.rows.filter((row) => !exampleRows.includes(row.rowNumber)) }, exampleRows };
}
