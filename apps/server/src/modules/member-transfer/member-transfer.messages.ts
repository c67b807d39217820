import type { Locale } from '@innkeeper/contracts';
import { FIELD_MESSAGES, type FieldMessages } from '../../core/validation-messages.ts';
import { MEMBER_FIELD_MESSAGES } from '../members/index.ts';
import { FIELD_LABELS, type ImportField } from './import-fields.ts';
import { distinctNames } from './import-rows.ts';

/**
 * Row-level messages of imports (`field.import_*`), shown in the caller's language in the dry run, the row list and the
 * error report. `{field}` is the field's label; other `{name}` placeholders come from the error's params.
 */
export const MEMBER_TRANSFER_FIELD_MESSAGES: FieldMessages = {
  'field.import_no_key': {
    'zh-TW': '需要會員編號、身分證／護照號碼、手機或 Email 其中一項，才能比對會員。',
    en: 'A member number, ID/passport number, mobile or email is needed to match the member.',
  },
  'field.import_duplicate_row': { 'zh-TW': '與第 {row} 列的{field}重複。', en: 'Same {field} as row {row}.' },
  'field.import_member_no_unknown': {
    'zh-TW': '找不到此會員編號（新會員的編號由系統產生，請留空）。',
    en: 'No member has this number (new members are numbered by the system; leave it empty).',
  },
  'field.import_ambiguous': {
    'zh-TW': '有多位會員使用此{field}，無法判斷是哪一位；請加上會員編號或身分證號碼。',
    en: 'Several members share this {field}; add the member number or ID to say which one.',
  },
  'field.import_out_of_scope': { 'zh-TW': '此會員或館別不在您可管理的館別範圍內。', en: 'This member or property is outside the properties you manage.' },
  'field.import_member_not_found': { 'zh-TW': '找不到符合的會員，請先匯入會員資料。', en: 'No matching member; import the member first.' },
  'field.import_duplicate_identity': { 'zh-TW': '已有其他會員使用這個身分證／護照號碼。', en: 'Another member already has this ID or passport number.' },
  'field.import_date': {
    'zh-TW': '無法辨識的日期，請使用 yyyy/mm/dd、yyyy-mm-dd 或民國年（例如 79/03/15）。',
    en: 'Unrecognised date; use yyyy/mm/dd, yyyy-mm-dd or a ROC year such as 79/03/15.',
  },
  'field.import_date_future': { 'zh-TW': '生日不可晚於今天。', en: 'The birthday cannot be in the future.' },
  'field.import_gender': { 'zh-TW': '性別請填「男」、「女」、「其他」或 M／F。', en: 'Use M/F/Other (or 男/女/其他) for gender.' },
  'field.import_yes_no': { 'zh-TW': '請填「是」或「否」（也接受 Y／N、true／false、1／0）。', en: 'Use yes or no (Y/N, true/false, 1/0 and 是/否 also work).' },
  'field.import_language': { 'zh-TW': '無法辨識的語言，請填中文、英文、日文、韓文或其他。', en: 'Unknown language; use Chinese, English, Japanese, Korean or other.' },
  'field.import_property_unknown': { 'zh-TW': '找不到館別「{value}」，請填館別代碼或名稱。', en: 'No property "{value}"; use a property code or name.' },
  'field.import_tag_unknown': {
    'zh-TW': '找不到標籤「{value}」；請先建立標籤（匯入不會自動新增標籤）。',
    en: 'No tag "{value}"; create it first (imports do not create tags).',
  },
  'field.import_too_long': { 'zh-TW': '內容過長（最多 {max} 字）。', en: 'Too long (at most {max} characters).' },
  'field.import_masked_value': { 'zh-TW': '這是遮罩後的資料（含 ***），請使用完整資料。', en: 'This value is masked (contains ***); use the full value.' },
  'field.import_member_no': { 'zh-TW': '會員編號格式不正確。', en: 'Invalid member number.' },
  'field.import_amount': { 'zh-TW': '金額請填 0 以上的整數。', en: 'Enter the amount as a whole number of 0 or more.' },
  'field.import_party_count': { 'zh-TW': '人數請填 0 到 99 的整數。', en: 'Enter the number of people as a whole number from 0 to 99.' },
  'field.import_currency': { 'zh-TW': '幣別請使用三碼代碼（例如 TWD）。', en: 'Use a three-letter currency code such as TWD.' },
  'field.import_stay_status': {
    'zh-TW': '無法辨識的訂房狀態，請填預訂、住房中、已退房、取消或未到。',
    en: 'Unknown status; use booked, in house, stayed, cancelled or no-show.',
  },
  'field.import_column_unknown': { 'zh-TW': '檔案中沒有這一欄。', en: 'The file has no such column.' },
  'field.import_column_twice': { 'zh-TW': '同一欄不能對應到兩個欄位。', en: 'A column can be mapped to one field only.' },
  'field.import_field_unknown': { 'zh-TW': '此匯入類型沒有這個欄位。', en: 'This kind of import has no such field.' },
  'field.import_mapping_key': {
    'zh-TW': '請至少對應會員編號、身分證／護照號碼、手機或 Email 其中一欄，重複匯入時才能比對到同一位會員。',
    en: 'Map at least one of member number, ID/passport number, mobile or email, so that a re-import finds the same members.',
  },
};

const CATALOG: FieldMessages = { ...FIELD_MESSAGES, ...MEMBER_FIELD_MESSAGES, ...MEMBER_TRANSFER_FIELD_MESSAGES };

export function fieldLabel(field: string, locale: Locale): string {
  return FIELD_LABELS[field as ImportField]?.[locale] ?? field;
}

/** The message for a code in the caller's language; placeholders without a value read as "…" (summaries). */
export function renderMessage(code: string, locale: Locale, field: string, params: Record<string, string | number> = {}): string {
  const template = CATALOG[code]?.[locale] ?? code;
  const values: Record<string, string | number> = { field: fieldLabel(field, locale), ...params };
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? '…'));
}

/**
 * The message of a summary line standing for several rows: each placeholder lists the distinct values of those rows
 * (找不到館別「台南館、高雄」; 與第 2、5 列的…重複), with "…" when there were more; the same words as the rows', never a
 * bare "…" where the rows name a property, tag or row.
 */
export function renderSummaryMessage(code: string, locale: Locale, field: string, params: Array<Record<string, string | number>>, limit: number): string {
  const names = [...new Set(params.flatMap((p) => Object.keys(p)))];
  const separator = locale === 'en' ? ', ' : '、';
  const joined: Record<string, string> = {};
  for (const name of names) {
    const given = params.map((p) => p[name]).filter((v) => v !== undefined).map(String);
    // Missing tags: each row lists its own (joined by 、); the summary names each tag once in any spelling.
    const values = code === 'field.import_tag_unknown' ? distinctNames(given.flatMap((v) => v.split('、'))) : [...new Set(given)];
    joined[name] = values.slice(0, limit).join(separator) + (values.length > limit || params.length > limit ? separator + '…' : '');
  }
  return renderMessage(code, locale, field, joined);
}

export const REPORT_HEADERS: Record<Locale, string[]> = {
  'zh-TW': ['列號', '欄位', '檔案欄名', '內容', '原因'],
  en: ['Row', 'Field', 'Column', 'Value', 'Reason'],
};
