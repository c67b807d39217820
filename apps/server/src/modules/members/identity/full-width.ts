/**
 * Width and separator clean-up for identity data typed through CJK input methods.
 *
 * We map exactly the full-width ASCII block (U+FF01–U+FF5E → U+0021–U+007E) and the ideographic space
 * (U+3000 → U+0020) instead of using NFKC. NFKC does the same for those characters but also folds many
 * others (`①`→`1`, `²`→`2`, `ﬁ`→`fi`, `㈱`→`(株)`), which would let odd input pass as an ID or a phone
 * number; with the exact mapping such input is rejected instead.
 */
export function toHalfWidth(input: string): string {
  return input
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/**
 * Dash look-alikes that people type as separators inside IDs and phone numbers: ‐ ‑ ‒ – — ― (U+2010–2015),
 * − (U+2212), ﹘ (U+FE58), ﹣ (U+FE63), and the Japanese long-vowel marks ー/ｰ (U+30FC, U+FF70) that a
 * Japanese IME produces for "-". Only for IDs and phones, never for names or emails.
 */
const DASH_LOOKALIKES = /[\u2010-\u2015\u2212\uFE58\uFE63\u30FC\uFF70]/g;

/** Zero-width characters that survive copy and paste (ZWSP, ZWNJ, ZWJ, word joiner, BOM). */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/** toHalfWidth with zero-width characters removed. Does not trim. */
export function toHalfWidthVisible(input: string): string {
  return toHalfWidth(input).replace(INVISIBLE, '');
}

/** toHalfWidthVisible, then dash look-alikes → `-`. For IDs and phone numbers. Does not trim. */
export function toHalfWidthIdentifier(input: string): string {
  return toHalfWidthVisible(input).replace(DASH_LOOKALIKES, '-');
}

/** For ID and passport numbers: half-width, upper-case, and every whitespace character and dash removed (which also trims). */
export function normaliseDocumentNumber(input: string): string {
  return toHalfWidthIdentifier(input).toUpperCase().replace(/[\s-]+/g, '');
}
