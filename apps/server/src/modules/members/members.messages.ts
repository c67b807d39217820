import type { Locale } from '@innkeeper/contracts';
import { IDENTITY_FIELD_MESSAGES } from './identity/index.ts';

/** Field-level messages of the members module (schemas use the keys; the error handler shows them localised). */
export const MEMBER_FIELD_MESSAGES: Record<string, Record<Locale, string>> = {
  ...IDENTITY_FIELD_MESSAGES,
  'field.check_out_before_check_in': { 'zh-TW': '退房日不可早於入住日。', en: 'Check-out cannot be before check-in.' },
};
