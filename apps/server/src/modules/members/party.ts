import { STAY_PARTY_MAX } from '@innkeeper/contracts';
import { toHalfWidth } from './identity/index.ts';

/**
 * A stay's adults or children as hotels write them, one rule for every way the count arrives (the importer's cells,
 * the PMS sync's ADULT_QNT / CHILD_QNT): a whole number from 0 to STAY_PARTY_MAX, as `2`, `２`, `2.0` (a spreadsheet's
 * number cell) or `2人` / `2 位` / `2名`. Null when blank ("not recorded"); undefined when it is no count at all
 * (negative, a fraction, a word, more than 99), for the caller to refuse with its own reason, never to guess.
 */
export function parsePartyCount(raw: string | number | null | undefined): number | null | undefined {
  if (raw === null || raw === undefined) return null;
  const text = toHalfWidth(String(raw)).trim();
  if (text === '') return null;
  const match = /^(\d{1,6})(?:\.0+)?\s*(?:人|位|名)?$/u.exec(text);
  if (!match) return undefined;
  const value = Number.parseInt(match[1]!, 10);
  return value <= STAY_PARTY_MAX ? value : undefined;
}
