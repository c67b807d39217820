import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode, type NumberType, type PhoneNumber } from 'libphonenumber-js/max';
import { toHalfWidthIdentifier } from './full-width.ts';

/**
 * Phone numbers for the member's "mobile" field, following the pms.md §4.4 pipeline with the `max` metadata.
 *
 * Landlines (and toll-free or other valid non-mobile numbers) are ACCEPTED but flagged `isMobile: false`:
 * front desks sometimes only get a landline, and it is still worth keeping for display. `isMobile` is true only
 * for type `MOBILE`, the only type pms.md §4.4 lets the matcher use as a key; numbers of countries that do not
 * separate the two (type `FIXED_LINE_OR_MOBILE`, e.g. the US) are therefore `isMobile: false`, with `type` to tell.
 *
 * `repaired` is true when the input was not in a standard form and a digit or the `+` was inferred or dropped:
 * a missing trunk 0 (`912345678`), a trunk 0 after the country code (`+8860912…`, `8860912…`), a country code
 * without `+` (`886912…`), or `00` as an international prefix (`00886912…`). Standard forms are national
 * (`0912-345-678`), `+886 912 345 678` (also written `+886 (0)912…`) and a real international prefix (`002886…`).
 *
 * `note` carries a parenthesised non-digit annotation such as `(媽媽)`, which marks the number as possibly
 * someone else's; `ext` carries an extension given as `#123`, `轉 5`, `分機 5`, `ext 5` or `x5`.
 */
export type MobileFailureReason = 'empty' | 'format' | 'multiple' | 'invalid';
export type MobileNumber = {
  e164: string;
  country: CountryCode | undefined;
  isMobile: boolean;
  type: NumberType;
  repaired: boolean;
  note?: string;
  ext?: string;
};
export type MobileResult = ({ ok: true } & MobileNumber) | { ok: false; reason: MobileFailureReason };

const MULTIPLE_SEPARATORS = /[/,;、，；]|或/;
const EXTENSION = /\s*(?:#|轉|分機|ext\.?|x)\s*([0-9]{1,6})\s*$/i;
const NOTE = /\(([^()0-9]*)\)/g;
const ALLOWED = /^\+?[0-9\s\-.()]*$/;

export function normaliseMobile(input: string, defaultCountry: CountryCode = 'TW'): MobileResult {
  let text = toHalfWidthIdentifier(input).trim().replace(/^tel:/i, '');
  if (text === '') return { ok: false, reason: 'empty' };
  if (MULTIPLE_SEPARATORS.test(text)) return { ok: false, reason: 'multiple' };
  const ext = EXTENSION.exec(text)?.[1];
  text = text.replace(EXTENSION, '');
  const notes = [...text.matchAll(NOTE)].map((m) => m[1]!.trim()).filter((n) => n !== '');
  text = text.replace(NOTE, ' ').trim();
  const hasPlus = text.startsWith('+');
  if (hasPlus) text = text.replace('(0)', '');
  if (!ALLOWED.test(text) || !/[0-9]/.test(text)) return { ok: false, reason: 'format' };

  const digits = text.replace(/\D/g, '');
  let phone = parsePhoneNumberFromString(text, defaultCountry);
  let retried = false;
  if (!phone?.isValid() && !hasPlus && digits.startsWith('00')) {
    phone = parsePhoneNumberFromString(`+${digits.slice(2)}`);
    retried = true;
  }
  if (!phone?.isValid()) return { ok: false, reason: 'invalid' };

  const type = phone.getType();
  return {
    ok: true,
    e164: phone.number,
    country: phone.country,
    isMobile: type === 'MOBILE',
    type,
    repaired: retried || !isStandardForm(phone, digits, hasPlus, defaultCountry),
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
    ...(ext === undefined ? {} : { ext }),
  };
}

function isStandardForm(phone: PhoneNumber, digits: string, hasPlus: boolean, defaultCountry: CountryCode): boolean {
  const international = `${phone.countryCallingCode}${phone.nationalNumber}`;
  if (hasPlus) return digits === international;
  const national = phone.countryCallingCode === getCountryCallingCode(defaultCountry) && digits === phone.formatNational().replace(/\D/g, '');
  if (national) return true;
  return digits.length > international.length + 1 && digits.startsWith('0') && digits.endsWith(international);
}

/**
 * Masks an E.164 number for display: `+<country code> ` then the national number with its first 3 and last 3
 * digits kept and the rest replaced by `*` (`+886912345678` → `+886 912***678`). At least 3 digits are always
 * masked, so short national numbers show fewer trailing digits (`+85291234567` → `+852 912***67`). Input that is
 * not a parseable E.164 number gets every digit but the last 3 masked.
 */
export function maskMobile(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return e164.replace(/[0-9](?=(?:\D*[0-9]){3})/g, '*');
  const national = phone.nationalNumber;
  const masked = Math.max(national.length - 6, Math.min(3, national.length));
  const visible = national.length - masked;
  const head = Math.min(3, visible);
  const tail = visible - head;
  return `+${phone.countryCallingCode} ${national.slice(0, head)}${'*'.repeat(masked)}${national.slice(national.length - tail)}`;
}
