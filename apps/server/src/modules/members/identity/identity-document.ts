import { normaliseDocumentNumber } from './full-width.ts';
import { parseTaiwanId, type TaiwanIdKind } from './national-id.ts';
import { normaliseCountryCode, parsePassport } from './passport.ts';

export type IdentityDocumentKind = TaiwanIdKind | 'passport';
export type IdentityFailureReason = 'format' | 'checksum' | 'country';
export type IdentityDocument = { value: string; kind: TaiwanIdKind } | { value: string; kind: 'passport'; issuingCountry?: string };
export type IdentityDocumentResult = ({ ok: true } & IdentityDocument) | { ok: false; reason: IdentityFailureReason };
export type IdentityDocumentOptions = { issuingCountry?: string };

/**
 * One entry point for the ID/passport field (Dean keeps both in one field too).
 *  - hint `national_id` or `resident_certificate`: the Taiwan ID validator. Both share one validator and the
 *    second character decides the kind, so the returned `kind` is the detected one and may differ from the hint.
 *  - hint `passport`: the passport validator only.
 *  - no hint (pms.md §4.3): a Taiwan-ID shape with a valid checksum is a national ID or resident certificate.
 *    A Taiwan-ID shape with a wrong checksum fails with `checksum`, unless an issuing country other than TWN is
 *    given, in which case it is tried as a passport. Anything else is tried as a passport. Without a hint or a
 *    country, a mistyped ID that is not Taiwan-ID-shaped (say, 9 characters) can pass as a passport, so forms
 *    that know the document type should pass the hint.
 */
export function parseIdentityDocument(
  input: string,
  hint?: IdentityDocumentKind,
  options: IdentityDocumentOptions = {},
): IdentityDocumentResult {
  if (hint === 'passport') return parsePassport(input, options.issuingCountry);
  const taiwan = parseTaiwanId(input);
  if (hint !== undefined || taiwan.ok) return taiwan;
  const countryGiven = Boolean(options.issuingCountry?.trim());
  const country = countryGiven ? normaliseCountryCode(options.issuingCountry ?? '') : undefined;
  if (taiwan.reason === 'checksum' && (!countryGiven || country === 'TWN')) return taiwan;
  return parsePassport(input, options.issuingCountry);
}

/**
 * Masks an ID or passport number for display: keep the first 3 and the last 2 characters and replace the rest
 * with `*`, keeping the length (`A123456789` → `A12*****89`). At least 4 characters are always masked, so
 * shorter values show less: 9 or more characters show 3 + 2, 8 show 2 + 2, 7 show 2 + 1, 6 show 1 + 1,
 * 5 show the first one, and 4 or fewer are masked entirely. The input is normalised first.
 */
export function maskIdentityNumber(value: string): string {
  const chars = Array.from(normaliseDocumentNumber(value));
  const masked = Math.max(chars.length - 5, Math.min(4, chars.length));
  const visible = chars.length - masked;
  const tail = Math.min(2, Math.floor(visible / 2));
  const head = visible - tail;
  return chars.slice(0, head).join('') + '*'.repeat(masked) + chars.slice(chars.length - tail).join('');
}
