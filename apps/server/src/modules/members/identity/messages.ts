import type { Locale } from '@innkeeper/contracts';
import type { EmailFailureReason } from './email.ts';
import type { IdentityDocumentKind, IdentityFailureReason } from './identity-document.ts';
import type { MobileFailureReason } from './mobile.ts';

/**
 * Field-level messages for identity data, to be merged into the server's FIELD_MESSAGES
 * (core/validation-messages.ts). Two keys the schemas use already exist there and are not repeated here:
 * `field.required` (empty input) and `field.email` (an invalid email address).
 */
export const IDENTITY_FIELD_MESSAGES = {
  'field.identity_format': {
    'zh-TW': '請輸入有效的身分證、居留證或護照號碼。',
    en: 'Enter a valid national ID, resident certificate or passport number.',
  },
  'field.national_id_format': {
    'zh-TW': '身分證或居留證號碼格式不正確（1 個英文字母加 9 個數字，舊式居留證為 2 個英文字母加 8 個數字）。',
    en: 'Enter the ID as 1 letter and 9 digits (old resident certificates: 2 letters and 8 digits).',
  },
  'field.national_id_checksum': {
    'zh-TW': '身分證字號檢查碼不正確，請再確認號碼。',
    en: 'The ID number checksum is wrong. Please check the number.',
  },
  'field.passport_format': {
    'zh-TW': '護照號碼格式不正確（6–12 個英文字母或數字；中華民國護照為 9 位數字）。',
    en: 'Enter the passport number as 6–12 letters or digits (9 digits for a Taiwan passport).',
  },
  'field.passport_country': {
    'zh-TW': '護照簽發國家代碼不正確，請使用 ISO 國家代碼（例如 TWN、JP）。',
    en: 'Unknown issuing country. Use an ISO country code such as TWN or JP.',
  },
  'field.mobile_format': {
    'zh-TW': '手機號碼只能包含數字、空格、連字號、括號與開頭的「+」。',
    en: 'A mobile number may contain only digits, spaces, hyphens, brackets and a leading "+".',
  },
  'field.mobile_multiple': { 'zh-TW': '請只輸入一個手機號碼。', en: 'Enter only one mobile number.' },
  'field.mobile_invalid': {
    'zh-TW': '手機號碼無效，請確認位數與國碼。',
    en: 'This is not a valid mobile number. Check the digits and the country code.',
  },
} as const satisfies Record<string, Record<Locale, string>>;

export type IdentityMessageKey = keyof typeof IDENTITY_FIELD_MESSAGES | 'field.required' | 'field.email';

export const MOBILE_MESSAGE_KEYS: Record<MobileFailureReason, IdentityMessageKey> = {
  empty: 'field.required',
  format: 'field.mobile_format',
  multiple: 'field.mobile_multiple',
  invalid: 'field.mobile_invalid',
};

export const EMAIL_MESSAGE_KEYS: Record<EmailFailureReason, IdentityMessageKey> = {
  empty: 'field.required',
  format: 'field.email',
};

/** The message for an ID or passport failure depends on which validator ran: the hint's, or auto-detection. */
export function identityDocumentMessageKey(reason: IdentityFailureReason, hint?: IdentityDocumentKind): IdentityMessageKey {
  if (reason === 'checksum') return 'field.national_id_checksum';
  if (reason === 'country') return 'field.passport_country';
  if (hint === undefined) return 'field.identity_format';
  return hint === 'passport' ? 'field.passport_format' : 'field.national_id_format';
}
