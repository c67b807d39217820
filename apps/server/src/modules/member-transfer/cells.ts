import { parsePartyCount, type Gender, type PreferredLanguage, type StayStatus } from '../members/index.ts';

/**
 * Parsers for the text of one spreadsheet cell. They accept the ways Taiwanese hotel files write things (民國 dates,
 * 男/女, 是/否 …) and refuse anything else with a `field.*` message key; they never guess.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: string; params?: Record<string, string | number> };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (code: string, params?: Record<string, string | number>): Parsed<never> => ({ ok: false, code, ...(params ? { params } : {}) });

function halfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/**
 * The cell's text as the importer reads it: invisible characters removed, trimmed, and without the apostrophe that
 * spreadsheet exports (ours included) put before a leading = + - @ to stop formulas.
 */
export function cleanCell(raw: string): string {
  const text = raw.replace(/[\u200B-\u200D\u2060\uFEFF]/g, '').trim();
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1).trim() : text;
}

/** Values that came out of a masked export (`h***@hotel.example`, `+886 912***678`, `A12*****89`). */
export function looksMasked(text: string): boolean {
  return text.includes('***');
}

// Calendar dates are read by one rule wherever they come from (imports, the PMS sync): the members module owns it.
export { parseDate } from '../members/index.ts';

function key(text: string): string {
  return halfWidth(text).trim().toLowerCase().replace(/[\s_\-.]+/g, '');
}

const GENDERS: Record<string, Gender> = {
  男: 'male', 男性: 'male', 先生: 'male', m: 'male', male: 'male', man: 'male',
  女: 'female', 女性: 'female', 小姐: 'female', 女士: 'female', f: 'female', female: 'female', woman: 'female',
  其他: 'other', other: 'other', o: 'other', x: 'other',
  未知: 'unknown', 不明: 'unknown', 不提供: 'unknown', 未提供: 'unknown', unknown: 'unknown', notgiven: 'unknown', u: 'unknown',
};

export function parseGender(text: string): Parsed<Gender> {
  const gender = GENDERS[key(text)];
  return gender ? ok(gender) : fail('field.import_gender');
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '同意', '接收', '訂閱', 'v', '✓', '○', 'optedin']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '不同意', '未同意', '不接收', '不訂閱', '×', 'notoptedin']);

export function parseYesNo(text: string): Parsed<boolean> {
  const value = key(text);
  if (YES.has(value)) return ok(true);
  if (NO.has(value)) return ok(false);
  return fail('field.import_yes_no');
}

const LANGUAGES: Record<string, PreferredLanguage> = {
  zhtw: 'zh-TW', zh: 'zh-TW', zhhant: 'zh-TW', 中文: 'zh-TW', 繁體中文: 'zh-TW', 繁中: 'zh-TW', 國語: 'zh-TW', 華語: 'zh-TW', chinese: 'zh-TW', mandarin: 'zh-TW',
  en: 'en', 英文: 'en', 英語: 'en', english: 'en',
  ja: 'ja', 日文: 'ja', 日語: 'ja', 日本語: 'ja', japanese: 'ja',
  ko: 'ko', 韓文: 'ko', 韓語: 'ko', 한국어: 'ko', korean: 'ko',
  other: 'other', 其他: 'other',
};

export function parseLanguage(text: string): Parsed<PreferredLanguage> {
  const language = LANGUAGES[key(text)];
  return language ? ok(language) : fail('field.import_language');
}

const STAY_STATUSES: Record<string, StayStatus> = {
  booked: 'booked', reserved: 'booked', confirmed: 'booked', 預訂: 'booked', 已預訂: 'booked', 訂房: 'booked', 確認: 'booked',
  inhouse: 'in_house', checkedin: 'in_house', 住房中: 'in_house', 入住中: 'in_house', 已入住: 'in_house',
  stayed: 'stayed', checkedout: 'stayed', completed: 'stayed', 已退房: 'stayed', 退房: 'stayed', 已住宿: 'stayed', 完成: 'stayed',
  cancelled: 'cancelled', canceled: 'cancelled', 取消: 'cancelled', 已取消: 'cancelled',
  noshow: 'no_show', 未到: 'no_show', 未入住: 'no_show',
};

export function parseStayStatus(text: string): Parsed<StayStatus> {
  const status = STAY_STATUSES[key(text)];
  return status ? ok(status) : fail('field.import_stay_status');
}

/** A whole amount of money (NT$6,800 / 6800 元 / 6800.00); decimals other than .00 are refused, not rounded. */
export function parseAmount(text: string): Parsed<number> {
  const value = halfWidth(text).trim().replace(/^(?:NT\$|NTD|TWD|\$)\s*/i, '').replace(/\s*(?:元|NTD|TWD)$/i, '').replace(/,/g, '');
  const match = /^(\d{1,9})(?:\.0+)?$/.exec(value);
  if (!match || Number(match[1]) > 100_000_000) return fail('field.import_amount');
  return ok(Number(match[1]));
}

/** Adults or children in the room, by the members module's rule (0–99: 2, 2人, 2 位, 2.0). */
export function parseParty(text: string): Parsed<number> {
  const value = parsePartyCount(text);
  return value === null || value === undefined ? fail('field.import_party_count') : ok(value);
}

export function parseCurrency(text: string): Parsed<string> {
  const value = halfWidth(text).trim();
  if (/^(?:NT\$|台幣|新台幣|新臺幣|臺幣)$/i.test(value)) return ok('TWD');
  return /^[A-Za-z]{3}$/.test(value) ? ok(value.toUpperCase()) : fail('field.import_currency');
}

export function parseMemberNo(text: string): Parsed<string> {
  const value = halfWidth(text).trim().toUpperCase();
  return /^[A-Z0-9-]{1,32}$/.test(value) ? ok(value) : fail('field.import_member_no');
}

/** Tag names separated by commas, 、 or semicolons. */
export function splitTagNames(text: string): string[] {
  return [...new Set(text.split(/[,，、;；\n]/).map((name) => name.trim()).filter((name) => name !== ''))];
}

/** Compound surnames (複姓) whose first character is not a common single surname: 歐陽修 is 歐陽 + 修. */
const COMPOUND_SURNAMES = [
  '歐陽', '司馬', '諸葛', '上官', '司徒', '皇甫', '公孫', '東方', '夏侯', '尉遲', '慕容', '令狐', '長孫', '宇文', '軒轅',
  '端木', '南宮', '西門', '獨孤', '鍾離', '澹臺', '太史', '申屠', '呼延', '聞人', '東郭', '百里', '拓跋', '赫連',
];
/** Taiwanese double surnames whose first character is itself a common surname: 張簡單 could be 張 + 簡單 or 張簡 + 單. */
const AMBIGUOUS_SURNAMES = ['張簡', '范姜', '張廖', '廖張', '周黃', '江謝', '陳李', '劉張', '黃呂'];

/**
 * Splits a full name only where the split is unambiguous; otherwise the whole name goes into lastName (姓) and
 * firstName stays empty, so 姓+名 still reads as written and nothing is invented.
 *  - 2 Han characters: 1 + 1 (王明).
 *  - 3 Han characters: 1 + 2 (王小明); a compound surname + 1 (歐陽修); kept whole if it may start with a Taiwanese
 *    double surname (張簡單).
 *  - 4 Han characters: compound surname + 2 (司馬相如); otherwise kept whole (陳林美玲 may be 冠夫姓).
 *  - Han with one space (王 小明), "Last, First" (Smith, John), Latin "First Last" (John Smith): split there.
 *  - Anything else (Mary Ann Smith, mixed scripts, 5+ Han characters): kept whole.
 */
export function splitFullName(raw: string): { lastName: string; firstName: string } {
  const name = raw.replace(/[\s\u3000]+/g, ' ').trim();
  const whole = { lastName: name, firstName: '' };
  const comma = /^([^,，]+)[,，]\s*([^,，]+)$/.exec(name);
  if (comma) return { lastName: comma[1]!.trim(), firstName: comma[2]!.trim() };
  const parts = name.split(' ');
  if (parts.length === 2 && parts.every((p) => /^\p{Script=Han}+$/u.test(p))) return { lastName: parts[0]!, firstName: parts[1]! };
  if (/^\p{Script=Han}+$/u.test(name)) {
    const chars = Array.from(name);
    const compound = COMPOUND_SURNAMES.some((s) => name.startsWith(s));
    const ambiguous = AMBIGUOUS_SURNAMES.some((s) => name.startsWith(s));
    if (chars.length === 2) return { lastName: chars[0]!, firstName: chars[1]! };
    if (chars.length === 3 && !ambiguous) return compound ? { lastName: chars.slice(0, 2).join(''), firstName: chars[2]! } : { lastName: chars[0]!, firstName: chars.slice(1).join('') };
    if (chars.length === 4 && compound) return { lastName: chars.slice(0, 2).join(''), firstName: chars.slice(2).join('') };
    return whole;
  }
  if (parts.length === 2 && parts.every((p) => /^[\p{Script=Latin}'.-]+$/u.test(p))) return { lastName: parts[1]!, firstName: parts[0]! };
  return whole;
}
