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

/**
 * The common well-formed ways a Taiwan mobile is written, each giving its 9 national digits (`9xxxxxxxx`) and whether
 * the form is standard. Exactly these shapes, in ASCII: anything else (full-width, notes, extensions, other
 * separators) goes to libphonenumber-js.
 */
const TAIWAN_MOBILE_FORMS: ReadonlyArray<{ pattern: RegExp; repaired: boolean }> = [
  { pattern: /^0(9\d{8})$/, repaired: false },
  { pattern: /^0(9\d{2})([- ])(\d{3})\2(\d{3})$/, repaired: false },
  { pattern: /^\+886 ?(9\d{8})$/, repaired: false },
  { pattern: /^\+886([- ])(9\d{2})\1(\d{3})\1(\d{3})$/, repaired: false },
  { pattern: /^(?:886|8860|\+8860|\+886-0|00886)(9\d{8})$/, repaired: true },
  { pattern: /^(9\d{8})$/, repaired: true },
];
/**
 * libphonenumber-js's (max metadata) MOBILE pattern for Taiwan's numbers beginning with 9, where no other type's
 * pattern matches: `9[0-8]` + 7 digits (`99…` is a PERSONAL_NUMBER, left to the library).
 */
const TAIWAN_MOBILE_NATIONAL = /^9[0-8]\d{7}$/;

/**
 * The fast path of normaliseMobile for a Taiwan default: the result libphonenumber-js gives for the well-formed forms
 * above, without parsing (a parse and its checks cost tens of µs; a 德安 profile carries up to seven phone fields and
 * the first load reads 100,000 profiles). null when the input is not one of them. mobile.fast-path.test.ts proves the
 * results equal the library's over the PMS simulator's noisy values and every 9x prefix.
 */
export function taiwanMobileFastPath(input: string): MobileResult | null {
  const text = input.trim();
  if (text.length < 9 || text.length > 16) return null;
  for (const form of TAIWAN_MOBILE_FORMS) {
    const m = form.pattern.exec(text);
    if (!m) continue;
    const national = m
      .slice(1)
      .filter((g) => g !== ' ' && g !== '-')
      .join('');
    if (!TAIWAN_MOBILE_NATIONAL.test(national)) return null;
    return { ok: true, e164: `+886${national}`, country: 'TW', isMobile: true, type: 'MOBILE', repaired: form.repaired };
  }
  return null;
}

export function normaliseMobile(input: string, defaultCountry: CountryCode = 'TW'): MobileResult {
  return (defaultCountry === 'TW' ? taiwanMobileFastPath(input) : null) ?? normaliseMobileByLibrary(input, defaultCountry);
}

/** normaliseMobile without the fast path: every input through libphonenumber-js. */
export function normaliseMobileByLibrary(input: string, defaultCountry: CountryCode = 'TW'): MobileResult {
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
