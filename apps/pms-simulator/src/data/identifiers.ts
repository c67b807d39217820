import type { Rng } from './random.ts';

/**
 * Synthetic but checksum-valid Taiwan IDs and resident numbers (pms.md §4.1–4.2), passports, and phone numbers in
 * ranges libphonenumber-js accepts. Every generated value is unique within one data set (the caller passes `taken`).
 */
const LETTER_ORDER = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
const WEIGHTS = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1];
/** Area letters weighted loosely by population; I, O, W, Z, Y and the retired L, R, S, Y still appear. */
const AREA_LETTERS = [...'AAAABBBCDDEEEFFFFFGHHHJKMNNPQTTUVXILRS'];

function letterCode(letter: string): number {
  return 10 + LETTER_ORDER.indexOf(letter);
}

export function checkDigit(first9: string): string {
  const code = letterCode(first9[0]!);
  const second = first9[1]!;
  const d1 = /[A-D]/.test(second) ? letterCode(second) % 10 : Number(second);
  const digits = [Math.floor(code / 10), code % 10, d1, ...first9.slice(2).split('').map(Number)];
  const sum = digits.reduce((total, d, i) => total + d * WEIGHTS[i]!, 0);
  return String((10 - (sum % 10)) % 10);
}

export function isValidTaiwanId(value: string): boolean {
  return /^[A-Z][1289A-D][0-9]{8}$/.test(value) && checkDigit(value.slice(0, 9)) === value[9];
}

/** Numbers people use as fillers; never generated as someone's real number. */
const RESERVED = new Set(['A123456789']);

function unique(taken: Set<string>, make: () => string): string {
  for (;;) {
    const value = make();
    if (!taken.has(value) && !RESERVED.has(value)) {
      taken.add(value);
      return value;
    }
  }
}

export function nationalId(rng: Rng, gender: 'M' | 'F', taken: Set<string>): string {
  return unique(taken, () => {
    const first9 = `${rng.pick(AREA_LETTERS)}${gender === 'M' ? '1' : '2'}${rng.digits(7)}`;
    return first9 + checkDigit(first9);
  });
}

/** Resident certificate: new form `A8…`/`A9…` (since 2021), old form `AC…`/`AD…` (foreigners) or `AA…`/`AB…`. */
export function residentNumber(rng: Rng, gender: 'M' | 'F', format: 'old' | 'new', taken: Set<string>): string {
  return unique(taken, () => {
    const second = format === 'new' ? (gender === 'M' ? '8' : '9') : gender === 'M' ? rng.pick(['A', 'C']) : rng.pick(['B', 'D']);
    const first9 = `${rng.pick(AREA_LETTERS)}${second}${rng.digits(7)}`;
    return first9 + checkDigit(first9);
  });
}

export function passportNumber(rng: Rng, country: string, taken: Set<string>): string {
  return unique(taken, () => {
    switch (country) {
      case 'JPN':
        return `T${rng.pick(['R', 'K', 'Z'])}${rng.digits(7)}`;
      case 'KOR':
        return `M${rng.digits(8)}`;
      case 'USA':
        return rng.digits(9).replace(/^0/, '5');
      case 'MYS':
        return `A${rng.digits(8)}`;
      default:
        return `${rng.pick(['B', 'C', 'P'])}${rng.digits(7)}`;
    }
  });
}

/** Taiwan mobile prefixes in service (09xx), so every generated number is a valid MOBILE for libphonenumber-js. */
const TW_MOBILE_PREFIXES = ['910', '911', '912', '913', '915', '916', '917', '918', '919', '920', '921', '922', '923', '925', '926', '927', '928', '929', '930', '931', '932', '933', '934', '935', '936', '937', '938', '939', '952', '953', '955', '956', '958', '960', '961', '963', '965', '966', '968', '970', '971', '972', '975', '976', '978', '979', '980', '981', '982', '983', '984', '985', '986', '987', '988', '989'];

/** A Taiwan mobile as its 9 national digits (`912345678`); shown as `0912345678` or `+886912345678`. */
export function taiwanMobile(rng: Rng, taken: Set<string>): string {
  return unique(taken, () => {
    for (;;) {
      const n = `${rng.pick(TW_MOBILE_PREFIXES)}${rng.digits(6)}`;
      // Not a filler: one digit repeated, or the counting example.
      if (!/(\d)\1{5}/.test(n) && !n.includes('12345678')) return n;
    }
  });
}

/** A foreign mobile in E.164. */
export function foreignMobile(rng: Rng, country: string, taken: Set<string>): string {
  return unique(taken, () => {
    switch (country) {
      case 'JPN':
        return `+81${rng.pick(['70', '80', '90'])}${rng.range(1, 9)}${rng.digits(7)}`;
      case 'KOR':
        return `+8210${rng.range(2, 9)}${rng.digits(7)}`;
      case 'MYS':
        return `+6012${rng.range(2, 9)}${rng.digits(6)}`;
      default:
        return `+1${rng.pick(['212', '415', '646', '312', '617'])}${rng.range(2, 9)}${rng.digits(6)}`;
    }
  });
}

/** A Taiwan landline as typed at the front desk. */
export function landline(rng: Rng): string {
  return rng.weighted([
    [`02-2${rng.digits(3)}-${rng.digits(4)}`, 5],
    [`04-2${rng.digits(3)}-${rng.digits(4)}`, 2],
    [`07-3${rng.digits(2)}-${rng.digits(4)}`, 2],
    [`(03)4${rng.digits(2)}-${rng.digits(4)}`, 1],
  ]);
}
