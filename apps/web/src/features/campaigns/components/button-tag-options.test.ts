import { describe, expect, it } from 'vitest';
import { buttonTagOptions, creatableName, NEW_TAG, newTagName } from './button-tag-options.ts';

const options = [
  { id: 't1', name: '商務客' },
  { id: 't2', name: 'Spring2027' },
];
const basic = [{ id: 'b1', name: 'VIP' }];

describe('a campaign button’s tag picker', () => {
  it('offers the activity tags, and a basic tag only when the button already gives it', () => {
    expect(buttonTagOptions(options, basic, [])).toEqual([
      { value: 't1', label: '商務客' },
      { value: 't2', label: 'Spring2027' },
    ]);
    expect(buttonTagOptions(options, basic, ['b1', 't1'])).toEqual([
      { value: 't1', label: '商務客' },
      { value: 't2', label: 'Spring2027' },
      { value: 'b1', label: 'VIP' },
    ]);
  });

  it('offers to make a tag of a name typed that no tag has, named as the server keeps names', () => {
    expect(creatableName('  平日常客 ', { mayCreate: true, taken: false })).toBe('平日常客');
    // A tag has that name (in some spelling), staff may not make tags, an empty name, one past 50 characters: nothing.
    expect(creatableName('平日常客', { mayCreate: true, taken: true })).toBeUndefined();
    expect(creatableName('平日常客', { mayCreate: false, taken: false })).toBeUndefined();
    expect(creatableName(' \u200b ', { mayCreate: true, taken: false })).toBeUndefined();
    expect(creatableName('長'.repeat(51), { mayCreate: true, taken: false })).toBeUndefined();
    expect(creatableName('長'.repeat(50), { mayCreate: true, taken: false })).toBe('長'.repeat(50));
  });

  it('tells the make-a-tag option from a tag', () => {
    expect(newTagName(`${NEW_TAG}平日常客`)).toBe('平日常客');
    expect(newTagName('t1')).toBeUndefined();
  });
});
