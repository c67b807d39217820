import { describe, expect, it } from 'vitest';
import { tagNamed, tagNameMatches } from './tag-names.ts';

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
