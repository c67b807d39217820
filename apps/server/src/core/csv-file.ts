import { stringify } from 'csv-stringify/sync';

/**
 * CSV files handed to hotel staff (member exports, import error reports, the PMS change file for the front desk).
 * Text a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) gets a leading
 * apostrophe: CSV/formula injection (OWASP). A UTF-8 BOM so Excel shows Chinese; CRLF rows.
 */

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
