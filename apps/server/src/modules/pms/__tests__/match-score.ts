import type { DataSet } from '@innkeeper/pms-simulator';
import { type MatchDecision, type MatchOptions, matchMembers } from '../pms.matching.ts';
import { memberKeysOf } from '../pms.member-keys.ts';
import { normaliseDeanProfile } from '../pms.normalise.ts';

/**
 * Scores the matcher against the PMS simulator's ground truth (pms.md §4.7):
 *  - coverage: members who gave a usable key (a checksum-valid ID or an SMS-verified mobile);
 *  - matchable: members whose person has a live PMS profile sharing such a key (perfect normalisation would find it);
 *  - rate: correct links ÷ matchable members (issue 8's "matched ÷ members with a usable key", read as pms.md §4.7
 *    does: members who never stayed have usable keys but nothing to match, and cannot count against the matcher);
 *  - precision: correct links ÷ all links; a link is correct only if every profile linked is the member's person's.
 */
export type MatchScore = {
  members: number;
  withPerson: number;
  usableKey: number;
  matchable: number;
  linked: number;
  linkedCorrect: number;
  linkedFalse: number;
  matchableLinked: number;
  review: number;
  unmatched: number;
  rate: number;
  precision: number;
  recallAllWithPerson: number;
  /** Of the correct links, the share of the person's live profiles that the link grouped. */
  profilesGrouped: number;
  byTier: Record<string, number>;
  reviewReasons: Record<string, number>;
  unmatchedReasons: Record<string, number>;
  /** Matchable members not linked, by the first reason given. */
  missedReasons: Record<string, number>;
  traps: Record<string, { members: number; linked: number; falseLinks: number }>;
  falseLinks: Array<{ memberId: string; profileIds: string[]; reasons: string[]; traps: string[] }>;
};

export function runMatcher(data: DataSet, options: MatchOptions = {}, hash?: (value: string) => string): MatchDecision[] {
  let profiles = data.profiles.map((row) => normaliseDeanProfile(row));
  let members = data.members.map((m) => memberKeysOf({ source: 'typed', ...m }));
  if (hash) {
    profiles = profiles.map((p) => (p.id ? { ...p, id: { ...p.id, value: hash(p.id.value) } } : p));
    members = members.map((m) => (m.id ? { ...m, id: { ...m.id, value: hash(m.id.value) } } : m));
  }
  return matchMembers(members, profiles, options);
}

const bump = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

export function scoreMatcher(data: DataSet, decisions: MatchDecision[]): MatchScore {
  const truthOf = new Map(data.truth.members.map((t) => [t.memberId, t]));
  const liveProfilesOf = new Map<string, string[]>();
  for (const row of data.profiles) {
    if (row.CO_DEL_STA === 'Y') continue;
    const personId = data.truth.profiles.get(row.GCUST_COD)!.personId;
    liveProfilesOf.set(personId, [...(liveProfilesOf.get(personId) ?? []), row.GCUST_COD]);
  }
  const score: MatchScore = {
    members: decisions.length,
    withPerson: 0,
    usableKey: 0,
    matchable: 0,
    linked: 0,
    linkedCorrect: 0,
    linkedFalse: 0,
    matchableLinked: 0,
    review: 0,
    unmatched: 0,
    rate: 0,
    precision: 0,
    recallAllWithPerson: 0,
    profilesGrouped: 0,
    byTier: {},
    reviewReasons: {},
    unmatchedReasons: {},
    missedReasons: {},
    traps: {},
    falseLinks: [],
  };
  let grouped = 0;
  let groupable = 0;
  for (const d of decisions) {
    const truth = truthOf.get(d.memberId)!;
    if (truth.personId) score.withPerson++;
    if (truth.usableKey) score.usableKey++;
    if (truth.matchable) score.matchable++;
    for (const trap of truth.traps) score.traps[trap] ??= { members: 0, linked: 0, falseLinks: 0 };
    for (const trap of truth.traps) score.traps[trap]!.members++;
    if (d.outcome === 'linked') {
      score.linked++;
      bump(score.byTier, d.tier);
      const correct = truth.personId !== null && d.profileIds.every((id) => data.truth.profiles.get(id)?.personId === truth.personId);
      for (const trap of truth.traps) {
        score.traps[trap]!.linked++;
        if (!correct) score.traps[trap]!.falseLinks++;
      }
      if (correct) {
        score.linkedCorrect++;
        if (truth.matchable) score.matchableLinked++;
        const live = liveProfilesOf.get(truth.personId!) ?? [];
        groupable += live.length;
        grouped += live.filter((id) => d.profileIds.includes(id)).length;
      } else {
        score.linkedFalse++;
        score.falseLinks.push({ memberId: d.memberId, profileIds: d.profileIds, reasons: d.reasons, traps: truth.traps });
      }
    } else {
      if (d.outcome === 'review') score.review++;
      else score.unmatched++;
      for (const r of d.reasons) bump(d.outcome === 'review' ? score.reviewReasons : score.unmatchedReasons, r);
      if (truth.matchable) bump(score.missedReasons, `${d.outcome}:${d.reasons.join('+')}`);
    }
  }
  score.rate = score.matchable === 0 ? 0 : score.matchableLinked / score.matchable;
  score.precision = score.linked === 0 ? 1 : score.linkedCorrect / score.linked;
  score.recallAllWithPerson = score.withPerson === 0 ? 0 : score.linkedCorrect / score.withPerson;
  score.profilesGrouped = groupable === 0 ? 1 : grouped / groupable;
  return score;
}
