import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { nameIssue } from './field-issues.ts';

const t = ((key: string, options?: { max?: number }) => (options?.max === undefined ? key : `${key}:${options.max}`)) as unknown as TFunction;

describe('a campaign or rule name checked at its field', () => {
  it('says a name past the limit at once, counted as kept, and a blank one only once checked', () => {
    expect(nameIssue('春'.repeat(100), false, t)).toBeUndefined();
    expect(nameIssue('春'.repeat(101), false, t)).toBe('validation.nameMax:100');
    // Spaces around are not kept, so they do not count.
    expect(nameIssue(` ${'春'.repeat(100)} `, false, t)).toBeUndefined();
    // 「क़」 (U+0958) is two characters once kept: 60 of them are 120.
    expect(nameIssue('\u0958'.repeat(60), false, t)).toBe('validation.nameMax:100');
    expect(nameIssue(' \u200b ', false, t)).toBeUndefined();
    expect(nameIssue(' \u200b ', true, t)).toBe('validation.required');
  });
});
