import { describe, expect, it } from 'vitest';
import { joinedDate } from './joined-date.ts';

describe('the member card join date', () => {
  it('is the hotel’s calendar day, not the phone’s (19:25 UTC is already the next day in Taipei)', () => {
    expect(joinedDate('2026-12-04T19:25:00.000Z', 'zh-TW', 'Asia/Taipei')).toBe('2026/12/05');
    expect(joinedDate('2026-12-04T15:59:00.000Z', 'zh-TW', 'Asia/Taipei')).toBe('2026/12/04');
    expect(joinedDate('2026-12-04T19:25:00.000Z', 'en', 'Asia/Taipei')).toBe('12/05/2026');
  });

  it('falls back to the phone’s calendar for an unknown zone, and to the text for an unreadable date', () => {
    expect(joinedDate('2026-06-01T12:00:00.000Z', 'zh-TW', 'Not/AZone')).toBe('2026/06/01');
    expect(joinedDate('not a date', 'zh-TW', 'Asia/Taipei')).toBe('not a date');
  });
});
