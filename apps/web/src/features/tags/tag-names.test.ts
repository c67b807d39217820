import { nameKey } from '@innkeeper/contracts';
import { describe, expect, it } from 'vitest';
import { filterTagOption, tagNamed, tagNameMatches } from './tag-names.ts';

describe('matching a typed tag name', () => {
  const tags = [{ id: '1', name: 'VIP' }, { id: '2', name: '商務客' }];

  it('finds a tag whatever the case and the spaces around what was typed', () => {
    expect(tagNamed(tags, 'vip')?.id).toBe('1');
    expect(tagNamed(tags, '  Vip ')?.id).toBe('1');
    expect(tagNamed(tags, '商務客 ')?.id).toBe('2');
    expect(tagNamed(tags, 'vi')).toBeUndefined();
    expect(tagNamed(tags, '   ')).toBeUndefined();
  });

  it('filters by part of the name the same way', () => {
    expect(tagNameMatches('vi', 'VIP')).toBe(true);
    expect(tagNameMatches('商務客 ', '商務客')).toBe(true);
    expect(tagNameMatches('\u200b商務', '商務客')).toBe(true);
    expect(tagNameMatches('常客', '商務客')).toBe(false);
  });
});

describe('tag names folded by width, as the server’s unique index folds them (NFKC, then lower case)', () => {
  const tags = [{ id: '1', name: 'VIP' }, { id: '2', name: 'Ｇｏｌｄ２０２６' }, { id: '3', name: 'ΟΔΟΣ' }, { id: '4', name: 'İNN' }];

  it('full-width Latin letters and digits are the same name as half-width ones, either way', () => {
    expect(tagNamed(tags, 'ｖｉｐ')?.id).toBe('1');
    expect(tagNamed(tags, 'ＶＩＰ ')?.id).toBe('1');
    expect(tagNamed(tags, 'gold2026')?.id).toBe('2');
    expect(tagNamed(tags, 'GOLD２０２６')?.id).toBe('2');
    expect(tagNamed(tags, 'gold2025')).toBeUndefined();
  });

  it('the pickers’ filter finds by part of the name the same way (what they list and what they offer to make agree)', () => {
    expect(filterTagOption('ｖｉ', { label: 'VIP' })).toBe(true);
    expect(filterTagOption('gold', { label: 'Ｇｏｌｄ２０２６' })).toBe(true);
    expect(filterTagOption('２０２', { label: 'Gold2026' })).toBe(true);
    expect(filterTagOption('silver', { label: 'Ｇｏｌｄ２０２６' })).toBe(false);
    expect(filterTagOption('vip', {})).toBe(false);
  });

  it('lower case a character at a time, as the database does, where JavaScript’s own lower case of the whole name differs', () => {
    // JavaScript makes a word's last 「Σ」 「ς」 and 「İ」 two characters; PostgreSQL's lower() makes them 「σ」 and 「i」.
    expect('ΟΔΟΣ'.toLowerCase()).toBe('οδος');
    expect(nameKey('ΟΔΟΣ')).toBe('οδοσ');
    expect(tagNamed(tags, 'οδοσ')?.id).toBe('3');
    expect(tagNamed(tags, 'οδος')).toBeUndefined();
    expect('İNN'.toLowerCase()).not.toBe('inn');
    expect(tagNamed(tags, 'inn')?.id).toBe('4');
  });
});
