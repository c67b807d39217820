import { describe, expect, it } from 'vitest';
import { liffI18n, localeFromLine } from './i18n.ts';

describe('localeFromLine', () => {
  it('is English only when LINE runs in English', () => {
    expect(localeFromLine('en')).toBe('en');
    expect(localeFromLine('en-US')).toBe('en');
    expect(localeFromLine('zh-TW')).toBe('zh-TW');
    expect(localeFromLine('ja')).toBe('zh-TW');
    expect(localeFromLine('')).toBe('zh-TW');
  });
});

describe('liffI18n', () => {
  it('carries the liff texts of both languages', async () => {
    expect(liffI18n.t('liff.form.sendCode')).toBe('傳送驗證碼');
    await liffI18n.changeLanguage('en');
    expect(liffI18n.t('liff.form.sendCode')).toBe('Send code');
    expect(liffI18n.t('liff.form.attemptsLeft', { count: 1 })).toBe('1 attempt left.');
  });
});
