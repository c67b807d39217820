import { describe, expect, it } from 'vitest';
import { ISO_COUNTRY_COUNT, toAlpha3 } from './country-codes.ts';
import { normaliseCountryCode, normalisePassport, parsePassport } from './passport.ts';

describe('parsePassport', () => {
  it('normalises case, width, spaces and dashes', () => {
    expect(normalisePassport(' e1234-5678 ')).toBe('E12345678');
    expect(normalisePassport('ｅ１２３４\u3000５６７８')).toBe('E12345678');
    expect(parsePassport(' c01x00t47 ')).toEqual({ ok: true, value: 'C01X00T47', kind: 'passport' });
  });

  it.each([
    ['E12345678', 'CHN', 'CHN'],
    ['M12345678', 'KR', 'KOR'],
    ['TR1234567', 'jpn', 'JPN'],
    ['A1234567', 'IN', 'IND'],
    ['C01X00T47', 'DEU', 'DEU'],
    ['123456', 'USA', 'USA'],
    ['AB1234567890', 'GBR', 'GBR'],
    ['300123456', 'TWN', 'TWN'],
    ['300-123-456', 'tw', 'TWN'],
    ['３００１２３４５６', 'ＴＷＮ', 'TWN'],
  ])('%s issued by %s is valid (country %s)', (input, country, alpha3) => {
    expect(parsePassport(input, country)).toEqual({ ok: true, value: normalisePassport(input), kind: 'passport', issuingCountry: alpha3 });
  });

  it('treats a missing or blank issuing country as unknown, not as an error', () => {
    expect(parsePassport('E12345678')).toEqual({ ok: true, value: 'E12345678', kind: 'passport' });
    expect(parsePassport('E12345678', '  ')).toEqual({ ok: true, value: 'E12345678', kind: 'passport' });
  });

  it.each([
    ['', undefined],
    ['A1234', undefined],
    ['ABCDEFGHIJ123', undefined],
    ['PASSPORT', undefined],
    ['UNKNOWN', undefined],
    ['E1234567.8', undefined],
    ['E12345678*', undefined],
    ['護照12345678', undefined],
    ['E12345678', 'TWN'],
    ['30012345', 'TWN'],
    ['3001234567', 'TW'],
  ])('%j (country %s) is a format error', (input, country) => {
    expect(parsePassport(input, country)).toEqual({ ok: false, reason: 'format' });
  });

  it.each(['XX', 'TAIWAN', 'ROC', 'R.O.C.', 'T', 'ZZZ', 'UK'])('issuing country %j is rejected', (country) => {
    expect(parsePassport('E12345678', country)).toEqual({ ok: false, reason: 'country' });
  });
});

describe('country codes', () => {
  it('holds all 249 ISO 3166-1 codes and maps alpha-2 to alpha-3', () => {
    expect(ISO_COUNTRY_COUNT).toBe(249);
    expect(toAlpha3('TW')).toBe('TWN');
    expect(toAlpha3('gb')).toBe('GBR');
    expect(toAlpha3('HK')).toBe('HKG');
    expect(toAlpha3('MO')).toBe('MAC');
    expect(toAlpha3('CN')).toBe('CHN');
    expect(toAlpha3('JP')).toBe('JPN');
    expect(toAlpha3('JPN')).toBe('JPN');
    expect(toAlpha3('XK')).toBeUndefined();
  });

  it('normaliseCountryCode trims and converts width', () => {
    expect(normaliseCountryCode(' ｊｐ ')).toBe('JPN');
    expect(normaliseCountryCode('')).toBeUndefined();
  });
});
