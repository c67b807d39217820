import type { Locale } from '@innkeeper/contracts';

export type FieldMessages = Record<string, Record<Locale, string>>;

/**
 * Field-level messages used as `{ error: 'field.x' }` in zod schemas; the error handler shows them in the caller's language.
 */
export const FIELD_MESSAGES: FieldMessages = {
  'field.required': { 'zh-TW': '此欄位為必填。', en: 'This field is required.' },
  'field.email': { 'zh-TW': '請輸入有效的電子郵件。', en: 'Enter a valid email address.' },
  'field.password_length': { 'zh-TW': '密碼至少需 10 個字元。', en: 'Passwords need at least 10 characters.' },
  'field.code_format': { 'zh-TW': '驗證碼格式不正確。', en: 'The code format is incorrect.' },
  'field.slug': { 'zh-TW': '代號只能使用小寫英文、數字與連字號（2–63 字）。', en: 'Use 2–63 lower-case letters, digits or hyphens.' },
  'field.property_code': { 'zh-TW': '館別代碼只能使用英文、數字、底線與連字號（最多 32 字）。', en: 'Use up to 32 letters, digits, underscores or hyphens.' },
  'field.range_order': { 'zh-TW': '結束時間必須晚於開始時間。', en: 'The end must be after the start.' },
  'field.permission': { 'zh-TW': '未知的權限。', en: 'Unknown permission.' },
  'field.no_nul': { 'zh-TW': '內容含有不允許的控制字元（NUL）。', en: 'The text contains a character that is not allowed (NUL).' },
  // ZCleanName's limit, counted on the name as it is kept (invisible characters out, composed): some characters count as two.
  'field.name_max_50': { 'zh-TW': '名稱最多 50 個字（以整理後的名稱計算：有些字元會算成兩個字）。', en: 'Names have at most 50 characters, counted on the name as it is kept (some characters count as two).' },
  'field.name_max_100': { 'zh-TW': '名稱最多 100 個字（以整理後的名稱計算：有些字元會算成兩個字）。', en: 'Names have at most 100 characters, counted on the name as it is kept (some characters count as two).' },
  'field.date_out_of_range': { 'zh-TW': '日期須介於 1900 年與 2200 年之間。', en: 'Dates must fall between 1900 and 2200.' },
};
