import { describe, expect, it } from 'vitest';
import { normaliseEmail, parseEmail } from './email.ts';

describe('parseEmail', () => {
  it.each([
    ['guest@hotel.example', 'guest@hotel.example'],
    ['  Guest.Name+Tag@Hotel.Example  ', 'guest.name+tag@hotel.example'],
    ['ｇｕｅｓｔ＠ｈｏｔｅｌ．ｅｘａｍｐｌｅ', 'guest@hotel.example'],
    ['\u3000GUEST@MAIL.HOTEL.EXAMPLE\u3000', 'guest@mail.hotel.example'],
    ['o\u200Bhara@hotel.example', 'ohara@hotel.example'],
    ['wang_xiao-ming@hotel-group.com.tw', 'wang_xiao-ming@hotel-group.com.tw'],
  ])('%j → %s', (input, value) => {
    expect(normaliseEmail(input)).toBe(value);
    expect(parseEmail(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['guest', 'format'],
    ['guest@', 'format'],
    ['@hotel.example', 'format'],
    ['guest@hotel', 'format'],
    ['guest@@hotel.example', 'format'],
    ['gu est@hotel.example', 'format'],
    ['.guest@hotel.example', 'format'],
    ['guest..name@hotel.example', 'format'],
    ['guest@hotel..example', 'format'],
    ['王小明@hotel.example', 'format'],
    [`${'a'.repeat(64)}@${'b'.repeat(185)}.example`, 'format'],
  ])('%j → %s', (input, reason) => {
    expect(parseEmail(input)).toEqual({ ok: false, reason });
  });

  it('accepts an address of exactly 254 characters', () => {
    const address = `${'a'.repeat(64)}@${'b'.repeat(181)}.example`;
    expect(address).toHaveLength(254);
    expect(parseEmail(address).ok).toBe(true);
  });
});
