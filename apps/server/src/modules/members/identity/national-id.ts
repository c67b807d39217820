import { normaliseDocumentNumber } from './full-width.ts';

/**
 * Taiwan national ID (國民身分證統一編號) and resident certificate (外來人口統一證號) numbers, per
 * the PMS research note (pms.md) §4.1–4.2:
 *  - national ID:                 `[A-Z][12][0-9]{8}`  (1 male, 2 female)
 *  - resident certificate, new:   `[A-Z][89][0-9]{8}`  (issued since 2021-01-02; 8 male, 9 female)
 *  - resident certificate, old:   `[A-Z][A-D][0-9]{8}` (valid until 2031-01-01)
 * Checksum: S = x1×1 + x2×9 + d1×8 + d2×7 + … + d8×1 + c×1 ≡ 0 (mod 10), where x1x2 is the two-digit code
 * of the first letter and d1 is the second character (for the old format, its letter code mod 10: A→0 … D→3).
 */
export type TaiwanIdKind = 'national_id' | 'resident_certificate';
export type TaiwanIdFailureReason = 'format' | 'checksum';
export type TaiwanIdResult =
  | { ok: true; value: string; kind: TaiwanIdKind }
  | { ok: false; reason: TaiwanIdFailureReason };

/** Letters in code order 10…35: `code = 10 + indexOf(letter)`. */
const LETTER_ORDER = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
const WEIGHTS = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1] as const;

/** Any of the three shapes; use it to tell "looks like a Taiwan ID" from other identifiers. */
export const TAIWAN_ID_SHAPE = /^[A-Z][1289A-D][0-9]{8}$/;

/** Trim, full-width → half-width, upper-case, and remove whitespace and dashes (`a 123-456-789` → `A123456789`). */
export function normaliseTaiwanId(input: string): string {
  return normaliseDocumentNumber(input);
}

function letterCode(letter: string): number {
  return 10 + LETTER_ORDER.indexOf(letter);
}

/** The checksum of a value that already has one of the three shapes. */
function checksumOk(value: string): boolean {
  const code = letterCode(value[0]!);
  const second = value[1]!;
  const d1 = /[A-D]/.test(second) ? letterCode(second) % 10 : Number(second);
  const digits = [Math.floor(code / 10), code % 10, d1, ...value.slice(2).split('').map(Number)];
  const sum = digits.reduce((total, digit, i) => total + digit * WEIGHTS[i]!, 0);
  return sum % 10 === 0;
}

export function parseTaiwanId(input: string): TaiwanIdResult {
  const value = normaliseTaiwanId(input);
  if (!TAIWAN_ID_SHAPE.test(value)) return { ok: false, reason: 'format' };
  if (!checksumOk(value)) return { ok: false, reason: 'checksum' };
  return { ok: true, value, kind: /[12]/.test(value[1]!) ? 'national_id' : 'resident_certificate' };
}

/**
 * Checksum-valid numbers that are well-known test or placeholder values (pms.md §4.1, §4.5). They pass
 * `parseTaiwanId`; the matcher must not use them as keys (and a per-tenant deny-list adds more).
 */
const PLACEHOLDER_IDS = new Set(['A123456789']);

export function isPlaceholderTaiwanId(value: string): boolean {
  return PLACEHOLDER_IDS.has(normaliseTaiwanId(value));
}
