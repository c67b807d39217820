import { chineseName, FOREIGN_COUNTRIES, foreignName, NICKNAMES, pickSurname, RESIDENT_COUNTRIES } from './names.ts';
import { foreignMobile, isValidTaiwanId, landline, nationalId, passportNumber, residentNumber, taiwanMobile } from './identifiers.ts';
import { garbagePhone, type Noisy, noisyForeignMobile, noisyId, noisyMobile, toFullWidth, typoMobile } from './noise.ts';
import { createRng, type Rng } from './random.ts';
import { formatLocal, formatLocalDate, parseLocal } from './time.ts';
import type { CrmMember, GuestRow, MemberTruth, Person, ProfileTruth, StatusDialect, StayRow, TrapTag } from './types.ts';

/**
 * The synthetic 德安 data set of pms.md §5.1: persons (the truth), their PMS profiles with the noise front desks
 * leave, stays in either status dialect, and a CRM-side sample of LINE members with what they typed. Deterministic
 * for a seed. Proportions are pms.md's assumptions; where pms.md is silent the choice is commented.
 */
export type GenerateOptions = {
  seed?: string;
  /** Approximate number of PMS profiles (default 10,000). */
  profiles?: number;
  /** LINE members in the CRM sample (default: a fifth of the profiles). */
  members?: number;
  dialect?: StatusDialect;
  /** Property codes; profiles are chain-wide (HOTEL_COD null), stays belong to a property. */
  hotels?: string[];
  /** The simulator's "now", Asia/Taipei local time. */
  now?: string;
  /** Share of members whose mobile was verified by an SMS code (LIFF binding requires one). */
  verifiedMobileRate?: number;
  /** Share of persons who are residents with a resident certificate (pms.md §5.1: 2%); raise it to test conversions. */
  residentShare?: number;
  /** Approximate number of stays (default: about 1.5 a profile, as a hotel's history holds; a benchmark asks for more). */
  stays?: number;
};

export type DataSet = {
  seed: string;
  dialect: StatusDialect;
  hotels: string[];
  now: number;
  persons: Person[];
  profiles: GuestRow[];
  stays: StayRow[];
  members: CrmMember[];
  truth: { profiles: Map<string, ProfileTruth>; members: MemberTruth[] };
  /** Realised count of every noise and trap tag. */
  manifest: Record<string, number>;
};

export const ROOM_TYPES: Record<string, string> = { SD: '標準雙人房', DD: '豪華雙人房', ST: '標準三人房', FM: '家庭四人房', SU: '湖景套房', TW: '雙床房' };

/** Status codes per dialect (contract §7). */
export const DIALECT_CODES: Record<StatusDialect, Record<'reserved' | 'in_house' | 'checked_out' | 'cancelled' | 'no_show', { order: string[]; guest: string | null }>> = {
  KTW: {
    reserved: { order: ['N', 'O', 'R'], guest: null },
    in_house: { order: ['I'], guest: null },
    checked_out: { order: ['D'], guest: null },
    cancelled: { order: ['C'], guest: null },
    no_show: { order: ['S'], guest: null },
  },
  BACCHUS: {
    reserved: { order: ['N', 'O', 'W'], guest: null },
    in_house: { order: ['I'], guest: 'K' },
    checked_out: { order: ['D'], guest: 'E' },
    cancelled: { order: ['X'], guest: 'X' },
    no_show: { order: ['S'], guest: null },
  },
};

const DAY = 86_400_000;
const YEAR = 365 * DAY;

type Household = { id: string; phone: string | null; persons: Person[] };
type Hub = { text: string; e164: string | null; name: string };

type Ctx = {
  rng: Rng;
  /** Party sizes draw from their own stream, so adding them left every other value of a seed as it was. */
  partyRng: Rng;
  now: number;
  taken: { ids: Set<string>; phones: Set<string>; passports: Set<string> };
  manifest: Record<string, number>;
  dialect: StatusDialect;
  hotels: string[];
  profileSeq: number;
  stayIkeySeq: number;
  residentShare: number;
};

function tally(ctx: Ctx, tag: string): void {
  ctx.manifest[tag] = (ctx.manifest[tag] ?? 0) + 1;
}

export function newPerson(ctx: Ctx, personId: string, options: { surname?: readonly [string, string]; citizenship?: Person['citizenship']; stayer: boolean; householdId?: string | null }): Person {
  const { rng } = ctx;
  const resident = ctx.residentShare * 100;
  const citizenship = options.citizenship ?? rng.weighted([['tw', 80], ['resident', resident], ['foreign', 18]] as const);
  const gender = rng.chance(0.5) ? 'M' : 'F';
  const birthDate = formatLocalDate(ctx.now - rng.range(18 * 365, 80 * 365) * DAY);
  let person: Person;
  if (citizenship === 'tw') {
    const name = chineseName(rng, gender, options.surname);
    const hasMobile = rng.chance(0.97);
    person = {
      personId,
      householdId: options.householdId ?? null,
      citizenship,
      country: 'TWN',
      gender,
      han: { surname: name.surname, given: name.given },
      latin: { last: name.surnameLatin, first: name.givenLatin },
      birthDate,
      taiwanId: nationalId(rng, gender, ctx.taken.ids),
      oldResidentId: null,
      // Taiwanese guests register with their national ID; a passport never reaches ID_NOS in this model.
      passport: null,
      mobile: hasMobile ? `+886${taiwanMobile(rng, ctx.taken.phones)}` : null,
      oldMobile: null,
      mobileChangedAt: null,
      email: null,
      stayer: options.stayer,
    };
  } else {
    const country = citizenship === 'resident' ? rng.pick(RESIDENT_COUNTRIES) : rng.pick(FOREIGN_COUNTRIES);
    const name = foreignName(rng, country);
    // pms.md §5.1: half the resident numbers in PMS history are old-format; 40% of those were converted since.
    const old = citizenship === 'resident' && rng.chance(0.5);
    const converted = old && rng.chance(0.4);
    const oldId = old ? residentNumber(rng, gender, 'old', ctx.taken.ids) : null;
    const taiwanId = citizenship === 'resident' ? (old && !converted ? oldId : residentNumber(rng, gender, 'new', ctx.taken.ids)) : null;
    const mobile = citizenship === 'resident' ? (rng.chance(0.95) ? `+886${taiwanMobile(rng, ctx.taken.phones)}` : null) : rng.chance(0.5) ? foreignMobile(rng, country, ctx.taken.phones) : null;
    person = {
      personId,
      householdId: options.householdId ?? null,
      citizenship,
      country,
      gender,
      han: null,
      latin: name,
      birthDate,
      taiwanId,
      oldResidentId: converted ? oldId : null,
      passport: { number: passportNumber(rng, country, ctx.taken.passports), country },
      mobile,
      oldMobile: null,
      mobileChangedAt: null,
      email: null,
      stayer: options.stayer,
    };
  }
  // pms.md §5.1: 10% changed mobile after some of their stays; older profiles keep the old number.
  if (person.mobile && person.mobile.startsWith('+886') && rng.chance(0.1)) {
    person.oldMobile = `+886${taiwanMobile(rng, ctx.taken.phones)}`;
    person.mobileChangedAt = ctx.now - rng.range(30, 3 * 365) * DAY;
  }
  if (rng.chance(0.6)) person.email = `${person.latin.first.replace(/[\s-]/g, '').toLowerCase()}.${person.latin.last.toLowerCase()}${rng.digits(3)}@${rng.pick(['gmail.com', 'yahoo.com.tw', 'hotmail.com', 'outlook.com'])}`;
  return person;
}

function national(e164: string): string {
  return e164.replace(/^\+886/, '');
}

/** The mobile a profile shows for the person at a time (the old one before a change). */
function mobileAt(person: Person, at: number): string | null {
  if (person.oldMobile && person.mobileChangedAt !== null && at < person.mobileChangedAt) return person.oldMobile;
  return person.mobile;
}

type PhoneChoice = { text: string; tag: string; own: string | null };

/** The phone a profile carries (pms.md §5.1): own 85%, household 7%, hub 3%, garbage 2%, landline 3%; absent 12%. */
function profilePhone(ctx: Ctx, person: Person, household: Household | null, hubs: Hub[], at: number): PhoneChoice | null {
  const { rng } = ctx;
  if (!rng.chance(0.88)) return null;
  const own = mobileAt(person, at);
  const source = rng.weighted([
    ['own', 85],
    ['household', household?.phone && household.phone !== own ? 7 : 0],
    ['hub', 3],
    ['garbage', 2],
    ['landline', 3],
  ] as const);
  const second = () => (rng.chance(0.5) ? landline(rng) : `09${rng.digits(8)}`);
  if (source === 'own' && own) {
    const noisy = own.startsWith('+886') ? noisyMobile(rng, national(own), second) : noisyForeignMobile(rng, own);
    const recoverable = noisy.tag !== 'mobile_typo';
    return { text: noisy.text, tag: noisy.tag, own: recoverable ? own : null };
  }
  if (source === 'household' && household?.phone) {
    const noisy = noisyMobile(rng, national(household.phone), second);
    return { text: noisy.text, tag: 'phone_household', own: null };
  }
  if (source === 'hub') {
    const hub = rng.pick(hubs);
    return { text: hub.text, tag: 'phone_hub', own: null };
  }
  if (source === 'garbage') {
    const g = garbagePhone(rng);
    return { text: g.text, tag: g.tag, own: null };
  }
  return { text: landline(rng), tag: 'phone_landline', own: null };
}

function formatId(ctx: Ctx, id: string): Noisy {
  return noisyId(ctx.rng, id, isValidTaiwanId);
}

const RECOVERABLE_ID = new Set(['id_clean', 'id_spaces', 'id_lowercase', 'id_full_width', 'id_separators']);

function emailOf(ctx: Ctx, person: Person): string | null {
  const { rng } = ctx;
  if (!rng.chance(0.45)) return null;
  if (rng.chance(0.2)) {
    tally(ctx, 'email_ota_relay');
    return `${rng.digits(10)}@${rng.pick(['guest.booking.com', 'agoda-messaging.com', 'm.expediapartnercentral.com'])}`;
  }
  const email = person.email ?? `${person.latin.last.toLowerCase()}${rng.digits(4)}@gmail.com`;
  if (rng.chance(0.05)) {
    tally(ctx, 'email_case_spaces');
    return ` ${email.toUpperCase()} `;
  }
  return email;
}

function genderOf(ctx: Ctx, person: Person): string | null {
  const kind = ctx.rng.weighted([['correct', 84], ['blank', 8], ['default_m', 6], ['error', 2]] as const);
  if (kind === 'correct') return person.gender;
  tally(ctx, `gender_${kind}`);
  if (kind === 'blank') return null;
  if (kind === 'default_m') return 'M';
  return person.gender === 'M' ? 'F' : 'M';
}

/** One PMS profile of a person, as 德安 holds it. */
export function makeProfile(ctx: Ctx, person: Person, household: Household | null, hubs: Hub[], at: number, booker: Person | null): { row: GuestRow; truth: ProfileTruth } {
  const { rng } = ctx;
  const tags: string[] = [];
  const origin = rng.chance(0.75) ? 'checkin' : 'reservation';
  tags.push(`origin_${origin}`);

  // Names. Check-in registers ALT_NAM from the ID document; reservations carry the booking name.
  const latinFull = { last: person.latin.last, first: person.latin.first.replace(/-/g, ' ') };
  let alt: string | null = null;
  let last: string | null = latinFull.last;
  let first: string | null = latinFull.first;
  if (person.han) {
    const han = `${person.han.surname}${person.han.given}`;
    if (origin === 'checkin') {
      alt = rng.chance(0.95) ? han : null;
      if (alt && rng.chance(0.03)) {
        alt = `${person.han.surname}\u3000${person.han.given}`;
        tags.push('name_full_width_space');
      }
    } else if (rng.chance(0.6)) {
      alt = han;
    } else {
      tags.push('name_romanised_only');
      if (rng.chance(0.1)) {
        [last, first] = [first, last];
        tags.push('name_order_swapped');
      }
    }
  } else {
    // Foreign guests: the passport name, typed into ALT_NAM at check-in.
    alt = origin === 'checkin' ? `${latinFull.last} ${latinFull.first}` : null;
  }
  if (rng.chance(0.01)) {
    alt = null;
    last = rng.pick(['Booking', 'Agoda', 'Guest', '旅客']);
    first = null;
    tags.push('name_placeholder');
  }
  let bookerPhone: string | null = null;
  if (booker && origin === 'checkin' && alt) {
    // The booker's name in LAST/FIRST while ALT_NAM holds the guest (pms.md §5.1: 3% of check-in profiles).
    last = booker.han?.surname ?? booker.latin.last;
    first = booker.han?.given ?? booker.latin.first;
    bookerPhone = booker.mobile;
    tags.push('booker_name');
  }

  // ID_NOS: 92% of check-ins, 5% of reservations.
  let idText: string | null = null;
  let idKey: string | null = null;
  let passportKey: string | null = null;
  const hasId = rng.chance(origin === 'checkin' ? 0.92 : 0.05);
  if (hasId) {
    const historical = person.oldResidentId && at < ctx.now - rng.range(0, 2) * YEAR ? person.oldResidentId : person.taiwanId;
    const useNumber = person.citizenship === 'foreign' || !historical ? null : historical;
    if (useNumber) {
      const noisy = formatId(ctx, useNumber);
      idText = noisy.text;
      tags.push(noisy.tag);
      if (RECOVERABLE_ID.has(noisy.tag)) idKey = useNumber;
      if (useNumber === person.oldResidentId) tags.push('id_resident_old');
    } else if (person.passport) {
      idText = rng.chance(0.1) ? person.passport.number.toLowerCase() : person.passport.number;
      tags.push('id_passport');
      passportKey = person.passport.number;
    }
  }

  // Phones into contact slots (or the Bacchus CUST_IDX columns).
  const phones: PhoneChoice[] = [];
  const main = bookerPhone ? { text: `0${national(bookerPhone)}`, tag: 'phone_booker', own: null } : profilePhone(ctx, person, household, hubs, at);
  if (main) phones.push(main);
  if (rng.chance(0.25)) phones.push({ text: landline(rng), tag: 'phone_landline', own: null });
  for (const p of phones) tags.push(p.tag);

  const slots: Array<[string, string]> = [];
  for (const [i, p] of phones.entries()) {
    const looksMobile = p.tag.startsWith('mobile') || p.tag.startsWith('foreign_mobile') || p.tag === 'phone_household' || p.tag === 'phone_booker' || (p.tag === 'phone_hub' && /^09/.test(p.text));
    let code = looksMobile ? '01' : '02';
    if (i === 0 && looksMobile && rng.chance(0.1)) {
      code = rng.pick(['02', '03']);
      tags.push('mobile_in_home_or_office_slot');
    } else if (i === 0 && !looksMobile && rng.chance(0.05 / 0.15)) {
      code = '01';
      tags.push('landline_in_mobile_slot');
    }
    slots.push([code, p.text]);
  }
  const email = emailOf(ctx, person);
  if (email && rng.chance(0.05)) slots.push(['05', email]);

  const ins = at;
  const upd = ins + rng.int(Math.max(1, Math.min(400 * DAY, ctx.now - 60_000 - ins)));
  const seq = ++ctx.profileSeq;
  const gcust = `HFD${String(seq).padStart(15, '0')}`;
  const dm = ctx.rng.weighted([['Y', 85], ['N', 5], ['', 10]] as const);
  const row: GuestRow = {
    GCUST_COD: gcust,
    SHOW_COD: String(seq),
    HOTEL_COD: null,
    ALT_NAM: alt,
    LAST_NAM: last,
    FIRST_NAM: first,
    SEX_TYP: genderOf(ctx, person),
    BIRTH_DAT: rng.chance(origin === 'checkin' ? 0.9 : 0.2) ? person.birthDate : null,
    CONTRY_COD: rng.chance(0.95) ? (person.country === 'TWN' && rng.chance(0.2) ? 'TW' : person.country) : null,
    ID_NOS: idText,
    CONTACT1_COD: null,
    CONTACT1_RMK: null,
    CONTACT2_COD: null,
    CONTACT2_RMK: null,
    CONTACT3_COD: null,
    CONTACT3_RMK: null,
    CONTACT4_COD: null,
    CONTACT4_RMK: null,
    E_MAIL: email,
    DM_FLAG: dm === '' ? null : dm,
    MCUST_COD: null,
    CO_DEL_STA: 'N',
    INS_DAT: formatLocal(ins),
    UPD_DAT: formatLocal(upd),
  };
  if (ctx.dialect === 'BACCHUS') {
    // Bacchus installations keep contacts in CUST_IDX columns rather than typed slots.
    row.MOBILE_NOS = slots.find(([c]) => c === '01')?.[1] ?? null;
    row.HOME_TEL = slots.find(([c]) => c === '02')?.[1] ?? null;
    row.OFFICE_TEL = slots.find(([c]) => c === '03')?.[1] ?? null;
  } else {
    slots.slice(0, 4).forEach(([code, text], i) => {
      const n = (i + 1) as 1 | 2 | 3 | 4;
      row[`CONTACT${n}_COD`] = code;
      row[`CONTACT${n}_RMK`] = text;
    });
  }
  for (const t of tags) tally(ctx, t);
  const ownMobiles = phones.map((p) => p.own).filter((m): m is string => m !== null);
  // A passport number without a nationality says nothing about who issued it: not a recoverable key.
  const passport = passportKey && row.CONTRY_COD ? passportKey : null;
  return { row, truth: { personId: person.personId, tags, keys: { taiwanId: idKey, passport, mobiles: ownMobiles } } };
}

function stayStatus(ctx: Ctx): 'reserved' | 'in_house' | 'checked_out' | 'cancelled' | 'no_show' {
  return ctx.rng.weighted([['checked_out', 85], ['cancelled', 8], ['no_show', 2], ['reserved', 4], ['in_house', 1]] as const);
}

/**
 * The room's party as ORDER_DT holds it (ADULT_QNT, CHILD_QNT; Oracle NUMBERs, sent as JSON numbers): mostly two
 * adults, children in 30% of rooms. 3% of lines were never filled in (null), 1% kept the booking form's zeros.
 */
function party(ctx: Ctx): { ADULT_QNT: number | null; CHILD_QNT: number | null } {
  const rng = ctx.partyRng;
  const kind = rng.weighted([['counted', 96], ['unrecorded', 3], ['zeros', 1]] as const);
  if (kind !== 'counted') {
    tally(ctx, `stay_party_${kind}`);
    return kind === 'zeros' ? { ADULT_QNT: 0, CHILD_QNT: 0 } : { ADULT_QNT: null, CHILD_QNT: null };
  }
  const children = rng.weighted([[0, 70], [1, 15], [2, 12], [3, 3]] as const);
  if (children > 0) tally(ctx, 'stay_with_children');
  return { ADULT_QNT: rng.weighted([[1, 22], [2, 62], [3, 8], [4, 8]] as const), CHILD_QNT: children };
}

export function makeStay(ctx: Ctx, gcust: string, status = stayStatus(ctx), updAt?: number): StayRow {
  const { rng } = ctx;
  const nights = rng.weighted([[1, 50], [2, 30], [3, 12], [4, 5], [7, 3]] as const);
  let ci: number;
  if (status === 'reserved') ci = ctx.now + rng.range(1, 120) * DAY;
  else if (status === 'in_house') ci = ctx.now - rng.range(0, nights - 1) * DAY;
  else ci = ctx.now - rng.range(nights + 1, 5 * 365) * DAY;
  const co = ci + nights * DAY;
  const codes = DIALECT_CODES[ctx.dialect][status];
  const ikeySeq = ++ctx.stayIkeySeq;
  const ikey = `R${formatLocalDate(ci).slice(0, 4)}${String(ikeySeq).padStart(8, '0')}`;
  const ota = rng.chance(0.45) ? `${rng.pick(['RMAG', 'RMBK', 'RMEX', 'RMCPT', 'RMPGP'])}${rng.digits(9)}` : null;
  const upd = updAt ?? Math.min(ctx.now - 60_000, status === 'checked_out' ? co + rng.range(0, 2) * DAY : ci - rng.range(1, 30) * DAY);
  const room = rng.pick(Object.keys(ROOM_TYPES));
  return {
    STAY_KEY: `${ikey}|1|${String(ikeySeq % 1000).padStart(3, '0')}`,
    IKEY: ikey,
    IKEY_SEQ_NOS: '1',
    CI_SER: String(ikeySeq % 1000).padStart(3, '0'),
    GCUST_COD: gcust,
    HOTEL_COD: rng.pick(ctx.hotels),
    RVRESERVE_NOS: ota,
    CI_DAT: formatLocalDate(ci),
    CO_DAT: formatLocalDate(co),
    ACI_DAT: status === 'in_house' || status === 'checked_out' ? `${formatLocalDate(ci)} 15:${rng.digits(1)}${rng.digits(1)}:00` : null,
    ACO_DAT: status === 'checked_out' ? `${formatLocalDate(co)} 1${rng.range(0, 1)}:${rng.digits(1)}${rng.digits(1)}:00` : null,
    ROOM_COD: room,
    ROOM_NOS: status === 'in_house' || status === 'checked_out' ? `${rng.range(2, 12)}${String(rng.range(1, 30)).padStart(2, '0')}` : null,
    ORDER_STA: rng.pick(codes.order),
    GUEST_STA: codes.guest,
    DEL_FLAG: 'N',
    ...party(ctx),
    UPD_DAT: formatLocal(upd),
  };
}

function lineUserId(rng: Rng): string {
  return `U${Array.from({ length: 32 }, () => '0123456789abcdef'[rng.int(16)]).join('')}`;
}

/** The name a member typed: legal mostly, sometimes spaced, full-width or Simplified, a nickname, romanised or blank. */
function typedName(ctx: Ctx, person: Person): { lastName: string | null; firstName: string | null } {
  const { rng } = ctx;
  const kind = rng.weighted([['legal', 88], ['variant', 5], ['nickname', 3], ['blank', 2], ['romanised', 2]] as const);
  if (kind !== 'legal') tally(ctx, `member_name_${kind}`);
  if (kind === 'blank') return { lastName: null, firstName: null };
  if (kind === 'nickname') return { lastName: rng.pick(NICKNAMES), firstName: null };
  if (!person.han || kind === 'romanised') {
    const l = person.latin;
    const first = l.first.replace(/-/g, ' ').toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase());
    const last = l.last.charAt(0) + l.last.slice(1).toLowerCase();
    return rng.chance(0.3) ? { lastName: first, firstName: last } : { lastName: last, firstName: first };
  }
  const { surname, given } = person.han;
  if (kind === 'variant') {
    return rng.weighted([
      [{ lastName: `${surname} `, firstName: ` ${given}` }, 1],
      [{ lastName: toFullWidth(' ') + surname, firstName: given }, 1],
      [{ lastName: `${surname}${given}`, firstName: null }, 1],
      [{ lastName: toSimplified(surname), firstName: toSimplified(given) }, 1],
    ]);
  }
  return { lastName: surname, firstName: given };
}

const SIMPLIFIED: Record<string, string> = { 陳: '陈', 黃: '黄', 張: '张', 劉: '刘', 許: '许', 鄭: '郑', 謝: '谢', 葉: '叶', 蘇: '苏', 賴: '赖', 羅: '罗', 華: '华', 偉: '伟', 麗: '丽', 穎: '颖', 國: '国', 淑: '淑', 惠: '惠' };
function toSimplified(text: string): string {
  return [...text].map((c) => SIMPLIFIED[c] ?? c).join('');
}

function typedMobile(ctx: Ctx, e164: string): string {
  if (!e164.startsWith('+886')) return e164;
  const n = national(e164);
  return ctx.rng.weighted([
    [`0${n}`, 70],
    [`0${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`, 20],
    [`+886${n}`, 5],
    [toFullWidth(`0${n}`), 5],
  ]);
}

function typedId(ctx: Ctx, id: string): string {
  // Validated in LIFF, but 5% arrive raw: lower case or full-width (pms.md §5.1).
  if (!ctx.rng.chance(0.05)) return id;
  return ctx.rng.chance(0.5) ? id.toLowerCase() : toFullWidth(id);
}

function createCtx(options: GenerateOptions): Ctx {
  const seed = options.seed ?? 'innkeeper-pms-simulator';
  return {
    rng: createRng(seed),
    partyRng: createRng(seed).fork('party'),
    now: parseLocal(options.now ?? '2026-12-01 09:00:00'),
    taken: { ids: new Set(), phones: new Set(), passports: new Set() },
    manifest: {},
    dialect: options.dialect ?? 'KTW',
    hotels: options.hotels ?? ['01'],
    profileSeq: 0,
    stayIkeySeq: 0,
    residentShare: options.residentShare ?? 0.02,
  };
}

export type Generator = Ctx & { households: Household[]; hubs: Hub[]; personsById: Map<string, Person>; profilesByPerson: Map<string, string[]> };

export function generateDataSet(options: GenerateOptions = {}): DataSet & { generator: Generator } {
  const ctx = createCtx(options);
  const { rng } = ctx;
  const targetProfiles = options.profiles ?? 10_000;
  const targetMembers = options.members ?? Math.round(targetProfiles / 5);

  // Hubs: agency, OTA and company numbers, each shared by 20+ profiles (3% of profiles with a phone).
  const hubCount = Math.max(2, Math.round((targetProfiles * 0.88 * 0.03) / 25));
  const hubs: Hub[] = Array.from({ length: hubCount }, (_, i) => {
    const mobile = i % 2 === 0;
    const e164 = mobile ? `+886${taiwanMobile(rng, ctx.taken.phones)}` : null;
    return { text: e164 ? `0${national(e164)}` : landline(rng), e164, name: rng.pick(['雄獅旅遊', '易遊網', '可樂旅遊', '東南旅行社', '台灣積體電路 福委會', '長榮旅行社']) };
  });
  ctx.manifest['hubs'] = hubCount;

  const persons: Person[] = [];
  const households: Household[] = [];
  const profiles: GuestRow[] = [];
  const stays: StayRow[] = [];
  const profileTruth = new Map<string, ProfileTruth>();
  const profilesByPerson = new Map<string, string[]>();
  const householdOf = new Map<string, Household>();
  let personSeq = 0;
  const nextPersonId = () => `P${String(++personSeq).padStart(7, '0')}`;

  // A person holds 1.2 profiles on average, so `stays` per person is stays × 1.2 ÷ profiles.
  const stayMean = options.stays ? Math.max(1, (options.stays * 1.2) / targetProfiles) : null;
  const stayContinue = stayMean ? 1 - 1 / stayMean : 0.444;
  const stayCap = stayMean ? 40 : 12;
  const addProfiles = (person: Person) => {
    const household = householdOf.get(person.personId) ?? null;
    const count = rng.weighted([[1, 85], [2, 11], [3, 3], [4, 1]] as const);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const at = ctx.now - rng.range(1, 5 * 365) * DAY - rng.int(DAY);
      const others = household?.persons.filter((p) => p !== person && p.mobile) ?? [];
      const booker = others.length > 0 && rng.chance(0.03 / 0.75 / 0.35) ? rng.pick(others) : null;
      const { row, truth } = makeProfile(ctx, person, household, hubs, at, booker);
      profiles.push(row);
      profileTruth.set(row.GCUST_COD, truth);
      ids.push(row.GCUST_COD);
    }
    profilesByPerson.set(person.personId, ids);
    // Stays: 1 + geometric (mean ≈ 1.8 by default), at most 12 (at most 40 when more stays are asked for).
    let n = 1;
    while (n < stayCap && rng.chance(stayContinue)) n++;
    for (let i = 0; i < n; i++) stays.push(makeStay(ctx, rng.pick(ids)));
  };

  while (profiles.length < targetProfiles) {
    // About 35% of persons live in 2–4-person households sharing a booking phone.
    if (rng.chance(0.152)) {
      const size = rng.range(2, 4);
      const household: Household = { id: `H${households.length + 1}`, phone: null, persons: [] };
      const surname = pickSurname(rng);
      for (let i = 0; i < size; i++) {
        // A spouse keeps their own family name.
        const person = newPerson(ctx, nextPersonId(), { citizenship: 'tw', surname: i === 1 ? undefined : surname, stayer: true, householdId: household.id });
        household.persons.push(person);
        householdOf.set(person.personId, household);
        persons.push(person);
      }
      household.phone = household.persons[0]!.mobile;
      households.push(household);
      for (const p of household.persons) addProfiles(p);
    } else {
      const person = newPerson(ctx, nextPersonId(), { stayer: true });
      persons.push(person);
      addProfiles(person);
    }
  }

  // Deletes (0.5%) and merges (1%: a duplicate points at another profile of the same person).
  for (const row of profiles) if (rng.chance(0.005)) {
    row.CO_DEL_STA = 'Y';
    profileTruth.get(row.GCUST_COD)!.tags.push('deleted');
    tally(ctx, 'deleted');
  }
  const multi = [...profilesByPerson.values()].filter((ids) => ids.length > 1);
  const byCode = new Map(profiles.map((p) => [p.GCUST_COD, p]));
  for (let i = 0; i < Math.round(profiles.length * 0.01) && multi.length > 0; i++) {
    const ids = multi.splice(rng.int(multi.length), 1)[0]!;
    const row = byCode.get(ids[1]!)!;
    row.MCUST_COD = ids[0]!;
    profileTruth.get(row.GCUST_COD)!.tags.push('merged');
    tally(ctx, 'merged');
  }

  const personsById = new Map(persons.map((p) => [p.personId, p]));
  const generator: Generator = { ...ctx, households, hubs, personsById, profilesByPerson };
  const { members, truth } = generateMembers(generator, persons, targetMembers, profileTruth, byCode, options.verifiedMobileRate ?? 0.9);
  ctx.manifest['profiles'] = profiles.length;
  ctx.manifest['persons_in_pms'] = persons.length;
  ctx.manifest['stays'] = stays.length;
  ctx.manifest['members'] = members.length;
  return {
    seed: options.seed ?? 'innkeeper-pms-simulator',
    dialect: ctx.dialect,
    hotels: ctx.hotels,
    now: ctx.now,
    persons: [...generator.personsById.values()],
    profiles,
    stays,
    members,
    truth: { profiles: profileTruth, members: truth },
    manifest: ctx.manifest,
    generator,
  };
}

/**
 * LINE members (pms.md §5.1 item 5): 65% are PMS persons; 35% never stayed, and 30% of those belong to a PMS
 * household, half of whom give the household's booking phone as their own. Plus a few agency staff whose
 * "mobile" is a hub number and whose name is a hub guest's (namesakes): every trap must stay unlinked.
 */
function generateMembers(
  gen: Generator,
  stayers: Person[],
  target: number,
  profileTruth: Map<string, ProfileTruth>,
  byCode: Map<string, GuestRow>,
  verifiedRate: number,
): { members: CrmMember[]; truth: MemberTruth[] } {
  const ctx = gen;
  const rng = ctx.rng.fork('members');
  const local: Ctx = { ...ctx, rng };
  const members: CrmMember[] = [];
  const truth: MemberTruth[] = [];
  const pool = [...stayers];
  const added = new Set<string>();

  const add = (person: Person | null, typed: Person, traps: TrapTag[], override: Partial<CrmMember> = {}) => {
    const memberId = `M${String(members.length + 1).padStart(6, '0')}`;
    const verified = rng.chance(verifiedRate);
    let mobile = typed.mobile && rng.chance(0.98) ? typedMobile(local, typed.mobile) : null;
    if (mobile && !verified && rng.chance(0.01) && typed.mobile!.startsWith('+886')) mobile = `0${typoMobile(rng, national(typed.mobile!))}`;
    const idGiven = typed.citizenship === 'foreign' ? rng.chance(0.15) : rng.chance(0.5);
    const idNumber = idGiven ? (typed.citizenship === 'foreign' ? typed.passport!.number : typed.taiwanId ? typedId(local, typed.taiwanId) : null) : null;
    const name = typedName(local, typed);
    const member: CrmMember = {
      memberId,
      lineUserId: lineUserId(rng),
      displayName: rng.chance(0.6) ? `${name.lastName ?? ''}${name.firstName ?? ''}` || 'LINE 使用者' : rng.pick(['🌸Amy', 'Kevin 凱文', '小熊', 'Jenny', '旅人']),
      lastName: name.lastName,
      firstName: name.firstName,
      mobile,
      mobileVerified: mobile !== null && verified,
      idNumber,
      idCountry: idNumber && typed.citizenship === 'foreign' ? typed.passport!.country : idNumber ? 'TWN' : null,
      birthDate: rng.chance(0.7) ? typed.birthDate : null,
      ...override,
    };
    members.push(member);
    if (person) added.add(person.personId);
    truth.push(memberTruth(gen, member, person, typed, traps, profileTruth, byCode));
  };

  const stayerCount = Math.round(target * 0.65);
  for (let i = 0; i < stayerCount && pool.length > 0; i++) {
    const person = pool.splice(rng.int(pool.length), 1)[0]!;
    const traps: TrapTag[] = [];
    if (person.oldResidentId) traps.push('uin_converted');
    if (person.oldMobile) traps.push('stale_phone');
    add(person, person, traps);
  }

  // Agency staff using a hub number, named like one of the hub's guests.
  const hubTraps = gen.hubs.filter((h) => h.e164);
  const hubGuests = new Map<string, Person[]>();
  for (const [code, t] of profileTruth) {
    if (!t.tags.includes('phone_hub')) continue;
    const row = byCode.get(code)!;
    const hub = hubTraps.find((h) => row.CONTACT1_RMK === h.text || row.MOBILE_NOS === h.text || row.HOME_TEL === h.text || row.OFFICE_TEL === h.text);
    if (!hub) continue;
    const list = hubGuests.get(hub.e164!) ?? [];
    list.push(gen.personsById.get(t.personId)!);
    hubGuests.set(hub.e164!, list);
  }
  for (const [e164, guests] of hubGuests) {
    const namesake = guests.find((g) => g.han) ?? guests[0]!;
    const staff = newPerson(local, `P${String(gen.personsById.size + 1).padStart(7, '0')}`, { citizenship: 'tw', stayer: false });
    staff.han = namesake.han;
    staff.latin = namesake.latin;
    staff.mobile = e164;
    gen.personsById.set(staff.personId, staff);
    add(null, staff, ['hub_phone'], { mobile: `0${national(e164)}`, mobileVerified: true, lastName: namesake.han?.surname ?? namesake.latin.last, firstName: namesake.han?.given ?? namesake.latin.first });
  }

  // Bookers who booked for a family member: the member is the booker, whose phone is on the guest's profile.
  for (const [, t] of profileTruth) {
    if (!t.tags.includes('booker_name') || members.length >= target * 1.02) continue;
    const guest = gen.personsById.get(t.personId)!;
    const household = gen.households.find((h) => h.id === guest.householdId);
    const booker = household?.persons.find((p) => p !== guest && p.mobile && !added.has(p.personId));
    if (!booker || !rng.chance(0.5)) continue;
    add(booker, booker, ['booker_name']);
  }

  // Never stayed: 30% of them in a PMS household (half using its phone), the rest strangers.
  while (members.length < target) {
    const inHousehold = rng.chance(0.3) && gen.households.length > 0;
    const personId = `P${String(gen.personsById.size + 1).padStart(7, '0')}`;
    if (inHousehold) {
      const household = rng.pick(gen.households);
      const head = household.persons[0]!;
      const sameSurname = rng.chance(0.6) && head.han ? ([head.han.surname, head.latin.last] as const) : undefined;
      const person = newPerson(local, personId, { citizenship: 'tw', surname: sameSurname, stayer: false, householdId: household.id });
      const usesHouseholdPhone = household.phone !== null && rng.chance(0.5);
      if (usesHouseholdPhone) person.mobile = household.phone;
      gen.personsById.set(personId, person);
      add(null, person, usesHouseholdPhone ? ['household_phone'] : []);
    } else {
      const person = newPerson(local, personId, { stayer: false });
      gen.personsById.set(personId, person);
      add(null, person, []);
    }
  }
  for (const t of truth) for (const trap of t.traps) tally(ctx, `member_trap_${trap}`);
  return { members, truth };
}

/** Ground truth for one member: whose they are, and whether perfect normalisation could find them (pms.md §4.7). */
function memberTruth(
  gen: Generator,
  member: CrmMember,
  person: Person | null,
  typed: Person,
  traps: TrapTag[],
  profileTruth: Map<string, ProfileTruth>,
  byCode: Map<string, GuestRow>,
): MemberTruth {
  const idValid = member.idNumber !== null && (member.idCountry !== 'TWN' || isValidTaiwanId(member.idNumber.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).toUpperCase()));
  // A typo'd mobile is not the member's number: the SMS code would not have reached them, so it is never verified.
  const mobileKey = member.mobileVerified && member.mobile !== null && typed.mobile ? typed.mobile : null;
  const usableKey = idValid || mobileKey !== null;
  const shared = new Set<'id' | 'mobile'>();
  if (person) {
    for (const code of gen.profilesByPerson.get(person.personId) ?? []) {
      if (byCode.get(code)!.CO_DEL_STA === 'Y') continue;
      const keys = profileTruth.get(code)!.keys;
      if (idValid && typed.taiwanId && member.idCountry === 'TWN' && keys.taiwanId === typed.taiwanId) shared.add('id');
      if (idValid && member.idCountry !== 'TWN' && keys.passport === typed.passport?.number) shared.add('id');
      if (mobileKey && keys.mobiles.includes(mobileKey)) shared.add('mobile');
    }
  }
  return { memberId: member.memberId, personId: person?.personId ?? null, traps, usableKey, matchable: shared.size > 0, sharedKeys: [...shared] };
}
