import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateDataSet } from './generate.ts';
import { isValidTaiwanId } from './identifiers.ts';
import { createStore } from './store.ts';
import { parseLocal } from './time.ts';

const fingerprint = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('the generated 德安 data set', () => {
  const data = generateDataSet({ seed: 'data-test', profiles: 4000 });

  it('is the same for the same seed and different for another', () => {
    const again = generateDataSet({ seed: 'data-test', profiles: 4000 });
    expect(fingerprint([again.profiles, again.stays, again.members])).toBe(fingerprint([data.profiles, data.stays, data.members]));
    const other = generateDataSet({ seed: 'other', profiles: 4000 });
    expect(fingerprint(other.profiles)).not.toBe(fingerprint(data.profiles));
  });

  it('gives every person checksum-valid, unique numbers and never a well-known test number', () => {
    const ids = data.persons.map((p) => p.taiwanId).filter((id): id is string => id !== null);
    expect(ids.length).toBeGreaterThan(1000);
    expect(ids.every(isValidTaiwanId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain('A123456789');
    // Mobiles are unique per person, except household members who never stayed and typed the household's phone.
    const own = data.persons.filter((p) => p.stayer && p.mobile).map((p) => p.mobile);
    expect(new Set(own).size).toBe(own.length);
  });

  it('carries the noise of pms.md §5 (every tag present, in about the proportions asked)', () => {
    const m = data.manifest;
    for (const tag of ['id_spaces', 'id_lowercase', 'id_full_width', 'id_typo', 'id_masked', 'mobile_dashed', 'mobile_plus886', 'mobile_cc_trunk0', 'mobile_intl_00', 'mobile_missing_0', 'mobile_full_width', 'mobile_two_numbers', 'mobile_typo', 'phone_household', 'phone_hub', 'phone_landline', 'booker_name', 'name_romanised_only', 'name_placeholder', 'gender_default_m', 'email_ota_relay', 'deleted', 'merged']) {
      expect(m[tag], tag).toBeGreaterThan(0);
    }
    expect(m['origin_checkin']! / m['profiles']!).toBeCloseTo(0.75, 1);
    expect(m['phone_hub']! / m['profiles']!).toBeGreaterThan(0.015);
    // Household traps and hub traps are in the CRM sample.
    expect(m['member_trap_household_phone']).toBeGreaterThan(0);
    expect(m['member_trap_hub_phone']).toBeGreaterThan(0);
    expect(m['member_trap_booker_name']).toBeGreaterThan(0);
  });

  it('keeps hubs shared by many profiles, and a PMS truth for every profile', () => {
    const rmk = new Map<string, number>();
    for (const p of data.profiles) if (p.CONTACT1_RMK) rmk.set(p.CONTACT1_RMK, (rmk.get(p.CONTACT1_RMK) ?? 0) + 1);
    for (const hub of data.generator.hubs) expect(rmk.get(hub.text) ?? 0).toBeGreaterThanOrEqual(5);
    expect(data.profiles.every((p) => data.truth.profiles.has(p.GCUST_COD))).toBe(true);
    const persons = new Set(data.persons.map((p) => p.personId));
    expect(data.truth.members.every((t) => t.personId === null || persons.has(t.personId))).toBe(true);
    // 65% drawn from PMS persons, plus bookers who also stayed.
    const share = data.truth.members.filter((t) => t.personId !== null).length / data.members.length;
    expect(share).toBeGreaterThan(0.62);
    expect(share).toBeLessThan(0.75);
  });

  it('writes Taiwanese names, Chinese and romanised, and foreign passport names', () => {
    expect(data.profiles.some((p) => /^[\u4e00-\u9fff]{2,4}$/u.test(p.ALT_NAM ?? ''))).toBe(true);
    expect(data.profiles.some((p) => p.ALT_NAM === null && /^[A-Z]+$/.test(p.LAST_NAM ?? ''))).toBe(true);
    expect(data.profiles.some((p) => p.CONTRY_COD === 'JPN' && /^T[RKZ]\d{7}$/i.test(p.ID_NOS ?? ''))).toBe(true);
  });

  it('emits stays in either status dialect, and Bacchus contacts in CUST_IDX columns', () => {
    expect(new Set(data.stays.map((s) => s.ORDER_STA))).toEqual(new Set(['N', 'O', 'R', 'I', 'D', 'C', 'S']));
    expect(data.stays.every((s) => s.GUEST_STA === null)).toBe(true);
    const bacchus = generateDataSet({ seed: 'data-test', profiles: 1500, dialect: 'BACCHUS' });
    expect(new Set(bacchus.stays.map((s) => s.GUEST_STA))).toEqual(new Set([null, 'K', 'E', 'X']));
    expect(bacchus.stays.some((s) => s.ORDER_STA === 'X')).toBe(true);
    expect(bacchus.profiles.some((p) => p.MOBILE_NOS)).toBe(true);
    expect(bacchus.profiles.every((p) => p.CONTACT1_RMK === null)).toBe(true);
  });

  it('gives each stay the party of its room: mostly two adults, children in about 30%, a few never entered', () => {
    const counted = data.stays.filter((s) => s.ADULT_QNT !== null);
    expect(counted.every((s) => Number.isInteger(s.ADULT_QNT) && Number.isInteger(s.CHILD_QNT) && s.ADULT_QNT! <= 4 && s.CHILD_QNT! <= 3)).toBe(true);
    const withChildren = counted.filter((s) => s.CHILD_QNT! > 0).length;
    expect(withChildren / data.stays.length).toBeGreaterThan(0.22);
    expect(withChildren / data.stays.length).toBeLessThan(0.36);
    expect(data.manifest['stay_with_children']).toBe(withChildren);
    expect(data.stays.filter((s) => s.ADULT_QNT === null && s.CHILD_QNT === null).length).toBe(data.manifest['stay_party_unrecorded']);
    expect(data.manifest['stay_party_zeros']).toBeGreaterThan(0);
  });

  it('holds converted resident numbers: old form in the PMS, the new one on the member', () => {
    const residents = generateDataSet({ seed: 'residents', profiles: 1500, residentShare: 0.3 });
    const converted = residents.truth.members.filter((t) => t.traps.includes('uin_converted'));
    expect(converted.length).toBeGreaterThan(0);
    for (const t of converted) {
      const person = residents.persons.find((p) => p.personId === t.personId)!;
      expect(person.oldResidentId).toMatch(/^[A-Z][A-D]\d{8}$/);
      expect(person.taiwanId).toMatch(/^[A-Z][89]\d{8}$/);
    }
  });
});

describe('the change stream', () => {
  it('moves UPD_DAT forward, with some changes in one second and some committed late', () => {
    const store = createStore({ seed: 'changes', profiles: 1000, changesPerHour: 600, lateCommitRate: 0.3, sameSecondRate: 0.3 });
    const before = store.now();
    const changes = store.advance(3_600_000);
    expect(changes.length).toBeGreaterThan(300);
    expect(new Set(changes.map((c) => c.kind)).size).toBeGreaterThanOrEqual(8);
    expect(changes.every((c) => parseLocal(c.at) > before && parseLocal(c.at) <= store.now())).toBe(true);
    const seconds = changes.map((c) => c.at);
    expect(new Set(seconds).size).toBeLessThan(seconds.length);
    expect(store.now() - before).toBe(3_600_000);
  });
});
