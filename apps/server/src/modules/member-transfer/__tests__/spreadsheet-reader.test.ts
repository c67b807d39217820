import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors.ts';
import { readSheet } from '../spreadsheet-reader.ts';

/** A workbook as Excel saves one: a header, `rows` data rows (a date, rich text, a formula's result), and a second sheet. */
async function workbook(rows: number, secondSheetRows = 1): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('住客');
  sheet.addRow(['姓名', '手機', '生日', '備註', '小計']);
  for (let i = 1; i <= rows; i += 1) {
    const row = sheet.addRow([`住客${i}`, `0912${String(i).padStart(6, '0')}`, new Date(Date.UTC(1990, 0, i)), { richText: [{ text: '常' }, { text: '客', font: { bold: true } }] }, { formula: `${i}*2`, result: i * 2 }]);
    row.getCell(3).numFmt = 'yyyy-mm-dd';
  }
  const notes = book.addWorksheet('說明');
  for (let i = 0; i < secondSheetRows; i += 1) notes.addRow([`這張不匯入 ${i}`]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const refusal = (promise: Promise<unknown>) => promise.then(() => 'read', (error: unknown) => (error instanceof AppError ? error.code : String(error)));

describe('an uploaded workbook, read as a stream', () => {
  it('gives the first sheet’s cells as text: dates as yyyy-mm-dd, rich text plain, formulas as their result, rows numbered as shown', async () => {
    const sheet = await readSheet(await workbook(3), 'xlsx');
    expect(sheet.headers).toEqual(['姓名', '手機', '生日', '備註', '小計']);
    expect(sheet.rows).toEqual([
      { rowNumber: 2, cells: ['住客1', '0912000001', '1990-01-01', '常客', '2'] },
      { rowNumber: 3, cells: ['住客2', '0912000002', '1990-01-02', '常客', '4'] },
      { rowNumber: 4, cells: ['住客3', '0912000003', '1990-01-03', '常客', '6'] },
    ]);
  });

  it('takes exactly as many rows as an import may have, and refuses one more (the read stops there)', async () => {
    expect((await readSheet(await workbook(100), 'xlsx', { rows: 100, sheetBytes: 64 * 1024 * 1024 })).rows).toHaveLength(100);
    expect(await refusal(readSheet(await workbook(300), 'xlsx', { rows: 100, sheetBytes: 64 * 1024 * 1024 }))).toBe('member_import.too_many_rows');
    // A second sheet is never read: however many rows it has, the first one is the import.
    expect((await readSheet(await workbook(100, 1_000), 'xlsx', { rows: 100, sheetBytes: 64 * 1024 * 1024 })).rows).toHaveLength(100);
  });

  it('refuses a workbook whose sheets declare more inflated bytes than any import needs, before inflating them (a zip bomb)', async () => {
    const bytes = await workbook(300);
    expect(await refusal(readSheet(bytes, 'xlsx', { rows: 200_000, sheetBytes: 4 * 1024 }))).toBe('member_import.too_many_rows');
    expect(await refusal(readSheet(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'xlsx'))).toBe('member_import.unreadable');
  });
});

describe('an uploaded CSV, parsed a slice at a time', () => {
  it('reads a file larger than one slice whole, characters split between slices included, rows numbered by record', async () => {
    // ~600 kB: three slices; every row has a four-byte character (𠮷) and a quoted line break somewhere.
    const lines = ['姓名,備註'];
    for (let i = 1; i <= 10_000; i += 1) lines.push(i % 1000 === 0 ? `吉田𠮷${i},"兩行\n備註"` : `吉田𠮷${i},${'常客'.repeat(10)}`);
    const sheet = await readSheet(Buffer.from(lines.join('\r\n')), 'csv');
    expect(sheet.rows).toHaveLength(10_000);
    expect(sheet.rows.every((r, i) => r.cells[0] === `吉田𠮷${i + 1}`)).toBe(true);
    expect(sheet.rows[999]).toEqual({ rowNumber: 1001, cells: ['吉田𠮷1000', '兩行\n備註'] });
  });

  it('stops at the row limit', async () => {
    const csv = ['姓名', ...Array.from({ length: 300 }, (_, i) => `住客${i}`)].join('\n');
    expect((await readSheet(Buffer.from(csv), 'csv', { rows: 300, sheetBytes: 1 })).rows).toHaveLength(300);
    expect(await refusal(readSheet(Buffer.from(csv), 'csv', { rows: 299, sheetBytes: 1 }))).toBe('member_import.too_many_rows');
  });
});

