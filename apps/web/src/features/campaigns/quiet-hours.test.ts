import { describe, expect, it } from 'vitest';
import { inQuietHours } from './quiet-hours.ts';

describe('quiet hours as the approver is warned of them', () => {
  it('across midnight (22:00–08:00) and within a day (13:00–14:00); none set is never quiet', () => {
    const night = { start: '22:00', end: '08:00' };
    expect(['23:30', '22:00', '00:00', '07:59'].map((t) => inQuietHours(t, night))).toEqual([true, true, true, true]);
    expect(['08:00', '12:00', '21:59'].map((t) => inQuietHours(t, night))).toEqual([false, false, false]);
    const lunch = { start: '13:00', end: '14:00' };
    expect(['12:59', '13:00', '13:59', '14:00'].map((t) => inQuietHours(t, lunch))).toEqual([false, true, true, false]);
    expect(inQuietHours('23:30', null)).toBe(false);
  });
});
