import { isSameName, normaliseName } from '../member-portal/index.ts';
import { isRomanisationOf } from './pms.romanise.ts';

/**
 * Name checks for matching, on top of the LIFF binding's same-name rule (spacing, width, case, Latin order and
 * Traditional/Simplified forms of one name; never another name). A name only confirms or vetoes a phone match.
 */
export type PersonName = { lastName?: string | null; firstName?: string | null };

/** Two-character family names, so that 歐陽娜娜's family name is 歐陽, not 歐. */
const COMPOUND_SURNAMES = new Set(['歐陽', '司馬', '諸葛', '上官', '司徒', '東方', '皇甫', '張簡', '范姜', '夏侯', '令狐', '慕容', '尉遲', '長孫', '公孫', '端木', '呼延', '左丘'].map(normaliseName));

const HAN = /\p{Script=Han}/u;

export function isHanName(name: string): boolean {
  return HAN.test(name);
}

/** The family name of a whole name written in Chinese (ALT_NAM), normalised. */
export function surnameOfHan(fullName: string): string {
  const n = normaliseName(fullName);
  return COMPOUND_SURNAMES.has(n.slice(0, 2)) && n.length > 2 ? n.slice(0, 2) : n.slice(0, 1);
}

function fullOf(name: PersonName): string {
  return `${name.lastName ?? ''}${name.firstName ?? ''}`;
}

/** The typed family name; when a Chinese name was typed whole into one field, its first character(s). */
export function surnameOf(name: PersonName): string {
  const last = normaliseName(name.lastName ?? '');
  const first = normaliseName(name.firstName ?? '');
  if (last && first) return last;
  const whole = last || first;
  if (!whole) return '';
  return isHanName(whole) ? surnameOfHan(whole) : whole;
}

/** One side written in Chinese, the other romanised, and the romanisation spells the Chinese name. */
function romanisedSame(typed: PersonName, known: PersonName, typedHan: boolean): boolean {
  const knownFull = fullOf(known);
  if (isHanName(knownFull) === typedHan) return false;
  const typedText = typedHan ? `${(typed.lastName ?? '').trim()}${(typed.firstName ?? '').trim()}` : `${typed.lastName ?? ''} ${typed.firstName ?? ''}`;
  const knownText = typedHan ? `${known.lastName ?? ''} ${known.firstName ?? ''}` : knownFull;
  const han = (typedHan ? typedText : knownText).replace(/\s/gu, '');
  const latin = typedHan ? knownText : typedText;
  return isRomanisationOf(han, latin, surnameOfHan(han).length);
}

export type NameVerdict = 'same' | 'booker_only' | 'surname_only' | 'different' | 'unverifiable';

export type ProfileNames = {
  /** ALT_NAM values (registered from the ID document): authoritative when present. */
  registered: string[];
  /** LAST_NAM/FIRST_NAM values: the booking name, possibly the booker's. */
  booked: PersonName[];
};

/**
 * Does a member's typed name name the person of these PMS profiles?
 *  - `same`: a registered name (ALT_NAM) is the typed name; or, with no registered name at all, a booked name is.
 *  - `booker_only`: only the booking name agrees while a registered name says someone else stayed (a parent booked
 *    for a child): the booker-name trap, never a link.
 *  - `surname_only`: same family name, other given name (likely a family member sharing the phone).
 *  - `unverifiable`: nothing to compare (no typed name, or Chinese on one side and only romanised on the other).
 *  - `different`: another person.
 */
export function compareNames(typed: PersonName, names: ProfileNames): NameVerdict {
  const typedFull = normaliseName(fullOf(typed));
  if (!typedFull) return 'unverifiable';
  const registered = names.registered.filter((n) => normaliseName(n) !== '');
  const booked = names.booked.filter((n) => normaliseName(fullOf(n)) !== '');
  if (registered.some((r) => isSameName(typed, { lastName: r }))) return 'same';
  const typedHan = isHanName(typedFull);
  // A member typing the romanised form of the registered Chinese name (and the other way round).
  if (registered.some((r) => romanisedSame(typed, { lastName: r }, typedHan))) return 'same';
  const bookedSame = booked.some((b) => isSameName(typed, b));
  if (registered.length === 0 && (bookedSame || booked.some((b) => romanisedSame(typed, b, typedHan)))) return 'same';
  if (bookedSame) return 'booker_only';

  const comparable: PersonName[] = [...registered.map((r) => ({ lastName: r })), ...booked].filter((n) => isHanName(fullOf(n)) === typedHan);
  if (comparable.length === 0) return 'unverifiable';
  const surname = surnameOf(typed);
  const sameSurname = comparable.some((n) => {
    if (typedHan) return surnameOf(n) === surname;
    // Latin names come in either order: any shared token counts as the family name.
    const tokens = new Set(`${n.lastName ?? ''} ${n.firstName ?? ''}`.toLowerCase().split(/[\s,-]+/).filter(Boolean));
    return `${typed.lastName ?? ''} ${typed.firstName ?? ''}`.toLowerCase().split(/[\s,-]+/).some((t) => t && tokens.has(t));
  });
  return sameSurname ? 'surname_only' : 'different';
}
