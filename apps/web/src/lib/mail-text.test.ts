import { describe, expect, it } from 'vitest';
import { isSafeLink, splitMailText } from './mail-text.ts';

describe('splitMailText', () => {
  it('finds links and 6-digit codes', () => {
    expect(splitMailText('您的登入驗證碼是 565560，10 分鐘內有效。')).toEqual([
      { kind: 'text', value: '您的登入驗證碼是 ' },
      { kind: 'code', value: '565560' },
      { kind: 'text', value: '，10 分鐘內有效。' },
    ]);
    expect(splitMailText('Open:\n\nhttp://localhost:3000/set-password?token=a.b-c_d\n\nThanks')).toEqual([
      { kind: 'text', value: 'Open:\n\n' },
      { kind: 'link', value: 'http://localhost:3000/set-password?token=a.b-c_d' },
      { kind: 'text', value: '\n\nThanks' },
    ]);
  });

  it('does not treat digits inside longer numbers or links as codes', () => {
    expect(splitMailText('ref 12345678').every((p) => p.kind === 'text')).toBe(true);
    expect(splitMailText('http://x.test/123456').map((p) => p.kind)).toEqual(['link']);
  });
});

describe('isSafeLink', () => {
  it('accepts only http and https', () => {
    expect(isSafeLink('https://example.com/a')).toBe(true);
    expect(isSafeLink('javascript:alert(1)')).toBe(false);
  });
});
