import { parsePartyCount } from '../members/index.ts';

/**
 * A stay's party as 德安 keeps it per reservation line (ORDER_DT ADULT_QNT, CHILD_QNT; contract §5): the HTTP feed
 * sends Oracle NUMBERs as JSON numbers, a file sends text, and boundDeanRow has made both text by the time this reads
 * them. Each count is read by the members module's rule (parsePartyCount: 0–99, blank is "not recorded"); anything
 * else is not a party size, and the caller sets the row aside with the reason.
 */

export type PartySize = { adults: number | null; children: number | null };
export type PartyResult = { ok: true; party: PartySize } | { ok: false; column: 'ADULT_QNT' | 'CHILD_QNT' };

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
