import { describe, expect, it } from 'vitest';
import { quietHoursIssue, quietTime, weeklyCapValid } from './push-settings.ts';

describe('weeklyCapValid', () => {
  it('takes empty (no cap) and whole numbers from 1 to 50', () => {
    for (const value of [null, 1, 2, 50]) expect(weeklyCapValid(value)).toBe(true);
  });

  it('refuses 0, over 50, negatives and fractions rather than turning them into something else', () => {
    for (const value of [0, 51, -1, 2.5, Number.NaN]) expect(weeklyCapValid(value)).toBe(false);
  });
});

describe('quiet hours typed', () => {
  it('reads HH:mm (and 7:00 as 07:00), and no hour past 23 or minute past 59', () => {
    expect(quietTime('22:00')).toBe('22:00');
    expect(quietTime(' 7:30 ')).toBe('07:30');
    for (const typed of ['30:00', '24:00', '07:60', '0700', '', '7']) expect(quietTime(typed)).toBeNull();
  });

  it('names the issue instead of correcting it', () => {
    expect(quietHoursIssue({ start: '22:00', end: '08:00' })).toBeUndefined();
    expect(quietHoursIssue({ start: '30:00', end: '08:00' })).toBe('time');
    expect(quietHoursIssue({ start: '8:00', end: '08:00' })).toBe('same');
  });
});
