import type { Locale } from '@innkeeper/contracts';
import { IDENTITY_FIELD_MESSAGES } from './identity/index.ts';

/** Field-level messages of the members module (schemas use the keys; the error handler shows them localised). */
export const MEMBER_FIELD_MESSAGES: Record<string, Record<Locale, string>> = {
  ...IDENTITY_FIELD_MESSAGES,
  'field.member_needs_a_key': { 'zh-TW': '請至少填寫姓名、手機、Email 或證件號碼其中一項。', en: 'Enter at least a name, a mobile number, an email or an ID / passport number.' },
  'field.check_out_before_check_in': { 'zh-TW': '退房日不可早於入住日。', en: 'Check-out cannot be before check-in.' },
};
