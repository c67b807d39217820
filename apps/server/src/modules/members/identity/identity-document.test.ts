import { describe, expect, it } from 'vitest';
import { maskIdentityNumber, parseIdentityDocument } from './identity-document.ts';

describe('parseIdentityDocument without a hint', () => {
  it.each([
    ['A123456789', { ok: true, value: 'A123456789', kind: 'national_id' }],
    ['ｆ２２３４５６７８９', { ok: false, reason: 'checksum' }],
    ['A800000014', { ok: true, value: 'A800000014', kind: 'resident_certificate' }],
    ['A912345673', { ok: true, value: 'A912345673', kind: 'resident_certificate' }],
    ['ac01234567', { ok: true, value: 'AC01234567', kind: 'resident_certificate' }],
    ['AD12345671', { ok: true, value: 'AD12345671', kind: 'resident_certificate' }],
    ['A123456780', { ok: false, reason: 'checksum' }],
    ['AC01234568', { ok: false, reason: 'checksum' }],
    ['E12345678', { ok: true, value: 'E12345678', kind: 'passport' }],
    ['300123456', { ok: true, value: '300123456', kind: 'passport' }],
    ['', { ok: false, reason: 'format' }],
    ['NA', { ok: false, reason: 'format' }],
    ['A12345****', { ok: false, reason: 'format' }],
  ] as const)('%j → %j', (input, expected) => {
    expect(parseIdentityDocument(input)).toEqual(expected);
  });

  it('uses the issuing country only to rescue a Taiwan-ID-shaped value with a wrong checksum', () => {
    expect(parseIdentityDocument('A123456780', undefined, { issuingCountry: 'JPN' })).toEqual({
      ok: true,
      value: 'A123456780',
      kind: 'passport',
      issuingCountry: 'JPN',
    });
    expect(parseIdentityDocument('A123456780', undefined, { issuingCountry: 'TWN' })).toEqual({ ok: false, reason: 'checksum' });
    expect(parseIdentityDocument('A123456780', undefined, { issuingCountry: 'XX' })).toEqual({ ok: false, reason: 'country' });
    expect(parseIdentityDocument('A123456789', undefined, { issuingCountry: 'JPN' })).toEqual({
      ok: true,
      value: 'A123456789',
      kind: 'national_id',
    });
    expect(parseIdentityDocument('300123456', undefined, { issuingCountry: 'tw' })).toEqual({
      ok: true,
      value: '300123456',
      kind: 'passport',
      issuingCountry: 'TWN',
    });
  });
});

describe('parseIdentityDocument with a hint', () => {
  it('national_id and resident_certificate use the Taiwan ID validator and report the detected kind', () => {
    expect(parseIdentityDocument('A123456789', 'national_id')).toEqual({ ok: true, value: 'A123456789', kind: 'national_id' });
    expect(parseIdentityDocument('A800000014', 'national_id')).toEqual({ ok: true, value: 'A800000014', kind: 'resident_certificate' });
    expect(parseIdentityDocument('A123456789', 'resident_certificate')).toEqual({ ok: true, value: 'A123456789', kind: 'national_id' });
    expect(parseIdentityDocument('E12345678', 'national_id')).toEqual({ ok: false, reason: 'format' });
    expect(parseIdentityDocument('A123456780', 'resident_certificate', { issuingCountry: 'JPN' })).toEqual({ ok: false, reason: 'checksum' });
  });

  it('passport uses the passport validator only', () => {
    expect(parseIdentityDocument('A123456789', 'passport')).toEqual({ ok: true, value: 'A123456789', kind: 'passport' });
    expect(parseIdentityDocument('300123456', 'passport', { issuingCountry: 'TWN' })).toEqual({
      ok: true,
      value: '300123456',
      kind: 'passport',
      issuingCountry: 'TWN',
    });
    expect(parseIdentityDocument('E12345678', 'passport', { issuingCountry: 'TWN' })).toEqual({ ok: false, reason: 'format' });
    expect(parseIdentityDocument('E12345678', 'passport', { issuingCountry: 'Taiwan' })).toEqual({ ok: false, reason: 'country' });
  });
});

describe('maskIdentityNumber', () => {
  it.each([
    ['A123456789', 'A12*****89'],
    ['AC01234567', 'AC0*****67'],
    ['AB1234567890', 'AB1*******90'],
    ['300123456', '300****56'],
    ['E1234567', 'E1****67'],
    ['A123456', 'A1****6'],
    ['123456', '1****6'],
    ['12345', '1****'],
    ['1234', '****'],
    ['', ''],
  ])('%s → %s', (input, masked) => {
    expect(maskIdentityNumber(input)).toBe(masked);
    expect(masked).toHaveLength(input.length);
  });

  it('normalises before masking', () => {
    expect(maskIdentityNumber(' a123-456-789 ')).toBe('A12*****89');
    expect(maskIdentityNumber('Ａ１２３４５６７８９')).toBe('A12*****89');
  });
});
