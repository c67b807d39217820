import {
  EMAIL_MESSAGE_KEYS,
  identityDocumentMessageKey,
  maskEmail,
  maskIdentityNumber,
  maskMobile,
  MOBILE_MESSAGE_KEYS,
  normaliseMobile,
  parseEmail,
  parseIdentityDocument,
} from './identity/index.ts';
import type { IdentityType } from './members.tables.ts';

/*
 * Field checks for importers (one text value at a time): what the member form's zod schemas do. `message` is a
 * `field.*` key (MEMBER_FIELD_MESSAGES or the core FIELD_MESSAGES).
 */

export type FieldCheck<T> = { ok: true; value: T } | { ok: false; message: string; onCountry?: boolean };

export type BulkIdentity = { type: IdentityType; number: string; passportCountry: string | null };

/** A Taiwan national ID / resident certificate (by checksum) or a passport (by shape), detected from the number itself. */
export function checkIdentityNumber(input: string, passportCountry?: string): FieldCheck<BulkIdentity> {
  const result = parseIdentityDocument(input, undefined, passportCountry ? { issuingCountry: passportCountry } : {});
  if (!result.ok) return { ok: false, message: identityDocumentMessageKey(result.reason), ...(result.reason === 'country' ? { onCountry: true } : {}) };
  return { ok: true, value: { type: result.kind, number: result.value, passportCountry: result.kind === 'passport' ? (result.issuingCountry ?? null) : null } };
}

/** A phone number (full-width digits, spaces, dashes, +886, 00886 …) as E.164. */
export function checkMobile(input: string): FieldCheck<string> {
  const result = normaliseMobile(input);
  return result.ok ? { ok: true, value: result.e164 } : { ok: false, message: MOBILE_MESSAGE_KEYS[result.reason] };
}

/** An email address, trimmed and lower-cased. */
export function checkEmail(input: string): FieldCheck<string> {
  const result = parseEmail(input);
  return result.ok ? { ok: true, value: result.value } : { ok: false, message: EMAIL_MESSAGE_KEYS[result.reason] };
}

/** Masks a raw value of a personal-data field for display in reports, whether or not it is valid. */
export function maskPersonalValue(kind: 'email' | 'mobile' | 'identity' | 'birthday', value: string): string {
  const text = value.trim();
  if (text === '') return '';
  if (kind === 'email') return maskEmail(text);
  if (kind === 'identity') return maskIdentityNumber(text);
  if (kind === 'birthday') return text.replace(/[0-9０-９]/g, '*');
  const valid = normaliseMobile(text);
  return valid.ok ? maskMobile(valid.e164) : text.replace(/[0-9０-９](?=(?:\D*[0-9０-９]){3})/g, '*');
}
