import { toAlpha3 } from './country-codes.ts';
import { normaliseDocumentNumber, toHalfWidth } from './full-width.ts';

/**
 * Passport numbers are validated by shape only; they carry no public checksum (pms.md §4.3).
 *  - any country: 6–12 letters or digits with at least one digit, after normalisation (pms.md's classification
 *    rule is "alphanumeric 6–12"; the digit requirement rejects placeholders such as `PASSPORT` or `UNKNOWN`);
 *  - issued by Taiwan (TWN): exactly 9 digits.
 * The issuing country is optional, accepted as ISO 3166-1 alpha-2 or alpha-3 and returned as alpha-3; the
 * matching key is (issuingCountry, value).
 */
export type PassportFailureReason = 'format' | 'country';
export type PassportResult =
  | { ok: true; value: string; kind: 'passport'; issuingCountry?: string }
  | { ok: false; reason: PassportFailureReason };

const PASSPORT_SHAPE = /^(?=.*[0-9])[A-Z0-9]{6,12}$/;
const TAIWAN_PASSPORT_SHAPE = /^[0-9]{9}$/;

/** Trim, full-width → half-width, upper-case, and remove whitespace and dashes. */
export function normalisePassport(input: string): string {
  return normaliseDocumentNumber(input);
}

/** ISO 3166-1 alpha-3 for an alpha-2 or alpha-3 input (any case or width), or undefined if it is not an ISO code. */
export function normaliseCountryCode(input: string): string | undefined {
  return toAlpha3(toHalfWidth(input).trim());
}

export function parsePassport(input: string, issuingCountry?: string): PassportResult {
  const given = issuingCountry?.trim() ? issuingCountry : undefined;
  const country = given === undefined ? undefined : normaliseCountryCode(given);
  if (given !== undefined && country === undefined) return { ok: false, reason: 'country' };
  const value = normalisePassport(input);
  const shape = country === 'TWN' ? TAIWAN_PASSPORT_SHAPE : PASSPORT_SHAPE;
  if (!shape.test(value)) return { ok: false, reason: 'format' };
  return country === undefined ? { ok: true, value, kind: 'passport' } : { ok: true, value, kind: 'passport', issuingCountry: country };
}
