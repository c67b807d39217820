import { describe, expect, it } from 'vitest';
import { isPlaceholderTaiwanId, normaliseTaiwanId, parseTaiwanId } from './national-id.ts';

// Letter codes copied from the table in pms.md §4.1 (not from the implementation's code-order string).
const LETTER_CODES: Record<string, number> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};
const LETTERS = Object.keys(LETTER_CODES);
const SECOND = ['1', '2', '8', '9', 'A', 'B', 'C', 'D'];
// Weights of the characters at index 1…9 (the d1…d8 digits and the check digit).
const DIGIT_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 1, 1];

function kindOf(second: string): 'national_id' | 'resident_certificate' {
  return second === '1' || second === '2' ? 'national_id' : 'resident_certificate';
}

/** Independent generator: a valid number from a first letter, a second character and 7 digits. */
function makeId(letter: string, second: string, body: number[]): string {
  const code = LETTER_CODES[letter]!;
  const d1 = /[A-D]/.test(second) ? LETTER_CODES[second]! % 10 : Number(second);
  const sum = Math.floor(code / 10) + (code % 10) * 9 + d1 * 8 + body.reduce((t, d, i) => t + d * (7 - i), 0);
  return `${letter}${second}${body.join('')}${(10 - (sum % 10)) % 10}`;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20260501);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const RANDOM_IDS = Array.from({ length: 1000 }, () =>
  makeId(pick(LETTERS), pick(SECOND), Array.from({ length: 7 }, () => Math.floor(random() * 10))),
);

describe('parseTaiwanId: pms.md test vectors', () => {
  it.each([
    ['A123456789', 'national_id'],
    ['A800000014', 'resident_certificate'],
    ['A912345673', 'resident_certificate'],
    ['AC01234567', 'resident_certificate'],
    ['AD12345671', 'resident_certificate'],
  ] as const)('%s is a valid %s', (input, kind) => {
    expect(parseTaiwanId(input)).toEqual({ ok: true, value: input, kind });
  });

  it('A123456780 fails the checksum', () => {
    expect(parseTaiwanId('A123456780')).toEqual({ ok: false, reason: 'checksum' });
  });

  it('the generator reproduces the pms.md vectors', () => {
    expect(makeId('A', '1', [2, 3, 4, 5, 6, 7, 8])).toBe('A123456789');
    expect(makeId('A', '8', [0, 0, 0, 0, 0, 0, 1])).toBe('A800000014');
    expect(makeId('A', 'C', [0, 1, 2, 3, 4, 5, 6])).toBe('AC01234567');
  });
});

describe('parseTaiwanId: generated numbers', () => {
  it('accepts a generated number for every first letter and every second character', () => {
    for (const letter of LETTERS) {
      for (const second of SECOND) {
        const id = makeId(letter, second, [3, 1, 4, 1, 5, 9, 2]);
        expect(parseTaiwanId(id)).toEqual({ ok: true, value: id, kind: kindOf(second) });
      }
    }
  });

  it('round-trips 1,000 random valid numbers, also typed in lower case, full width and with separators', () => {
    const wrong: string[] = [];
    for (const id of RANDOM_IDS) {
      const fullWidth = [...id.toLowerCase()].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
      const spaced = ` ${id.slice(0, 4)}-${id.slice(4, 7)} ${id.slice(7)}\u3000`;
      for (const input of [id, fullWidth, spaced]) {
        const result = parseTaiwanId(input);
        if (!result.ok || result.value !== id || result.kind !== kindOf(id[1]!)) wrong.push(input);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('rejects every number whose check digit is replaced by another digit', () => {
    const wrong: string[] = [];
    for (const id of RANDOM_IDS) {
      for (let digit = 0; digit <= 9; digit++) {
        const changed = id.slice(0, 9) + digit;
        const result = parseTaiwanId(changed);
        if (changed !== id && (result.ok || result.reason !== 'checksum')) wrong.push(changed);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('rejects every number with any one digit incremented (mod 10)', () => {
    const wrong: string[] = [];
    for (const id of RANDOM_IDS) {
      for (let i = /[0-9]/.test(id[1]!) ? 1 : 2; i <= 9; i++) {
        const changed = id.slice(0, i) + ((Number(id[i]) + 1) % 10) + id.slice(i + 1);
        if (parseTaiwanId(changed).ok) wrong.push(changed);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('catches a digit substitution exactly when weight × difference is not a multiple of 10', () => {
    // The weights include 5 and even numbers, so e.g. +2 on the weight-5 digit or +5 on an even-weight digit
    // still sums to 0 mod 10. Such typos are undetectable by design; this pins the behaviour down exactly.
    const wrong: string[] = [];
    let undetected = 0;
    for (const id of RANDOM_IDS.slice(0, 250)) {
      for (let i = 1; i <= 9; i++) {
        if (!/[0-9]/.test(id[i]!)) continue;
        for (let digit = 0; digit <= 9; digit++) {
          const difference = digit - Number(id[i]);
          if (difference === 0) continue;
          const changed = id.slice(0, i) + digit + id.slice(i + 1);
          const result = parseTaiwanId(changed);
          const expected: boolean | 'format' =
            i === 1 && !'1289'.includes(String(digit)) ? 'format' : (DIGIT_WEIGHTS[i - 1]! * difference) % 10 === 0;
          const actual = result.ok || (result.reason === 'format' ? 'format' : false);
          if (actual !== expected) wrong.push(changed);
          if (result.ok) undetected++;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(undetected).toBeGreaterThan(0);
  });

  it('the gender digit and the old-format category letter never change undetected', () => {
    const wrong: string[] = [];
    for (const id of RANDOM_IDS) {
      for (const other of /[A-D]/.test(id[1]!) ? 'ABCD' : '1289') {
        const changed = id[0] + other + id.slice(2);
        if (other !== id[1] && parseTaiwanId(changed).ok) wrong.push(changed);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('documents the known blind spots: A123656789 and A128456789 pass, and A, M and W share a checksum', () => {
    expect(parseTaiwanId('A123656789').ok).toBe(true);
    expect(parseTaiwanId('A128456789').ok).toBe(true);
    expect(parseTaiwanId('M123456789').ok).toBe(true);
    expect(parseTaiwanId('W123456789').ok).toBe(true);
  });
});

describe('parseTaiwanId: normalisation and format', () => {
  it.each([
    'Ａ１２３４５６７８９',
    ' a123456789 ',
    '\u3000A123456789\u3000',
    'A123-456-789',
    'A 123456789',
    'A123 456 789',
    'a１２３‐456―789',
    'A12345\u200B6789',
  ])('normalises %j to A123456789', (input) => {
    expect(normaliseTaiwanId(input)).toBe('A123456789');
    expect(parseTaiwanId(input)).toEqual({ ok: true, value: 'A123456789', kind: 'national_id' });
  });

  it('normalises resident certificates in either format', () => {
    expect(parseTaiwanId('ａ８００ ０００ ０１４')).toEqual({ ok: true, value: 'A800000014', kind: 'resident_certificate' });
    expect(parseTaiwanId(' ac-0123-4567 ')).toEqual({ ok: true, value: 'AC01234567', kind: 'resident_certificate' });
  });

  it.each([
    '',
    '   ',
    'NA',
    '0000000000',
    'A12345678',
    'A1234567890',
    '1123456789',
    'A323456789',
    'A723456789',
    'AE12345678',
    'AC0123456X',
    'A12345****',
    'A123.456.789',
    'A123_456_789',
    '①123456789',
  ])('%j is a format error', (input) => {
    expect(parseTaiwanId(input)).toEqual({ ok: false, reason: 'format' });
  });

  it('flags the well-known test number as a placeholder', () => {
    expect(isPlaceholderTaiwanId(' a123-456-789 ')).toBe(true);
    expect(isPlaceholderTaiwanId('A800000014')).toBe(false);
  });
});
