import { isPlaceholderTaiwanId, type MobileNumber, normaliseCountryCode, normaliseMobile, parseDate, parseIdentityDocument, toHalfWidth } from '../members/index.ts';
import type { DeanGuestRow } from './pms.dean.ts';

/**
 * The PMS side of matching, as pure functions: a 德安 guest row (docs/pms-dean-contract.md §4.3) becomes the keys the
 * matcher compares, plus the reasons anything was dropped. Rules follow ../shared/reference/pms.md §4: half-width
 * before any pattern, IDs upper-cased and checksum-validated (an invalid, masked or placeholder ID is never a key),
 * every phone-like field parsed with libphonenumber-js (through the members module, so both sides agree), several
 * numbers in one field split, placeholders and masked values dropped, only MOBILE numbers kept as keys.
 */

/**
 * UPD_DAT as a time a PMS can have written: `YYYY-MM-DD HH:mm:ss`, a real calendar date (no 2026-02-30, no month 13)
 * and clock time, from 1900 to 2099. The shape alone is not enough: UPD_DAT is stored as text and compared as text
 * (the later version wins), so a `9999-12-31 23:59:59` or `2026-13-45 99:99:99` from a broken or hostile file pinned
 * the profile for good (no real change was ever later) and read as an invalid instant where it is taken as a time.
 */
export function isPmsTime(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export type IdFormat = 'national_id' | 'resident_old' | 'resident_new' | 'passport';

/** A document number as a match key. `value` is the normalised number, or its blind index once a caller hashed it. */
export type IdKey = { format: IdFormat; value: string; issuingCountry?: string };

export type IdRejection = 'empty' | 'placeholder' | 'masked' | 'checksum' | 'format' | 'unknown';
export type IdResult = { ok: true; key: IdKey } | { ok: false; reason: IdRejection };

/** A mobile as a match key. `ownerDoubt`: the field said the number is someone else's, e.g. `0912…(媽媽)`. */
export type PhoneKey = { e164: string; sourceField: string; repaired: boolean; ownerDoubt: boolean; note?: string };
export type PhoneRejection = 'placeholder' | 'masked' | 'invalid';
export type PhoneFieldResult = {
  mobiles: PhoneKey[];
  /** Valid numbers that are not mobiles (landlines, toll-free): display data, never keys. */
  others: string[];
  rejected: Array<{ part: string; reason: PhoneRejection }>;
};

const MASK_CHARS = /[*●○•◯＊]/u;
const MASK_X_RUN = /X{3,}/;
const PLACEHOLDER_WORDS = new Set(['NA', 'N/A', 'NONE', 'NULL', 'NIL', 'TBA', 'TBD', 'UNKNOWN', '無', '无', '不詳', '不明', '待補', '-', '--', '.', '0', 'X']);
/** Country as 德安 front desks type it (`CONTRY_COD`): ISO codes plus the local names for Taiwan. */
const TAIWAN_NAMES = new Set(['ROC', 'R.O.C.', 'R.O.C', '台灣', '臺灣', '中華民國', 'TAIWAN']);

/** ISO alpha-3 of a 德安 `CONTRY_COD`, or undefined when it is blank or not recognisable. */
export function normaliseCountry(input: string | null | undefined): string | undefined {
  const text = toHalfWidth(input ?? '').trim().toUpperCase();
  if (text === '') return undefined;
  if (TAIWAN_NAMES.has(text)) return 'TWN';
  return normaliseCountryCode(text);
}

/** Digits typed to fill a required field: one digit repeated, or the counting examples everyone uses. */
const COUNTING = new Set(['123456789', '012345678', '987654321', '12345678', '23456789']);
function isRepeatedOrSequence(compact: string): boolean {
  return /^(.)\1+$/.test(compact) || COUNTING.has(compact);
}

/**
 * `ID_NOS` holds a national ID, a resident certificate (old `AC01234567` or new `A800000014` form) or a passport.
 * Classified as pms.md §4.3 says: a Taiwan-ID shape with a valid checksum is a Taiwan ID; a Taiwan-ID shape with a
 * bad checksum is rejected (never "repaired"); otherwise, only with a known non-Taiwan country (or Taiwan and the
 * 9-digit passport shape) is it a passport; anything else is unknown and never a key.
 */
export function normaliseIdNos(raw: string | null | undefined, country?: string | null): IdResult {
  const text = toHalfWidth(raw ?? '').trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const upper = text.toUpperCase();
  if (MASK_CHARS.test(text) || MASK_X_RUN.test(upper.replace(/[\s-]/g, ''))) return { ok: false, reason: 'masked' };
  const compact = upper.replace(/[\s-]/g, '');
  if (PLACEHOLDER_WORDS.has(upper) || PLACEHOLDER_WORDS.has(compact) || isRepeatedOrSequence(compact.slice(1)) || isPlaceholderTaiwanId(compact)) {
    return { ok: false, reason: 'placeholder' };
  }
  const issuingCountry = normaliseCountry(country);
  const taiwanShaped = /^[A-Z][1289A-D][0-9]{8}$/.test(compact);
  if (taiwanShaped || issuingCountry === undefined || issuingCountry === 'TWN') {
    const parsed = parseIdentityDocument(compact, undefined, issuingCountry ? { issuingCountry } : {});
    if (parsed.ok && parsed.kind !== 'passport') {
      const format: IdFormat = parsed.kind === 'national_id' ? 'national_id' : /^[A-Z][89]/.test(parsed.value) ? 'resident_new' : 'resident_old';
      return { ok: true, key: { format, value: parsed.value } };
    }
    if (taiwanShaped) return { ok: false, reason: 'checksum' };
    // A known Taiwan passport is 9 digits; without any country nothing says what the value is.
    if (issuingCountry === undefined) return { ok: false, reason: 'unknown' };
    if (parsed.ok) return { ok: true, key: { format: 'passport', value: parsed.value, issuingCountry: 'TWN' } };
    return { ok: false, reason: 'format' };
  }
  const passport = parseIdentityDocument(compact, 'passport', { issuingCountry });
  if (!passport.ok) return { ok: false, reason: 'format' };
  return { ok: true, key: { format: 'passport', value: passport.value, issuingCountry } };
}

/** Separators between several numbers in one field (pms.md §4.4: never split on spaces). */
const SPLIT = /[/,;、，；\n|]|或|及|和/u;
/** Words that say the number belongs to someone else. */
const OTHER_OWNER = /媽|妈|爸|父|母|太太|老婆|先生|老公|兒|儿|女兒|女儿|兒子|儿子|姊|姐|妹|哥|弟|公司|秘書|秘书|助理|同事|朋友|家|旅行社|代訂|代订/u;

/**
 * One phone-like field (a `CONTACTn_RMK`, `MOBILE_NOS`, …) to its numbers. Annotations outside parentheses
 * (`0912345678 媽媽`) are lifted off like `(媽媽)`; a note naming another person or a company marks `ownerDoubt`.
 */
export function normalisePhoneField(raw: string | null | undefined, sourceField: string): PhoneFieldResult {
  const result: PhoneFieldResult = { mobiles: [], others: [], rejected: [] };
  // Dash look-alikes (‐ – — − ー) are separators, not words.
  const text = toHalfWidth(raw ?? '').replace(/[\u2010-\u2015\u2212\uFE58\uFE63\u30FC\uFF70]/gu, '-').trim();
  if (text === '') return result;
  for (const piece of text.split(SPLIT)) {
    const part = piece.trim();
    if (part === '') continue;
    if (MASK_CHARS.test(part) || /[0-9][xX]{2,}|[xX]{2,}[0-9]/.test(part)) {
      result.rejected.push({ part, reason: 'masked' });
      continue;
    }
    // Words outside parentheses become a parenthesised note, which normaliseMobile lifts off and reports.
    const words = [...part.matchAll(/[^\x20-\x7E]+/gu)].map((m) => m[0]).filter((w) => !/^[轉分機]+$/u.test(w));
    let candidate = part;
    for (const word of words) candidate = candidate.replace(word, ` (${word}) `);
    candidate = candidate.replace(/\(\s*\((.*?)\)\s*\)/gu, '($1)');
    const digits = candidate.replace(/\(.*?\)/gu, '').replace(/\D/g, '');
    const national = digits.replace(/^(?:00)?886/, '').replace(/^0/, '');
    if (/^(.)\1{5,}$/.test(digits) || (national.length >= 6 && isRepeatedOrSequence(national.slice(1)))) {
      result.rejected.push({ part, reason: 'placeholder' });
      continue;
    }
    const parsed = normaliseMobile(candidate);
    if (!parsed.ok) {
      result.rejected.push({ part, reason: 'invalid' });
      continue;
    }
    if (!isMobileKey(parsed)) {
      result.others.push(parsed.e164);
      continue;
    }
    const note = parsed.note ?? (words.length > 0 ? words.join(' ') : undefined);
    result.mobiles.push({
      e164: parsed.e164,
      sourceField,
      repaired: parsed.repaired,
      ownerDoubt: note !== undefined && OTHER_OWNER.test(note),
      ...(note === undefined ? {} : { note }),
    });
  }
  return result;
}

/**
 * Whether a parsed number may serve as a key: a MOBILE, or a number of a country whose plan does not tell mobiles
 * from landlines (FIXED_LINE_OR_MOBILE: the US and Canada), which guests give as their own. Hub detection still
 * sets aside any number shared by many people.
 */
export function isMobileKey(parsed: MobileNumber): boolean {
  return parsed.isMobile || parsed.type === 'FIXED_LINE_OR_MOBILE';
}

/** Names 德安 rows carry when nobody typed the guest's: OTA and front-desk fillers. */
const PLACEHOLDER_NAMES = /^(?:booking(?:\.com)?|agoda|expedia|ctrip|trip\.com|guest|guests|tba|tbd|n\/?a|none|unknown|test|x+|旅客|住客|客人|先生|小姐|無|无|不詳|待補|[-.?]+)$/iu;

/** A name field cleaned (half-width, single spaces, trimmed), or null when it is blank or a filler. */
export function cleanName(raw: string | null | undefined): string | null {
  const text = toHalfWidth(raw ?? '').replace(/\s+/gu, ' ').trim();
  if (text === '' || PLACEHOLDER_NAMES.test(text.replace(/\s/g, ''))) return null;
  return text;
}

export type ProfileIssue =
  | `id_${IdRejection}`
  | `phone_${PhoneRejection}`
  | 'phone_repaired'
  | 'phone_owner_doubt'
  | 'name_placeholder'
  | 'email_ota_relay'
  | 'gender_default_suspect'
  | 'field_too_long'
  | 'control_characters'
  | 'birth_date_invalid'
  | 'birth_date_after_update';

/** The longest value any 德安 column holds (VARCHAR2 limits are far below): anything longer is not data, and is dropped. */
export const MAX_FIELD_LENGTH = 500;
/** C0/C1 control characters and NUL (PostgreSQL refuses NUL in text); tabs and line breaks too: no PMS field is multi-line. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/gu;
/** Whether a value needs cleaning at all (a control character or a lone surrogate): most values do not. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F]|\p{Surrogate}/u;

/**
 * Every text column of a row made safe before any rule reads it: control characters and NUL removed, values longer
 * than MAX_FIELD_LENGTH dropped (null), non-strings dropped. Reports which of the two happened.
 */
export function boundDeanRow<T extends Record<string, unknown>>(row: T): { row: T; issues: Array<'field_too_long' | 'control_characters'> } {
  const issues = new Set<'field_too_long' | 'control_characters'>();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) {
      out[key] = null;
      continue;
    }
    if (typeof value !== 'string') {
      out[key] = typeof value === 'number' ? String(value) : null;
      continue;
    }
    // The common case, tested once: a walk bounds every column of 400,000 rows.
    if (!UNSAFE.test(value)) {
      out[key] = value.length > MAX_FIELD_LENGTH ? null : value;
      if (value.length > MAX_FIELD_LENGTH) issues.add('field_too_long');
      continue;
    }
    const clean = value
      .replace(CONTROL, (c) => {
        issues.add('control_characters');
        return c === '\t' || c === '\n' || c === '\r' ? ' ' : '';
      })
      // A lone UTF-16 surrogate (half a character, from a cut multi-byte value) is not text: PostgreSQL's jsonb refuses
      // it, and one such value would fail its page again on every run.
      .replace(/\p{Surrogate}/gu, () => {
        issues.add('control_characters');
        return '';
      });
    if (clean.length > MAX_FIELD_LENGTH) {
      issues.add('field_too_long');
      out[key] = null;
      continue;
    }
    out[key] = clean;
  }
  return { row: out as T, issues: [...issues] };
}

/**
 * BIRTH_DAT read with the importer's date rules (members' parseDate: 1985-03-02, 1985/3/2, 民國74年3月2日, …), never
 * later than the row's own UPD_DAT (a birth date after the profile was last saved is a typo, not a guest).
 */
export function parseBirthDate(raw: string | null | undefined, updDat: string): { value: string | null; issue?: 'birth_date_invalid' | 'birth_date_after_update' } {
  const text = (raw ?? '').trim();
  if (text === '') return { value: null };
  const updated = /^\d{4}-\d{2}-\d{2}/.exec(updDat.trim())?.[0];
  const parsed = parseDate(text, updated ? { notAfter: updated } : {});
  if (parsed.ok) return { value: parsed.value };
  return { value: null, issue: parsed.code === 'field.import_date_future' ? 'birth_date_after_update' : 'birth_date_invalid' };
}

/** Addresses OTAs hand out to relay mail to a guest: not the guest's, never kept or pushed (pms.md §3). */
const OTA_RELAY = /@(?:guest\.booking\.com|[a-z0-9-]*\.?agoda-messaging\.com|m\.expediapartnercentral\.com|[a-z0-9.-]*\.expediapartnercentral\.com|messages\.(?:trip|ctrip)\.com|guest\.airbnb\.com)$/i;

export function isOtaRelayEmail(email: string): boolean {
  return OTA_RELAY.test(email.trim());
}

/** A 德安 profile reduced to what matching and sync need. Only normalised values; raw text stays in the row. */
export type NormalisedProfile = {
  externalId: string;
  hotelCod: string | null;
  updatedAt: string;
  deleted: boolean;
  /** The survivor's GCUST_COD when this profile was merged into another. */
  mergedInto: string | null;
  /** ALT_NAM: the name registered from the ID document at check-in. */
  registeredName: string | null;
  /** LAST_NAM / FIRST_NAM: the name as booked (possibly the booker's, possibly romanised). */
  bookedName: { lastName: string; firstName: string } | null;
  birthDate: string | null;
  gender: 'M' | 'F' | null;
  id: IdKey | null;
  mobiles: PhoneKey[];
  landlines: string[];
  email: string | null;
  /** DM_FLAG='N' is an opt-out; 'Y' is 德安's default and never consent. */
  dmOptOut: boolean;
  issues: ProfileIssue[];
};

const CONTACT_SLOTS = [1, 2, 3, 4] as const;
const EXTRA_PHONE_FIELDS = ['MOBILE_NOS', 'HOME_TEL', 'OFFICE_TEL'] as const;

function trimmed(value: string | null | undefined): string | null {
  const text = (value ?? '').trim();
  return text === '' ? null : text;
}

export function normaliseDeanProfile(input: DeanGuestRow): NormalisedProfile {
  const bounded = boundDeanRow(input);
  return normaliseBoundedDeanProfile(bounded.row, bounded.issues);
}

/** normaliseDeanProfile of a row boundDeanRow already made safe (the sync bounds each row once), with what it found. */
export function normaliseBoundedDeanProfile(row: DeanGuestRow, boundIssues: ReadonlyArray<'field_too_long' | 'control_characters'>): NormalisedProfile {
  const issues = new Set<ProfileIssue>(boundIssues);
  // GCUST_COD and UPD_DAT are required (the sync refuses a row without them before it gets here).
  row.GCUST_COD = row.GCUST_COD ?? '';
  row.UPD_DAT = row.UPD_DAT ?? '';
  const birth = parseBirthDate(row.BIRTH_DAT, row.UPD_DAT);
  if (birth.issue) issues.add(birth.issue);
  const id = normaliseIdNos(row.ID_NOS, row.CONTRY_COD);
  if (!id.ok && id.reason !== 'empty') issues.add(`id_${id.reason}`);

  const mobiles = new Map<string, PhoneKey>();
  const landlines = new Set<string>();
  const fields: Array<[string, string | null | undefined]> = [
    ...CONTACT_SLOTS.map((n) => [`CONTACT${n}_RMK`, row[`CONTACT${n}_RMK`]] as [string, string | null | undefined]),
    ...EXTRA_PHONE_FIELDS.map((f) => [f, row[f]] as [string, string | null | undefined]),
  ];
  for (const [field, value] of fields) {
    if (value && value.includes('@')) continue; // an e-mail typed in a contact slot
    const parsed = normalisePhoneField(value, field);
    for (const r of parsed.rejected) issues.add(`phone_${r.reason}`);
    for (const other of parsed.others) landlines.add(other);
    for (const m of parsed.mobiles) {
      if (m.repaired) issues.add('phone_repaired');
      if (m.ownerDoubt) issues.add('phone_owner_doubt');
      const seen = mobiles.get(m.e164);
      // The same number twice: it is the guest's own if any field said so without doubt.
      if (!seen || (seen.ownerDoubt && !m.ownerDoubt)) mobiles.set(m.e164, m);
    }
  }

  const registeredName = cleanName(row.ALT_NAM);
  const last = cleanName(row.LAST_NAM);
  const first = cleanName(row.FIRST_NAM);
  if ((row.ALT_NAM ?? '').trim() !== '' && registeredName === null) issues.add('name_placeholder');
  if ((row.LAST_NAM ?? '').trim() !== '' && last === null) issues.add('name_placeholder');
  const gender = row.SEX_TYP === 'M' || row.SEX_TYP === 'F' ? row.SEX_TYP : null;
  // The ID's second character says the sex (1/8 male, 2/9 female); 德安 defaults SEX_TYP to M.
  if (gender === 'M' && id.ok && /^[A-Z][29]/.test(id.key.value)) issues.add('gender_default_suspect');
  let email = trimmed(toHalfWidth(row.E_MAIL ?? ''))?.toLowerCase() ?? null;
  if (email && isOtaRelayEmail(email)) {
    issues.add('email_ota_relay');
    email = null;
  }
  const externalId = row.GCUST_COD.trim();
  const merged = trimmed(row.MCUST_COD);

  return {
    externalId,
    hotelCod: trimmed(row.HOTEL_COD),
    updatedAt: row.UPD_DAT.trim(),
    deleted: (row.CO_DEL_STA ?? '').trim().toUpperCase() === 'Y',
    mergedInto: merged && merged !== externalId ? merged : null,
    registeredName,
    bookedName: last || first ? { lastName: last ?? '', firstName: first ?? '' } : null,
    birthDate: birth.value,
    gender,
    id: id.ok ? id.key : null,
    mobiles: [...mobiles.values()],
    landlines: [...landlines],
    email: email && email.includes('@') ? email : null,
    dmOptOut: (row.DM_FLAG ?? '').trim().toUpperCase() === 'N',
    issues: [...issues],
  };
}
