/**
 * What the match report counts of one member's decision, as applied (links kept, staff rejections, a person another
 * member holds). Each member's tally is stored with its decision (pms_member_matches, migration 0038), so a sync that
 * decides only the members around its changes still reports on every member: the report is the sum of the tallies.
 */
export type DecisionTally =
  | { outcome: 'matched'; tier: string }
  | { outcome: 'review'; reasons: string[] }
  | { outcome: 'unmatched'; reasons: string[]; noPmsProfile?: true; rejectedByStaff?: true };

export type TallyCounts = {
  usableKey: number;
  matched: number;
  inReview: number;
  unmatched: number;
  /** Members whose key no PMS profile holds: guests who never stayed (pms.md §4.7), shown apart. */
  noPmsProfile: number;
  /** Members staff said none of the candidates is: decided, so no longer counted against the rate. */
  rejectedByStaff: number;
  unmatchedReasons: Record<string, number>;
  reviewReasons: Record<string, number>;
  linkedByTier: Record<string, number>;
};

export function emptyCounts(): TallyCounts {
  return { usableKey: 0, matched: 0, inReview: 0, unmatched: 0, noPmsProfile: 0, rejectedByStaff: 0, unmatchedReasons: {}, reviewReasons: {}, linkedByTier: {} };
}

const bump = (record: Record<string, number>, key: string) => void (record[key] = (record[key] ?? 0) + 1);

/** Adds one member's tally to the counts (every member with a usable key has exactly one). */
export function addTally(counts: TallyCounts, tally: DecisionTally): void {
  counts.usableKey++;
  if (tally.outcome === 'matched') {
    counts.matched++;
    bump(counts.linkedByTier, tally.tier);
    return;
  }
  if (tally.outcome === 'review') {
    counts.inReview++;
    for (const reason of tally.reasons) bump(counts.reviewReasons, reason);
    return;
  }
  counts.unmatched++;
  for (const reason of tally.reasons) bump(counts.unmatchedReasons, reason);
  if (tally.noPmsProfile) counts.noPmsProfile++;
  if (tally.rejectedByStaff) counts.rejectedByStaff++;
}

/** The tally of an unmatched decision: a key no PMS profile holds is a guest who never stayed (shown apart). */
export function unmatchedTally(reasons: readonly string[]): DecisionTally {
  return { outcome: 'unmatched', reasons: [...reasons], ...(reasons.includes('no_candidate') ? { noPmsProfile: true as const } : {}) };
}

export const REJECTED_TALLY: DecisionTally = { outcome: 'unmatched', reasons: ['rejected_by_staff'], rejectedByStaff: true };
