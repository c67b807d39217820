import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeanGuestRow } from '../pms.dean.ts';
import { blindIndexProfiles, buildMatchIndex, detectHubNumbers, groupPersons, matchMember, matchMembers, type MatchProfile, type MemberKeys } from '../pms.matching.ts';
import { memberKeysOf } from '../pms.member-keys.ts';
import { compareNames } from '../pms.names.ts';
import { normaliseDeanProfile } from '../pms.normalise.ts';

let seq = 0;
function profile(fields: Partial<DeanGuestRow>): MatchProfile {
  return normaliseDeanProfile({ GCUST_COD: `G${++seq}`, UPD_DAT: '2026-12-01 10:00:00', CONTRY_COD: 'TWN', ...fields });
}
function member(fields: Partial<Parameters<typeof memberKeysOf>[0]> & { memberId?: string } = {}): MemberKeys {
  return memberKeysOf({ source: 'typed', memberId: fields.memberId ?? `M${++seq}`, mobileVerified: true, ...fields } as Parameters<typeof memberKeysOf>[0]);
}
const decide = (m: MemberKeys, profiles: MatchProfile[]) => matchMembers([m], profiles)[0]!;

// Checksum-valid numbers (none of them a known test number).
const NID_F = 'F220138576';
const NID_H = 'H120786456';
const NID_E = 'E184523914';
const UI_OLD = 'AC01234567';
const UI_NEW = 'A800000014';

describe('compareNames', () => {
  const names = (registered: string[], booked: Array<{ lastName: string; firstName: string }> = []) => ({ registered, booked });
  it.each([
    [{ lastName: '王', firstName: '小明' }, names(['王小明']), 'same'],
    [{ lastName: '王小明' }, names(['王 小明']), 'same'],
    [{ lastName: '陈', firstName: '伟华' }, names(['陳偉華']), 'same'], // simplified typed
    [{ lastName: 'Ｗａｎｇ', firstName: 'Ｈｓｉａｏ Ｍｉｎｇ' }, names([], [{ lastName: 'WANG', firstName: 'HSIAO MING' }]), 'same'],
    [{ lastName: 'Hsiao Ming', firstName: 'Wang' }, names([], [{ lastName: 'WANG', firstName: 'HSIAO MING' }]), 'same'],
    // The booking carries the mother's name; the ID at check-in says the son stayed.
    [{ lastName: '林', firstName: '美惠' }, names(['陳建宏'], [{ lastName: '林', firstName: '美惠' }]), 'booker_only'],
    [{ lastName: '王', firstName: '大明' }, names(['王小明']), 'surname_only'],
    [{ lastName: '歐陽', firstName: '娜娜' }, names(['歐陽菲菲']), 'surname_only'],
    [{ lastName: '歐', firstName: '娜娜' }, names(['歐陽菲菲']), 'different'],
    [{ lastName: '李', firstName: '小明' }, names(['王小明']), 'different'],
    // Romanised booking names spell the Chinese one (Wade-Giles or Pinyin, either order).
    [{ lastName: '王', firstName: '小明' }, names([], [{ lastName: 'WANG', firstName: 'HSIAO MING' }]), 'same'],
    [{ lastName: '王小明' }, names([], [{ lastName: 'Xiaoming', firstName: 'Wang' }]), 'same'],
    [{ lastName: 'Wang', firstName: 'Hsiao-Ming' }, names(['王小明']), 'same'],
    [{ lastName: '王', firstName: '小明' }, names([], [{ lastName: 'WANG', firstName: 'HSIAO MIN' }]), 'unverifiable'],
    // A romanised booker's name does not make the registered guest the member.
    [{ lastName: 'Lin', firstName: 'Mei Hui' }, names(['陳建宏'], [{ lastName: 'LIN', firstName: 'MEI HUI' }]), 'booker_only'],
    [{}, names(['王小明']), 'unverifiable'],
  ] as const)('%j vs %j → %s', (typed, profileNames, verdict) => {
    expect(compareNames(typed, { registered: [...profileNames.registered], booked: [...profileNames.booked] })).toBe(verdict);
  });
});

describe('grouping PMS profiles into persons', () => {
  it('same valid ID, merge pointers, and same mobile + same name group; a different ID never does', () => {
    const a = profile({ ALT_NAM: '王小明', ID_NOS: NID_H, CONTACT1_RMK: '0933111222' });
    const b = profile({ ALT_NAM: '王小明', ID_NOS: 'h120786456 ', CONTACT1_RMK: '' }); // same ID, lower case
    const c = profile({ ALT_NAM: '王 小明', CONTACT1_RMK: '+886 933 111 222' }); // no ID, same phone and name
    const d = profile({ LAST_NAM: 'WANG', FIRST_NAM: 'HSIAO MING', MCUST_COD: a.externalId }); // merged into a
    const e = profile({ ALT_NAM: '王小明', ID_NOS: NID_E, CONTACT1_RMK: '0933111222' }); // namesake, other ID
    const deleted = profile({ ALT_NAM: '王小明', ID_NOS: NID_H, CO_DEL_STA: 'Y' });
    const persons = groupPersons([a, b, c, d, e, deleted], new Set());
    const ids = persons.map((p) => p.profileIds.join(','));
    expect(ids).toContain([a, b, c, d].map((p) => p.externalId).sort().join(','));
    expect(ids).toContain(e.externalId);
    expect(ids.join(',')).not.toContain(deleted.externalId);
  });

  it('hub numbers: a number on more than 5 family names is set aside, a household number is not', () => {
    const agency = ['陳', '林', '黃', '張', '李', '王', '吳'].map((s) => profile({ ALT_NAM: `${s}小華`, CONTACT1_RMK: '02-2712-0000 / 0988000111' }));
    const household = ['王大明', '王小明', '林美惠'].map((n) => profile({ ALT_NAM: n, CONTACT1_RMK: '0933222333' }));
    const hubs = detectHubNumbers([...agency, ...household]);
    expect([...hubs]).toEqual(['+886988000111']);
    expect(detectHubNumbers(household, { hubDenyList: ['+886933222333'] }).has('+886933222333')).toBe(true);
  });
});

describe('matching precedence', () => {
  it('T1: a valid ID equal to a person’s links all of that person’s profiles, whatever the phone says', () => {
    const p1 = profile({ ALT_NAM: '陳建宏', ID_NOS: NID_H, CONTACT1_RMK: '0933000111' });
    const p2 = profile({ ALT_NAM: '陳建宏', ID_NOS: ` ${NID_H.toLowerCase()}`, CONTACT1_RMK: '0911000999' });
    const other = profile({ ALT_NAM: '林美惠', CONTACT1_RMK: '0922000222' });
    const d = decide(member({ idNumber: `Ｈ${NID_H.slice(1)}`, mobile: '0922000222', lastName: '陳', firstName: '建宏' }), [p1, p2, other]);
    expect(d).toMatchObject({ outcome: 'linked', tier: 'id', profileIds: [p1.externalId, p2.externalId].sort(), reasons: ['id_exact'] });
  });

  it('T1 with blind indexes on both sides decides the same', () => {
    const key = 'blind-index-test-key';
    const hmac = (v: string) => createHmac('sha256', key).update(v).digest('base64url');
    const p = profile({ ALT_NAM: '陳建宏', ID_NOS: NID_H });
    const stored = memberKeysOf({ source: 'stored', memberId: 'm1', idType: 'national_id', idNumberHash: hmac(NID_H), idNumberMasked: 'H12*****56', lastName: '陳', firstName: '建宏' });
    expect(decide(stored, blindIndexProfiles([p], hmac))).toMatchObject({ outcome: 'linked', tier: 'id', profileIds: [p.externalId] });
    // Without hashing the PMS side, nothing equals.
    expect(decide(stored, [p])).toMatchObject({ outcome: 'unmatched' });
  });

  it('never links on an invalid, masked or placeholder ID', () => {
    const typo = profile({ ALT_NAM: '陳建宏', ID_NOS: 'H120786457' });
    const masked = profile({ ALT_NAM: '陳建宏', ID_NOS: 'H12*****56' });
    const placeholder = profile({ ALT_NAM: '陳建宏', ID_NOS: 'A123456789' });
    // A member typing the same wrong number gets no key either.
    expect(decide(member({ idNumber: 'H120786457', lastName: '陳', firstName: '建宏' }), [typo])).toEqual({ memberId: expect.any(String), outcome: 'unmatched', reasons: ['no_usable_key'] });
    expect(decide(member({ idNumber: NID_H, lastName: '陳', firstName: '建宏' }), [typo, masked, placeholder])).toMatchObject({ outcome: 'unmatched', reasons: ['no_candidate'] });
    expect(decide(member({ idNumber: 'A123456789', lastName: '陳', firstName: '建宏' }), [placeholder])).toMatchObject({ outcome: 'unmatched', reasons: ['no_usable_key'] });
  });

  it('passports match within the issuing country only', () => {
    const p = profile({ LAST_NAM: 'TANAKA', FIRST_NAM: 'YUKI', CONTRY_COD: 'JPN', ID_NOS: 'tr1029384' });
    expect(decide(member({ idNumber: 'TR1029384', idCountry: 'JP', lastName: 'Tanaka', firstName: 'Yuki' }), [p])).toMatchObject({ outcome: 'linked', tier: 'id' });
    expect(decide(member({ idNumber: 'TR1029384', idCountry: 'KR', lastName: 'Tanaka', firstName: 'Yuki' }), [p])).toMatchObject({ outcome: 'unmatched' });
  });

  it('T2: a mobile held by one person, in any format, with the same name', () => {
    const p = profile({ ALT_NAM: '黃雅婷', CONTACT2_RMK: '8860912000333' });
    const d = decide(member({ mobile: '+886 912 000 333', lastName: '黄', firstName: '雅婷' }), [p]);
    expect(d).toMatchObject({ outcome: 'linked', tier: 'mobile_name', reasons: ['mobile_unique_name_same'] });
  });

  it('a unique mobile with another name, or no name to check, waits for review with the reason', () => {
    const p = profile({ ALT_NAM: '黃雅婷', CONTACT1_RMK: '0912000333' });
    expect(decide(member({ mobile: '0912000333', lastName: '周', firstName: '杰倫' }), [p])).toMatchObject({ outcome: 'review', reasons: ['name_conflict'] });
    expect(decide(member({ mobile: '0912000333' }), [p])).toMatchObject({ outcome: 'review', reasons: ['name_unverifiable'] });
    const romanised = profile({ LAST_NAM: 'HUANG', FIRST_NAM: 'YA HUI', CONTACT1_RMK: '0912000444' });
    expect(decide(member({ mobile: '0912000444', lastName: '黃', firstName: '雅婷' }), [romanised])).toMatchObject({ outcome: 'review', reasons: ['name_unverifiable'] });
  });

  it('a romanised-only booking links when it spells the typed name, and groups with the Chinese profile', () => {
    const booking = profile({ LAST_NAM: 'HUANG', FIRST_NAM: 'YA TING', CONTACT1_RMK: '0912000555' });
    expect(decide(member({ mobile: '0912000555', lastName: '黃', firstName: '雅婷' }), [booking])).toMatchObject({ outcome: 'linked', tier: 'mobile_name' });
    const checkIn = profile({ ALT_NAM: '黃雅婷', ID_NOS: NID_F, CONTACT1_RMK: '+886912000555' });
    const persons = groupPersons([booking, checkIn], new Set());
    expect(persons.map((p) => p.profileIds)).toEqual([[booking.externalId, checkIn.externalId].sort()]);
    expect(decide(member({ mobile: '0912000555', lastName: '黃', firstName: '雅婷' }), [booking, checkIn])).toMatchObject({ outcome: 'linked', profileIds: [booking.externalId, checkIn.externalId].sort() });
  });

  it('an unverified mobile does not link unless the connection allows it', () => {
    const p = profile({ ALT_NAM: '黃雅婷', CONTACT1_RMK: '0912000333' });
    const m = member({ mobile: '0912000333', mobileVerified: false, lastName: '黃', firstName: '雅婷' });
    expect(decide(m, [p])).toMatchObject({ outcome: 'review', reasons: ['mobile_unique_name_same', 'mobile_unverified'] });
    expect(matchMembers([m], [p], { linkUnverifiedMobile: true })[0]).toMatchObject({ outcome: 'linked' });
  });

  it('a birth date that disagrees stops a phone link', () => {
    const p = profile({ ALT_NAM: '黃雅婷', CONTACT1_RMK: '0912000333', BIRTH_DAT: '1990-01-01' });
    expect(decide(member({ mobile: '0912000333', lastName: '黃', firstName: '雅婷', birthDate: '1991-01-01' }), [p])).toMatchObject({ outcome: 'review', reasons: ['mobile_unique_name_same', 'birth_date_differs'] });
  });
});

describe('trap cases: never a false link', () => {
  it('household phone: a family member who never stayed, using the booking phone, is not linked to the family', () => {
    const father = profile({ ALT_NAM: '王大明', ID_NOS: NID_H, CONTACT1_RMK: '0933222333' });
    const son = profile({ ALT_NAM: '王小明', CONTACT1_RMK: '0933-222-333' });
    const mother = member({ mobile: '0933222333', lastName: '林', firstName: '美惠' });
    const daughter = member({ mobile: '0933222333', lastName: '王', firstName: '小美' });
    const decisions = matchMembers([mother, daughter], [father, son]);
    expect(decisions.map((d) => d.outcome)).toEqual(['review', 'review']);
    expect(decisions[0]!.reasons).toEqual(['name_conflict']);
    expect(decisions[1]!.reasons).toEqual(['name_surname_only']);
  });

  it('household phone: the family member who did stay is picked out by name (T3)', () => {
    const father = profile({ ALT_NAM: '王大明', CONTACT1_RMK: '0933222333' });
    const son = profile({ ALT_NAM: '王小明', CONTACT1_RMK: '0933222333' });
    const d = decide(member({ mobile: '0933222333', lastName: '王', firstName: '小明' }), [father, son]);
    expect(d).toMatchObject({ outcome: 'linked', tier: 'shared_mobile_name', profileIds: [son.externalId], reasons: ['mobile_shared_name_unique'] });
  });

  it('household phone on a romanised-only booking: a sibling who never stayed is not linked', () => {
    const brother = profile({ LAST_NAM: 'WANG', FIRST_NAM: 'HSIAO MING', CONTACT1_RMK: '0933222444' });
    const sister = member({ mobile: '0933222444', lastName: '王', firstName: '小美' });
    expect(decide(sister, [brother])).toMatchObject({ outcome: 'review', reasons: ['name_unverifiable'] });
  });

  it('hub number: an agency number never links, even with a matching name', () => {
    const agency = ['陳', '林', '黃', '張', '李', '王', '吳'].map((s) => profile({ ALT_NAM: `${s}小華`, CONTACT1_RMK: '0988000111' }));
    const d = decide(member({ mobile: '0988000111', lastName: '陳', firstName: '小華' }), agency);
    expect(d).toEqual({ memberId: expect.any(String), outcome: 'unmatched', reasons: ['hub_number'] });
  });

  it('converted resident number: no ID link across formats, a phone + name link says why', () => {
    const p = profile({ ALT_NAM: 'NGUYEN THI LAN', CONTRY_COD: 'VNM', ID_NOS: UI_OLD, CONTACT1_RMK: '0987000555' });
    const onlyId = member({ idNumber: UI_NEW, lastName: 'Nguyen', firstName: 'Thi Lan' });
    expect(decide(onlyId, [p])).toMatchObject({ outcome: 'unmatched', reasons: ['no_candidate'] });
    const withPhone = member({ idNumber: UI_NEW, mobile: '0987000555', lastName: 'Nguyen', firstName: 'Thi Lan' });
    expect(decide(withPhone, [p])).toMatchObject({ outcome: 'linked', tier: 'mobile_name', reasons: ['mobile_unique_name_same', 'resident_number_converted'] });
  });

  it('a different national ID on the phone’s person is a conflict, not a link (a namesake)', () => {
    const p = profile({ ALT_NAM: '陳建宏', ID_NOS: NID_E, CONTACT1_RMK: '0933000111' });
    const d = decide(member({ idNumber: NID_H, mobile: '0933000111', lastName: '陳', firstName: '建宏' }), [p]);
    expect(d).toMatchObject({ outcome: 'review', reasons: ['mobile_unique_name_same', 'id_conflict'] });
  });

  it('booker name: the mother who booked for her son is not linked to the son’s stay', () => {
    const son = profile({ ALT_NAM: '陳建宏', LAST_NAM: '林', FIRST_NAM: '美惠', ID_NOS: NID_H, CONTACT1_RMK: '0922111000' });
    const d = decide(member({ mobile: '0922111000', lastName: '林', firstName: '美惠' }), [son]);
    expect(d).toMatchObject({ outcome: 'review', reasons: ['name_booker_only'] });
  });

  it('a number noted as someone else’s (媽媽) does not link on its own', () => {
    const p = profile({ ALT_NAM: '陳建宏', CONTACT1_RMK: '0922111000(媽媽)' });
    expect(decide(member({ mobile: '0922111000', lastName: '陳', firstName: '建宏' }), [p])).toMatchObject({ outcome: 'review', reasons: ['mobile_unique_name_same', 'owner_doubt'] });
  });

  it('one person claimed by two members sends both to review', () => {
    const p = profile({ ALT_NAM: '陳建宏', CONTACT1_RMK: '0922111000' });
    const decisions = matchMembers([member({ mobile: '0922111000', lastName: '陳', firstName: '建宏' }), member({ mobile: '0922111000', lastName: '陳建宏' })], [p]);
    expect(decisions.map((d) => [d.outcome, d.reasons.at(-1)])).toEqual([
      ['review', 'person_claimed_by_several_members'],
      ['review', 'person_claimed_by_several_members'],
    ]);
  });

  it('a member without a usable key is unmatched, and says so', () => {
    expect(matchMember(member({ mobile: '02-2345-6781', lastName: '陳' }), buildMatchIndex([]))).toMatchObject({ outcome: 'unmatched', reasons: ['no_usable_key'] });
  });
});
