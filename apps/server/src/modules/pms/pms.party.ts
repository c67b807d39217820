import { STAY_PARTY_MAX } from '@innkeeper/contracts';
import { toHalfWidth } from '../members/index.ts';

/**
 * A stay's party as 德安 keeps it per reservation line (ORDER_DT ADULT_QNT, CHILD_QNT; contract §5): the HTTP feed
 * sends Oracle NUMBERs as JSON numbers, a file sends text, and boundDeanRow has made both text by the time this reads
 * them. A count is a whole number from 0 to STAY_PARTY_MAX; blank is "not recorded". Anything else (negative, a
 * fraction, a word, 120) is not a party size, and the caller sets the row aside with the reason.
 */

export type PartySize = { adults: number | null; children: number | null };
export type PartyResult = { ok: true; party: PartySize } | { ok: false; column: 'ADULT_QNT' | 'CHILD_QNT' };

/** One count: null when blank, undefined when it is not a count at all. `2.0` is 2 (a spreadsheet's number cell). */
export function parsePartyCount(raw: string | number | null | undefined): number | null | undefined {
  if (raw === null || raw === undefined) return null;
  const text = toHalfWidth(String(raw)).trim();
  if (text === '') return null;
  if (!/^\d{1,6}(?:\.0+)?$/.test(text)) return undefined;
  const value = Number.parseInt(text, 10);
  return value <= STAY_PARTY_MAX ? value : undefined;
}

export function parsePartySize(row: { ADULT_QNT?: string | number | null | undefined; CHILD_QNT?: string | number | null | undefined }): PartyResult {
  const adults = parsePartyCount(row.ADULT_QNT);
  if (adults === undefined) return { ok: false, column: 'ADULT_QNT' };
  const children = parsePartyCount(row.CHILD_QNT);
  if (children === undefined) return { ok: false, column: 'CHILD_QNT' };
  // A room booked for nobody: the counts were left at the form's zeros, not entered. "No children" would be a claim
  // the front desk never made (and would take the stay out of the family-room fallback of 家庭旅遊推播).
  if (adults === 0 && children === 0) return { ok: true, party: { adults: null, children: null } };
  return { ok: true, party: { adults, children } };
}
