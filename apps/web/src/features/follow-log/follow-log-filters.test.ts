import { describe, expect, it } from 'vitest';
import { daysBetween, todayInZone } from './use-follow-log-filters.ts';

describe('daysBetween', () => {
  it('lists every calendar day, both ends included, across months', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysBetween('2026-11-23', '2026-11-23')).toEqual(['2026-11-23']);
  });

  it('is empty for a reversed range', () => {
    expect(daysBetween('2026-11-23', '2026-11-22')).toEqual([]);
  });
});

describe('todayInZone', () => {
  it('gives a calendar day, also for an unknown zone', () => {
    expect(todayInZone('Asia/Taipei')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(todayInZone('Not/AZone')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
