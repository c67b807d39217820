import { describe, expect, it } from 'vitest';
import { cleanCell, parseAmount, parseDate, parseGender, parseLanguage, parseParty, parseStayStatus, parseYesNo, splitFullName, splitTagNames } from '../cells.ts';
import { normaliseHeader, suggestMapping } from '../import-fields.ts';
import { decodeText, detectFormat, readSheet } from '../spreadsheet-reader.ts';
import { csvFile, neutraliseFormula } from '../../../core/csv-file.ts';
import { contentDisposition } from '../spreadsheet-writer.ts';
import { big5 } from './transfer-helpers.ts';

const value = <T>(result: { ok: true; value: T } | { ok: false; code: string }) => (result.ok ? result.value : result.code);

describe('dates', () => {
  it('reads Gregorian, 民國 and Excel serial dates, and ignores a time of day', () => {
    for (const text of ['1990/03/15', '1990-3-15', '1990.03.15', '1990年3月15日', '19900315', '79/03/15', '079/03/15', '民國79年3月15日', '0790315', '32947', '1990/3/15 上午 12:00:00', '1990-03-15T00:00:00.000Z', '１９９０／０３／１５']) {
      expect([text, value(parseDate(text))]).toEqual([text, '1990-03-15']);
    }
  });

  it('refuses impossible dates, ambiguous orders and the future (for birthdays)', () => {
    for (const text of ['1990/13/45', '1990/02/30', '15/03/1990', '03/15/1990', '1990', 'yesterday', '']) expect([text, value(parseDate(text))]).toEqual([text, 'field.import_date']);
    expect(value(parseDate('2099-01-01', { notAfter: '2026-11-22' }))).toBe('field.import_date_future');
  });
});

describe('names', () => {
  it('splits a full name only where the split is unambiguous', () => {
    expect(splitFullName('王小明')).toEqual({ lastName: '王', firstName: '小明' });
    expect(splitFullName('王明')).toEqual({ lastName: '王', firstName: '明' });
    expect(splitFullName('歐陽修')).toEqual({ lastName: '歐陽', firstName: '修' });
    expect(splitFullName('司馬相如')).toEqual({ lastName: '司馬', firstName: '相如' });
    expect(splitFullName('王 小明')).toEqual({ lastName: '王', firstName: '小明' });
    expect(splitFullName('John Smith')).toEqual({ lastName: 'Smith', firstName: 'John' });
    expect(splitFullName('Smith, John')).toEqual({ lastName: 'Smith', firstName: 'John' });
    // Ambiguous: kept whole in lastName.
    expect(splitFullName('張簡單')).toEqual({ lastName: '張簡單', firstName: '' });
    expect(splitFullName('陳林美玲')).toEqual({ lastName: '陳林美玲', firstName: '' });
    expect(splitFullName('Mary Ann Smith')).toEqual({ lastName: 'Mary Ann Smith', firstName: '' });
    expect(splitFullName('王Amy')).toEqual({ lastName: '王Amy', firstName: '' });
  });
});

describe('choices', () => {
  it('reads gender, yes/no, language and stay status in Chinese and English, and refuses the rest', () => {
    expect(['男', 'M', 'male', '先生', 'Ｍ'].map((t) => value(parseGender(t)))).toEqual(['male', 'male', 'male', 'male', 'male']);
    expect(['女', 'F', '小姐'].map((t) => value(parseGender(t)))).toEqual(['female', 'female', 'female']);
    expect(value(parseGender('?'))).toBe('field.import_gender');
    expect(['是', 'Y', 'yes', 'TRUE', '1'].map((t) => value(parseYesNo(t)))).toEqual([true, true, true, true, true]);
    expect(['否', 'N', 'no', 'false', '0'].map((t) => value(parseYesNo(t)))).toEqual([false, false, false, false, false]);
    expect(value(parseYesNo('maybe'))).toBe('field.import_yes_no');
    // The words the screen (and so an export) uses read back as what they say.
    expect(['未提供', 'Not given'].map((t) => value(parseGender(t)))).toEqual(['unknown', 'unknown']);
    expect(['同意', '未同意', 'Opted in', 'Not opted in'].map((t) => value(parseYesNo(t)))).toEqual([true, false, true, false]);
    expect(['中文', 'zh-TW', 'English', '日本語', '한국어'].map((t) => value(parseLanguage(t)))).toEqual(['zh-TW', 'zh-TW', 'en', 'ja', 'ko']);
    expect(['已退房', 'in house', 'No-Show', '取消'].map((t) => value(parseStayStatus(t)))).toEqual(['stayed', 'in_house', 'no_show', 'cancelled']);
    expect(['NT$6,800', '6800 元', '6800.00'].map((t) => value(parseAmount(t)))).toEqual([6800, 6800, 6800]);
    expect(value(parseAmount('6800.5'))).toBe('field.import_amount');
    expect(['2', '2人', '３ 位', '0', '2.0', '99'].map((t) => value(parseParty(t)))).toEqual([2, 2, 3, 0, 2, 99]);
    expect(['-1', '1.5', '兩位', '100', '2 adults'].map((t) => value(parseParty(t)))).toEqual(Array(5).fill('field.import_party_count'));
    expect(splitTagNames('VIP、商務客, VIP；家庭')).toEqual(['VIP', '商務客', '家庭']);
  });

  it('strips the apostrophe that guards formulas, so exported files import back', () => {
    expect(cleanCell("'+886912345678")).toBe('+886912345678');
    expect(cleanCell("'=1+1")).toBe('=1+1');
    expect(cleanCell("'O'Neil")).toBe("'O'Neil");
    expect(cleanCell('\u200B 王小明 ')).toBe('王小明');
  });
});

describe('headers', () => {
  it('recognises Chinese and English headers in any width, case or spacing', () => {
    expect(normaliseHeader('  E-mail（必填） ')).toBe('email');
    expect(normaliseHeader('身分證/護照號碼')).toBe('身分證護照號碼');
    expect(suggestMapping('members', ['會員編號', '姓', '名', '手機', 'ＥＭＡＩＬ', 'Date of birth', '館別', '不認識'])).toEqual({ memberNo: 0, lastName: 1, firstName: 2, mobile: 3, email: 4, birthday: 5, property: 6 });
    expect(suggestMapping('stays', ['手機', '入住日期', 'Check-out', '訂房編號', '館別'])).toEqual({ mobile: 0, checkIn: 1, checkOut: 2, reservationNo: 3, property: 4 });
  });
});

describe('files', () => {
  it('detects the format and the text encoding (UTF-8 with or without BOM, UTF-16, Big5)', () => {
    expect(detectFormat('a.csv', Buffer.from('x'))).toBe('csv');
    expect(detectFormat('a.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBe('xlsx');
    expect(detectFormat('a.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))).toBeUndefined();
    expect(detectFormat('a.pdf', Buffer.from('%PDF'))).toBeUndefined();
    expect(decodeText(Buffer.from('\uFEFF姓名', 'utf8'))).toEqual({ text: '姓名', encoding: 'utf-8-bom' });
    expect(decodeText(Buffer.from('姓名', 'utf8'))).toEqual({ text: '姓名', encoding: 'utf-8' });
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('姓名', 'utf16le')]))).toEqual({ text: '姓名', encoding: 'utf-16le' });
    expect(decodeText(big5('姓名,王小明'))).toEqual({ text: '姓名,王小明', encoding: 'big5' });
  });

  it('numbers rows as the spreadsheet shows them, skipping blank lines, and sniffs the delimiter', async () => {
    const sheet = await readSheet(Buffer.from('\r\n姓名;手機\r\n王小明;0912\r\n\r\n"李\n四";0913\r\n陳;0914;;\r\n'), 'csv');
    expect(sheet.headers).toEqual(['姓名', '手機']);
    expect(sheet.headerRowNumber).toBe(2);
    expect(sheet.rows).toEqual([
      { rowNumber: 3, cells: ['王小明', '0912'] },
      { rowNumber: 5, cells: ['李\n四', '0913'] },
      { rowNumber: 6, cells: ['陳', '0914'] },
    ]);
  });
});

describe('spreadsheets we write', () => {
  it('neutralises cells that would run as formulas', () => {
    expect(['=1+1', '+1+1', '-2+3', '-A1', '+886 912 HYPERLINK', '@SUM(A1)', '\tx', '\rx', 'ok', '', "'=x", '+1e5', '-2*3'].map(neutraliseFormula)).toEqual(
      ["'=1+1", "'+1+1", "'-2+3", "'-A1", "'+886 912 HYPERLINK", "'@SUM(A1)", "'\tx", "'\rx", 'ok', '', "'=x", "'+1e5", "'-2*3"],
    );
    expect(csvFile([['=HYPERLINK("x")']]).toString('utf8')).toBe('\uFEFF"\'=HYPERLINK(""x"")"\r\n');
  });

  it('leaves values that only look like a formula as they are: signed numbers, phone numbers, masked phone numbers', () => {
    expect(['+886912345678', '-2', '+1.5', '+886 912***678'].map(neutraliseFormula)).toEqual(['+886912345678', '-2', '+1.5', '+886 912***678']);
    expect(csvFile([['+886912345678', '+886 912***678']]).toString('utf8')).toBe('\uFEFF+886912345678,+886 912***678\r\n');
    expect(csvFile([['=HYPERLINK("x")']]).toString('utf8')).toBe('\uFEFF"\'=HYPERLINK(""x"")"\r\n');
  });

  it('names downloads in UTF-8 with an ASCII fallback (RFC 5987)', () => {
    expect(contentDisposition('會員匯出-2026-11-22.xlsx', 'members-2026-11-22.xlsx')).toBe(
      `attachment; filename="members-2026-11-22.xlsx"; filename*=UTF-8''%E6%9C%83%E5%93%A1%E5%8C%AF%E5%87%BA-2026-11-22.xlsx`,
    );
    expect(contentDisposition("a'b (1).csv", 'a"b.csv')).toBe(`attachment; filename="a_b.csv"; filename*=UTF-8''a%27b%20%281%29.csv`);
  });
});
