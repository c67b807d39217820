import { generateDataSet } from '@innkeeper/pms-simulator';
import { describe, expect, it } from 'vitest';
import { normaliseMobile, normaliseMobileByLibrary, taiwanMobileFastPath } from './mobile.ts';

/**
 * The Taiwan fast path of normaliseMobile (no parse for the well-formed forms) must give exactly what libphonenumber-js
 * gives: both sides of PMS matching normalise with it, and one digit or flag different is a missed or a false link.
 */
const PHONE_FIELDS = ['CONTACT1_RMK', 'CONTACT2_RMK', 'CONTACT3_RMK', 'CONTACT4_RMK', 'MOBILE_NOS', 'HOME_TEL', 'OFFICE_TEL'] as const;
/** The ways pms.normalise.ts splits a field holding several numbers, so every piece it hands over is compared too. */
const SPLIT = /[/,;、，；\n|]|或|及|和/u;

describe('normaliseMobile: the Taiwan fast path', () => {
  it('gives the library’s result for every phone value of the PMS simulator’s noisy data, and takes most of them', () => {
    const data = generateDataSet({ seed: 'mobile-fast-path', profiles: 6000 });
    const values = new Set<string>();
    for (const row of data.profiles) {
      for (const field of PHONE_FIELDS) {
        const value = (row as Record<string, unknown>)[field];
        if (typeof value !== 'string' || value.trim() === '') continue;
        values.add(value);
        for (const piece of value.split(SPLIT)) if (piece.trim() !== '') values.add(piece.trim());
      }
    }
    for (const member of data.members) if (member.mobile) values.add(member.mobile);
    expect(values.size).toBeGreaterThan(5000);
    let fast = 0;
    for (const value of values) {
      if (taiwanMobileFastPath(value)) fast++;
      expect(normaliseMobile(value), value).toEqual(normaliseMobileByLibrary(value));
    }
    // The point of it: the common mobile forms (09…, 09xx-xxx-xxx, +886…) skip the parse; landlines (a third of the
    // values) and the odd forms are the library's.
    expect(fast / values.size).toBeGreaterThan(0.5);
  });

  it('gives the library’s result for every 9x prefix in every form it takes, and near misses', () => {
    const forms = (n: string) => [
      `0${n}`,
      `0${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
      `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
      `+886${n}`,
      `+886 ${n}`,
      `+886 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
      `+886-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
      `886${n}`,
      `8860${n}`,
      `+8860${n}`,
      `+886-0${n}`,
      `00886${n}`,
      n,
      ` 0${n} `,
      // Not taken by the fast path: mixed separators, a digit too many or too few, another country's code.
      `0${n.slice(0, 3)}-${n.slice(3, 6)} ${n.slice(6)}`,
      `0${n}1`,
      `0${n.slice(0, 8)}`,
      `+885${n}`,
      `0886${n}`,
    ];
    let compared = 0;
    for (let prefix = 900; prefix <= 999; prefix++) {
      for (const tail of ['000000', '123456', '987654', '555001']) {
        for (const value of forms(`${prefix}${tail}`)) {
          expect(normaliseMobile(value), value).toEqual(normaliseMobileByLibrary(value));
          compared++;
        }
      }
    }
    expect(compared).toBe(100 * 4 * 19);
  });
});
