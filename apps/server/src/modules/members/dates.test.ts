import { describe, expect, it } from 'vitest';
import { parseDate } from './dates.ts';

describe('parseDate: calendar arithmetic', () => {
  it('accepts exactly the real days from 1900 to 2100 (leap years by the Gregorian rule), as the calendar says', () => {
    // The calendar as Date knows it: the day exists when Date gives it back unchanged.
    const real = (y: number, m: number, d: number) => {
      const date = new Date(Date.UTC(y, m - 1, d));
      return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
        ? date.toISOString().slice(0, 10)
        : undefined;
    };
    const differing: string[] = [];
    for (let y = 1898; y <= 2102; y++) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const parsed = parseDate(`${y}-${m}-${d}`);
          if ((parsed.ok ? parsed.value : undefined) !== real(y, m, d)) differing.push(`${y}-${m}-${d}`);
        }
      }
    }
    expect(differing).toEqual([]);
    expect(parseDate('2000-2-29')).toEqual({ ok: true, value: '2000-02-29' });
    expect(parseDate('2100-2-29').ok).toBe(false);
    expect(parseDate('民國74年3月2日')).toEqual({ ok: true, value: '1985-03-02' });
  });
});
