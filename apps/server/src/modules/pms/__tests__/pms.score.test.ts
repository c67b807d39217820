import { createHmac } from 'node:crypto';
import { generateDataSet } from '@innkeeper/pms-simulator';
import { describe, expect, it } from 'vitest';
import { runMatcher, scoreMatcher } from './match-score.ts';

/**
 * The matcher against the PMS simulator's default data and its ground truth (issue 8: rate ≥ 95% of members who share
 * a usable key with their PMS person, precision ≥ 99.9%, no false link on any trap case). `npm run bench:pms-match`
 * prints the same figures in full.
 */
// A whole matcher run over the default data set is CPU work of a few seconds on a quiet machine: the unit project's
// 5 s default times it out on a loaded 2-core CI machine (seen at load 21), though the test asserts no time at all.
const MATCHER_RUN_TIMEOUT = 60_000;

describe('guest matching scored on the simulator’s default data', () => {
  const data = generateDataSet();
  const decisions = runMatcher(data);
  const score = scoreMatcher(data, decisions);

  it('links at least 95% of matchable members with precision ≥ 99.9%', () => {
    expect(score.members).toBe(data.members.length);
    expect(score.matchable).toBeGreaterThan(500);
    expect(score.rate).toBeGreaterThanOrEqual(0.95);
    expect(score.precision).toBeGreaterThanOrEqual(0.999);
    expect(score.falseLinks).toEqual([]);
  });

  it('makes no false link on any trap case, and never links on a household or hub number alone', () => {
    for (const trap of ['household_phone', 'hub_phone', 'booker_name', 'stale_phone', 'uin_converted']) {
      expect(score.traps[trap]?.members, trap).toBeGreaterThan(0);
      expect(score.traps[trap]!.falseLinks, trap).toBe(0);
    }
    expect(score.traps['household_phone']!.linked).toBe(0);
    expect(score.traps['hub_phone']!.linked).toBe(0);
    // Every agency member on a hub number is refused for the hub itself, whatever the name says.
    expect(score.unmatchedReasons['hub_number']).toBe(score.traps['hub_phone']!.members);
  });

  it('groups a person’s duplicate profiles under the one link', () => {
    expect(score.profilesGrouped).toBeGreaterThan(0.9);
    const multi = decisions.filter((d) => d.outcome === 'linked' && d.profileIds.length > 1);
    expect(multi.length).toBeGreaterThan(20);
  });

  it('decides the same on blind indexes as on plain numbers', () => {
    const hmac = (value: string) => createHmac('sha256', 'pms-score-blind-index').update(value).digest('base64url');
    const hashed = runMatcher(data, {}, hmac);
    expect(hashed.map((d) => [d.memberId, d.outcome, d.outcome === 'linked' ? d.profileIds : null])).toEqual(decisions.map((d) => [d.memberId, d.outcome, d.outcome === 'linked' ? d.profileIds : null]));
  }, MATCHER_RUN_TIMEOUT);
});

describe('guest matching on a trap-heavy data set', () => {
  it('converted resident numbers: never an ID link to the old number, phone + name links say why, no false links', () => {
    const data = generateDataSet({ seed: 'trap-heavy', profiles: 6000, residentShare: 0.3 });
    const decisions = runMatcher(data);
    const score = scoreMatcher(data, decisions);
    expect(score.falseLinks).toEqual([]);
    const converted = new Set(data.truth.members.filter((t) => t.traps.includes('uin_converted')).map((t) => t.memberId));
    expect(converted.size).toBeGreaterThan(10);
    const linked = decisions.filter((d) => converted.has(d.memberId) && d.outcome === 'linked');
    expect(linked.some((d) => d.reasons.includes('resident_number_converted'))).toBe(true);
    for (const d of linked) {
      if (d.outcome !== 'linked' || d.tier !== 'id') continue;
      // An ID link for a converted resident is only ever to a profile holding the new number.
      const member = data.members.find((m) => m.memberId === d.memberId)!;
      const plain = (text: string | null | undefined) => (text ?? '').normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
      expect(d.profileIds.some((id) => plain(data.profiles.find((p) => p.GCUST_COD === id)!.ID_NOS) === plain(member.idNumber))).toBe(true);
    }
  }, MATCHER_RUN_TIMEOUT);
});
