import { describe, expect, it } from 'vitest';
import { pickLocale } from './locales.ts';

describe('pickLocale', () => {
  it('prefers Traditional Chinese unless English ranks higher', () => {
    expect(pickLocale(undefined)).toBe('zh-TW');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(pickLocale('ja,en;q=0.5')).toBe('en');
    expect(pickLocale('en;q=0.4,zh-TW;q=0.8')).toBe('zh-TW');
    expect(pickLocale('fr')).toBe('zh-TW');
  });
});
