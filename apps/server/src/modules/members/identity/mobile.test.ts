import { describe, expect, it } from 'vitest';
import { maskMobile, normaliseMobile } from './mobile.ts';

const TW_MOBILE = { ok: true, e164: '+886912345678', country: 'TW', isMobile: true, type: 'MOBILE' };

describe('normaliseMobile: Taiwan mobile input forms', () => {
  it.each([
    '0912345678',
    '0912-345-678',
    '0912 345 678',
    '0912.345.678',
    '(0912)345-678',
    '0912\u3000345\u3000678',
    '0912‐345‐678',
    '0912—345—678',
    '０９１２３４５６７８',
    '０９１２－３４５－６７８',
    '（０９１２）３４５６７８',
    '+886 912 345 678',
    '+886-912-345-678',
    '+886912345678',
    '＋８８６ ９１２ ３４５ ６７８',
    '+886 (0)912-345-678',
    'tel:+886-912-345-678',
    'TEL:+886912345678',
    '002886912345678',
    ' 0912345678\u200B ',
  ])('%j → +886912345678, standard form', (input) => {
    expect(normaliseMobile(input)).toEqual({ ...TW_MOBILE, repaired: false });
  });

  it.each([
    '+8860912345678',
    '+886 0912 345 678',
    '+886-0912-345-678',
    '886912345678',
    '886-912-345-678',
    '8860912345678',
    '886-0912-345-678',
    '00886912345678',
    '00886-912-345-678',
    '912345678',
    '912-345-678',
  ])('%j → +886912345678, flagged repaired', (input) => {
    expect(normaliseMobile(input)).toEqual({ ...TW_MOBILE, repaired: true });
  });

  it('keeps an annotation as a note (the number may be someone else’s)', () => {
    expect(normaliseMobile('0912345678(媽媽)')).toEqual({ ...TW_MOBILE, repaired: false, note: '媽媽' });
    expect(normaliseMobile('0912-345-678 （公司）')).toEqual({ ...TW_MOBILE, repaired: false, note: '公司' });
  });

  it.each([
    ['0912345678#123', '123'],
    ['0912345678 轉 5', '5'],
    ['0912345678分機12', '12'],
    ['0912345678 ext. 7', '7'],
    ['0912345678 x7', '7'],
    ['０９１２３４５６７８＃１２３', '123'],
  ])('%j keeps the extension %s', (input, ext) => {
    expect(normaliseMobile(input)).toEqual({ ...TW_MOBILE, repaired: false, ext });
  });
});

describe('normaliseMobile: other numbers', () => {
  it.each([
    ['02-2345-6789', '+886223456789', 'FIXED_LINE'],
    ['(02)2345-6789', '+886223456789', 'FIXED_LINE'],
    ['+886 2 2345 6789', '+886223456789', 'FIXED_LINE'],
    ['04-2345-6789', '+886423456789', 'FIXED_LINE'],
    ['0800-000-123', '+886800000123', 'TOLL_FREE'],
  ])('Taiwan non-mobile %j is accepted as %s with isMobile false', (input, e164, type) => {
    expect(normaliseMobile(input)).toEqual({ ok: true, e164, country: 'TW', isMobile: false, type, repaired: false });
  });

  it.each([
    ['+81 90-1234-5678', '+819012345678', 'JP', 'MOBILE'],
    ['+86 138 0013 8000', '+8613800138000', 'CN', 'MOBILE'],
    ['+852 9123 4567', '+85291234567', 'HK', 'MOBILE'],
    ['+44 7400 123456', '+447400123456', 'GB', 'MOBILE'],
    ['+1 212 555 0123', '+12125550123', 'US', 'FIXED_LINE_OR_MOBILE'],
    ['0027821234567', '+27821234567', 'ZA', 'MOBILE'],
  ])('foreign %j → %s', (input, e164, country, type) => {
    const result = normaliseMobile(input);
    expect(result).toMatchObject({ ok: true, e164, country, type, isMobile: type === 'MOBILE' });
  });

  it('uses the default country for national numbers', () => {
    expect(normaliseMobile('090-1234-5678', 'JP')).toEqual({
      ok: true,
      e164: '+819012345678',
      country: 'JP',
      isMobile: true,
      type: 'MOBILE',
      repaired: false,
    });
    expect(normaliseMobile('0912345678', 'JP')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('normaliseMobile: failures', () => {
  it.each([
    ['', 'empty'],
    ['  \u3000 ', 'empty'],
    ['0912abc678', 'format'],
    ['abc', 'format'],
    ['(媽媽)', 'format'],
    ['09１2-345-678 媽媽', 'format'],
    ['0912*345*678', 'format'],
    ['0912+345678', 'format'],
    ['①912345678', 'format'],
    ['0912345678 / 0922333444', 'multiple'],
    ['0912345678,0922333444', 'multiple'],
    ['0912345678、0922333444', 'multiple'],
    ['0912345678或0922333444', 'multiple'],
    ['0912', 'invalid'],
    ['091234', 'invalid'],
    ['0912-345-67', 'invalid'],
    ['09123456789', 'invalid'],
    ['+88691234567', 'invalid'],
    ['+886 9123 4567', 'invalid'],
    ['0912345678 0922333444', 'invalid'],
    ['+999 123456789', 'invalid'],
    ['1-212-555-0123', 'invalid'],
    ['0000000000', 'invalid'],
  ])('%j → %s', (input, reason) => {
    expect(normaliseMobile(input)).toEqual({ ok: false, reason });
  });
});

describe('maskMobile', () => {
  it.each([
    ['+886912345678', '+886 912***678'],
    ['+886223456789', '+886 223***789'],
    ['+819012345678', '+81 901****678'],
    ['+12125550123', '+1 212****123'],
    ['+85291234567', '+852 912***67'],
    ['+8613800138000', '+86 138*****000'],
    ['0912345678', '*******678'],
    ['', ''],
  ])('%s → %s', (input, masked) => {
    expect(maskMobile(input)).toBe(masked);
  });
});
