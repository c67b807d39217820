import type { IdFormat, IdKey, NormalisedProfile } from './pms.normalise.ts';
import { compareNames, isHanName, type NameVerdict, type PersonName, surnameOf, surnameOfHan } from './pms.names.ts';
import { isRomanisationOf } from './pms.romanise.ts';
import { normaliseName } from '../member-portal/index.ts';

/**
 * Guest matching (issue 8; pms.md §4.6), pure: the caller hands in keys that are already normalised, with ID numbers
 * optionally replaced by their blind index (members keep IDs only encrypted + HMAC-indexed, so the caller hashes the
 * PMS side with the same key, see `blindIndexProfiles`). Nothing here reads a table.
 *
 * Order: PMS profiles are first grouped into persons (duplicates in a PMS are normal), numbers shared by many
 * persons are set aside as hubs, then each member is decided:
 *  1. a valid ID (national ID, resident certificate, passport) equal to a person's → linked (tier `id`);
 *  2. else a mobile held by exactly one person whose name agrees → linked (`mobile_name`); held by several persons
 *     of which exactly one has the member's name → linked (`shared_mobile_name`);
 *  3. anything short of that with a candidate → review, with reasons; no candidate → unmatched.
 * Invalid IDs never reach here (pms.normalise.ts drops them), hub numbers never link, and a person two members
 * would both take goes to review for both.
 */

export type MatchProfile = Pick<NormalisedProfile, 'externalId' | 'deleted' | 'mergedInto' | 'registeredName' | 'bookedName' | 'birthDate' | 'id' | 'mobiles'>;

export type MemberKeys = {
  memberId: string;
  /** A checksum-valid document the member gave (normalised number or its blind index, as the profiles carry). */
  id?: IdKey | null;
  /** E.164; only OTP-verified numbers should be passed as `verified`. */
  mobile?: { e164: string; verified: boolean } | null;
  name: PersonName;
  birthDate?: string | null;
};

export type MatchTier = 'id' | 'mobile_name' | 'shared_mobile_name';
export type MatchReason =
  | 'id_exact'
  | 'id_several_persons'
  | 'id_name_differs'
  | 'mobile_unique_name_same'
  | 'mobile_shared_name_unique'
  | 'resident_number_converted'
  | 'hub_number'
  | 'mobile_unverified'
  | 'name_booker_only'
  | 'name_surname_only'
  | 'name_conflict'
  | 'name_unverifiable'
  | 'several_persons_same_name'
  | 'id_conflict'
  | 'birth_date_differs'
  | 'owner_doubt'
  | 'person_claimed_by_several_members'
  | 'no_candidate'
  | 'no_usable_key';

export type MatchDecision =
  | { memberId: string; outcome: 'linked'; tier: MatchTier; personId: string; profileIds: string[]; reasons: MatchReason[] }
  | { memberId: string; outcome: 'review'; candidates: Array<{ personId: string; profileIds: string[] }>; reasons: MatchReason[] }
  | { memberId: string; outcome: 'unmatched'; reasons: MatchReason[] };

export type MatchOptions = {
  /** A number held by more distinct family names than this is a hub (agency, OTA, company, the hotel itself). */
  hubSurnameLimit?: number;
  /** Numbers never to use as keys whatever their count (the hotel's own lines, known agencies). */
  hubDenyList?: string[];
  /** Link on an unverified mobile too (off: such matches wait for review). */
  linkUnverifiedMobile?: boolean;
};

export type Person = {
  personId: string;
  profileIds: string[];
  ids: IdKey[];
  mobiles: Map<string, { ownerDoubt: boolean }>;
  registered: string[];
  booked: PersonName[];
  birthDates: Set<string>;
};

/** Replace every profile's ID number by its blind index, as the members module stores members' numbers. */
export function blindIndexProfiles<T extends { id: IdKey | null }>(profiles: T[], blindIndex: (normalised: string) => string): T[] {
  return profiles.map((p) => (p.id ? { ...p, id: { ...p.id, value: blindIndex(p.id.value) } } : p));
}

export function idKeyOf(id: IdKey): string {
  // National IDs and resident numbers share one number space; a passport is scoped by its issuing country.
  return id.format === 'passport' ? `P:${id.value}` : `T:${id.value}`;
}

function passportCountriesAgree(a: IdKey, b: IdKey): boolean {
  return !a.issuingCountry || !b.issuingCountry || a.issuingCountry === b.issuingCountry;
}

/**
 * One spelling of a profile's name for grouping: a Chinese name as normalised by the same-name rule; a Latin name as
 * its sorted syllables, so `CHAN WEI MING` in ALT_NAM and `CHAN` / `WEI MING` as booked are one key.
 */
function nameKey(text: string): string {
  if (isHanName(text)) return normaliseName(text);
  return text.normalize('NFKC').toLowerCase().split(/[\s,.\-‧·]+/u).filter(Boolean).sort().join(' ');
}

function profileNameKey(p: MatchProfile): string {
  if (p.registeredName) return nameKey(p.registeredName);
  if (p.bookedName) return nameKey(`${p.bookedName.lastName} ${p.bookedName.firstName}`);
  return '';
}

/**
 * What the database keeps of a profile to find it by (migration 0029): its ID key and its mobiles as one array
 * (`T:`/`P:` + the ID key, `M:` + E.164), and the family name hubs are counted by ('' when it has none).
 */
export function profileKeysOf(p: MatchProfile): { matchKeys: string[]; surname: string } {
  const keys = new Set<string>();
  if (p.id) keys.add(idKeyOf(p.id));
  for (const m of p.mobiles) keys.add(`M:${m.e164}`);
  return { matchKeys: [...keys], surname: profileSurname(p) };
}

/** A member's keys as the database keeps profiles' (`profileKeysOf`). */
export function memberLookupKeys(member: MemberKeys): string[] {
  return [...(member.id ? [idKeyOf(member.id)] : []), ...(member.mobile ? [`M:${member.mobile.e164}`] : [])];
}

function profileSurname(p: MatchProfile): string {
  if (p.registeredName) return surnameOf({ lastName: p.registeredName });
  if (!p.bookedName) return '';
  // A romanised family name counts apart from its Chinese form (WANG and 王 are two): hubs have dozens, households few.
  return surnameOf(p.bookedName);
}

/** The name a profile gives its guest: the registered one if any, else the booked one. */
function guestName(p: MatchProfile): string {
  if (p.registeredName) return p.registeredName;
  return p.bookedName ? `${p.bookedName.lastName} ${p.bookedName.firstName}`.trim() : '';
}

function sameProfileName(a: MatchProfile, b: MatchProfile): boolean {
  if (profileNameKey(a) === profileNameKey(b)) return true;
  const [na, nb] = [guestName(a), guestName(b)];
  if (!na || !nb || isHanName(na) === isHanName(nb)) return false;
  const [han, latin] = isHanName(na) ? [na, nb] : [nb, na];
  const compact = han.replace(/\s/gu, '');
  return isRomanisationOf(compact, latin, surnameOfHan(compact).length);
}

/** A number on more distinct family names than this is a hub (unless the caller says otherwise). */
export const HUB_SURNAME_LIMIT = 5;

/**
 * Numbers shared by many people: count distinct family names per mobile over live profiles. A household shares a
 * number among two or three family names at most; an agency or OTA number collects dozens.
 */
export function detectHubNumbers(profiles: MatchProfile[], options: MatchOptions = {}): Set<string> {
  const limit = options.hubSurnameLimit ?? HUB_SURNAME_LIMIT;
  const surnames = new Map<string, Set<string>>();
  for (const p of profiles) {
    if (p.deleted) continue;
    const surname = profileSurname(p) || `?${p.externalId}`;
    for (const m of p.mobiles) {
      let set = surnames.get(m.e164);
      if (!set) surnames.set(m.e164, (set = new Set()));
      set.add(surname);
    }
  }
  const hubs = new Set(options.hubDenyList ?? []);
  for (const [e164, set] of surnames) if (set.size > limit) hubs.add(e164);
  return hubs;
}

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let root = this.parent.get(x) ?? x;
    if (root !== x) {
      root = this.find(root);
      this.parent.set(x, root);
    }
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}

/**
 * Group live profiles into persons: a merge pointer (MCUST_COD), the same valid ID, or the same non-hub mobile
 * with the same registered or booked name. Two different valid Taiwan IDs are never grouped by phone and name.
 */
export function groupPersons(profiles: MatchProfile[], hubs: Set<string>): Person[] {
  const live = profiles.filter((p) => !p.deleted);
  const byId = new Map(live.map((p) => [p.externalId, p]));
  const uf = new UnionFind();
  for (const p of live) {
    if (p.mergedInto && byId.has(p.mergedInto)) uf.union(p.externalId, p.mergedInto);
  }
  const firstById = new Map<string, string>();
  for (const p of live) {
    if (!p.id) continue;
    const key = idKeyOf(p.id);
    const seen = firstById.get(key);
    if (seen) uf.union(seen, p.externalId);
    else firstById.set(key, p.externalId);
  }
  // Same number and the same name, spelt the same or one the romanisation of the other (an OTA booking of 黃雅婷
  // as HUANG YA TING). Hubs are out already, so the groups are a household at most.
  const byPhone = new Map<string, MatchProfile[]>();
  for (const p of live) {
    if (!profileNameKey(p)) continue;
    for (const m of p.mobiles) {
      if (hubs.has(m.e164) || m.ownerDoubt) continue;
      const list = byPhone.get(m.e164);
      if (list) list.push(p);
      else byPhone.set(m.e164, [p]);
    }
  }
  // The Taiwan numbers each group holds so far: a phone-and-name union never brings two persons' numbers together.
  const idsOf = new Map<string, IdKey[]>();
  for (const p of live) {
    if (!p.id || p.id.format === 'passport') continue;
    const root = uf.find(p.externalId);
    idsOf.set(root, [...(idsOf.get(root) ?? []), p.id]);
  }
  for (const group of byPhone.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const ra = uf.find(group[i]!.externalId);
        const rb = uf.find(group[j]!.externalId);
        if (ra === rb || !sameProfileName(group[i]!, group[j]!)) continue;
        const ids = [...(idsOf.get(ra) ?? []), ...(idsOf.get(rb) ?? [])];
        if (ids.some((x) => ids.some((y) => conflictingIdKeys(x, y)))) continue;
        uf.union(ra, rb);
        idsOf.set(uf.find(ra), ids);
      }
    }
  }

  const persons = new Map<string, Person>();
  for (const p of live) {
    const root = uf.find(p.externalId);
    let person = persons.get(root);
    if (!person) {
      person = { personId: root, profileIds: [], ids: [], mobiles: new Map(), registered: [], booked: [], birthDates: new Set() };
      persons.set(root, person);
    }
    person.profileIds.push(p.externalId);
    if (p.id && !person.ids.some((i) => idKeyOf(i) === idKeyOf(p.id!))) person.ids.push(p.id);
    for (const m of p.mobiles) {
      if (hubs.has(m.e164)) continue;
      const seen = person.mobiles.get(m.e164);
      person.mobiles.set(m.e164, { ownerDoubt: (seen?.ownerDoubt ?? true) && m.ownerDoubt });
    }
    if (p.registeredName) person.registered.push(p.registeredName);
    if (p.bookedName) person.booked.push(p.bookedName);
    if (p.birthDate) person.birthDates.add(p.birthDate);
  }
  return [...persons.values()].map((person) => ({ ...person, profileIds: person.profileIds.sort() }));
}

function conflictingIdKeys(a: IdKey, b: IdKey): boolean {
  return a.format !== 'passport' && b.format !== 'passport' && a.value !== b.value && !isConversion(a.format, b.format);
}

/** An old-format resident number and a new-format one may be the same person after conversion (pms.md §4.2). */
function isConversion(a: IdFormat, b: IdFormat): boolean {
  return (a === 'resident_old' && b === 'resident_new') || (a === 'resident_new' && b === 'resident_old');
}

/** Whether the member's ID contradicts a person's: both hold Taiwan numbers and none of them is the member's. */
function idConflict(member: IdKey | null | undefined, person: Person): { conflict: boolean; converted: boolean } {
  if (!member || member.format === 'passport') return { conflict: false, converted: false };
  const taiwan = person.ids.filter((i) => i.format !== 'passport');
  if (taiwan.length === 0 || taiwan.some((i) => i.value === member.value)) return { conflict: false, converted: false };
  const converted = taiwan.every((i) => isConversion(i.format, member.format));
  return { conflict: !converted, converted };
}

export type MatchIndex = { persons: Person[]; hubs: Set<string>; byId: Map<string, Person[]>; byMobile: Map<string, Person[]> };

/**
 * The index members are decided against. `hubs` may be given when they were counted elsewhere (the sync counts them
 * over every profile in the database and hands in only the profiles around a batch of members).
 */
export function buildMatchIndex(profiles: MatchProfile[], options: MatchOptions = {}, hubs: Set<string> = detectHubNumbers(profiles, options)): MatchIndex {
  const persons = groupPersons(profiles, hubs);
  const byId = new Map<string, Person[]>();
  const byMobile = new Map<string, Person[]>();
  const add = (map: Map<string, Person[]>, key: string, person: Person) => {
    const list = map.get(key);
    if (!list) map.set(key, [person]);
    else if (!list.includes(person)) list.push(person);
  };
  for (const person of persons) {
    for (const id of person.ids) add(byId, idKeyOf(id), person);
    for (const e164 of person.mobiles.keys()) add(byMobile, e164, person);
  }
  return { persons, hubs, byId, byMobile };
}

const NAME_REASON: Record<Exclude<NameVerdict, 'same'>, MatchReason> = {
  booker_only: 'name_booker_only',
  surname_only: 'name_surname_only',
  different: 'name_conflict',
  unverifiable: 'name_unverifiable',
};

const candidate = (p: Person) => ({ personId: p.personId, profileIds: p.profileIds });

export function matchMember(member: MemberKeys, index: MatchIndex, options: MatchOptions = {}): MatchDecision {
  const { memberId } = member;
  const hasId = Boolean(member.id);
  const hasMobile = Boolean(member.mobile);
  if (!hasId && !hasMobile) return { memberId, outcome: 'unmatched', reasons: ['no_usable_key'] };

  // 1. A valid document number equal to a person's.
  if (member.id) {
    const found = (index.byId.get(idKeyOf(member.id)) ?? []).filter((p) => member.id!.format !== 'passport' || p.ids.some((i) => i.value === member.id!.value && passportCountriesAgree(i, member.id!)));
    if (found.length === 1) {
      const person = found[0]!;
      const verdict = compareNames(member.name, person);
      const reasons: MatchReason[] = ['id_exact'];
      if (verdict === 'different') reasons.push('id_name_differs');
      return { memberId, outcome: 'linked', tier: 'id', personId: person.personId, profileIds: person.profileIds, reasons };
    }
    if (found.length > 1) {
      // One ID on several persons: they were split by something else (a passport country); a person decides.
      return { memberId, outcome: 'review', candidates: found.map(candidate), reasons: ['id_several_persons'] };
    }
  }

  // 2. The mobile, confirmed by the name.
  if (!member.mobile) return { memberId, outcome: 'unmatched', reasons: ['no_candidate'] };
  const e164 = member.mobile.e164;
  if (index.hubs.has(e164)) return { memberId, outcome: 'unmatched', reasons: ['hub_number'] };
  const holders = index.byMobile.get(e164) ?? [];
  if (holders.length === 0) return { memberId, outcome: 'unmatched', reasons: ['no_candidate'] };

  const judged = holders.map((person) => ({ person, verdict: compareNames(member.name, person), ids: idConflict(member.id, person) }));
  const same = judged.filter((j) => j.verdict === 'same');
  const reasons = new Set<MatchReason>();
  for (const j of judged) if (j.verdict !== 'same') reasons.add(NAME_REASON[j.verdict]);

  if (same.length === 1) {
    const { person, ids } = same[0]!;
    const linkReasons: MatchReason[] = [holders.length === 1 ? 'mobile_unique_name_same' : 'mobile_shared_name_unique'];
    if (ids.converted) linkReasons.push('resident_number_converted');
    const blockers: MatchReason[] = [];
    if (ids.conflict) blockers.push('id_conflict');
    if (member.birthDate && person.birthDates.size > 0 && !person.birthDates.has(member.birthDate)) blockers.push('birth_date_differs');
    if (person.mobiles.get(e164)?.ownerDoubt) blockers.push('owner_doubt');
    if (!member.mobile.verified && !options.linkUnverifiedMobile) blockers.push('mobile_unverified');
    if (blockers.length === 0) {
      return { memberId, outcome: 'linked', tier: holders.length === 1 ? 'mobile_name' : 'shared_mobile_name', personId: person.personId, profileIds: person.profileIds, reasons: linkReasons };
    }
    return { memberId, outcome: 'review', candidates: [candidate(person)], reasons: [...linkReasons, ...blockers] };
  }
  if (same.length > 1) reasons.add('several_persons_same_name');
  return { memberId, outcome: 'review', candidates: (same.length > 1 ? same : judged).map((j) => candidate(j.person)), reasons: [...reasons] };
}

/**
 * Decide every member of one tenant against one tenant's profiles. A person two members would both be linked to
 * is a duplicate member or a shared household account: both go to review instead.
 */
export function matchMembers(members: MemberKeys[], profiles: MatchProfile[], options: MatchOptions = {}): MatchDecision[] {
  const index = buildMatchIndex(profiles, options);
  return resolveClaims(members.map((m) => matchMember(m, index, options)));
}

/**
 * Rule 4 over every member's decision: a person two members would both be linked to sends both to review. `elsewhere`:
 * claims of members not among `decisions` (decided by an earlier sync and unchanged since), counted with them.
 */
export function resolveClaims(decisions: MatchDecision[], elsewhere: ReadonlyMap<string, number> = new Map()): MatchDecision[] {
  const claims = new Map<string, number>(elsewhere);
  for (const d of decisions) if (d.outcome === 'linked') claims.set(d.personId, (claims.get(d.personId) ?? 0) + 1);
  return decisions.map((d) => {
    if (d.outcome !== 'linked' || claims.get(d.personId)! < 2) return d;
    return { memberId: d.memberId, outcome: 'review', candidates: [{ personId: d.personId, profileIds: d.profileIds }], reasons: [...d.reasons, 'person_claimed_by_several_members'] };
  });
}
