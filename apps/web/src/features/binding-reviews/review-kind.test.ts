import { describe, expect, it } from 'vitest';
import { openingKind, shownKind } from './review-kind.ts';

const answered = (n: number) => ({ isFetched: true, data: Array.from({ length: n }, (_, i) => ({ id: String(i) })) });
const waiting = { isFetched: false, data: undefined };
const failed = { isFetched: true, data: undefined };

describe('the queue 綁定審核 opens on', () => {
  it('is the PMS matches only when no LINE binding waits and matches do', () => {
    expect(openingKind(answered(0), answered(3))).toBe('pms');
    expect(openingKind(answered(2), answered(3))).toBe('line');
    expect(openingKind(answered(0), answered(0))).toBe('line');
    // A queue that could not be read (no PMS permission, an error) sends no one to it.
    expect(openingKind(answered(0), failed)).toBe('line');
    expect(openingKind(failed, answered(3))).toBe('line');
  });

  it('is not decided while it could still be either, so the page does not show one queue and then jump to the other', () => {
    expect(openingKind(waiting, answered(3))).toBeUndefined();
    expect(openingKind(answered(0), waiting)).toBeUndefined();
    // LINE bindings waiting (or unreadable) decide it without waiting for the PMS queue.
    expect(openingKind(answered(2), waiting)).toBe('line');
    expect(openingKind(failed, waiting)).toBe('line');
  });
});

describe('the queue shown', () => {
  it('is the one staff chose (in the address) whatever the opening queue was', () => {
    expect(shownKind({ kind: 'line', status: null }, 'pms')).toBe('line');
    expect(shownKind({ kind: 'pms', status: null }, 'line')).toBe('pms');
    // 已處理 is the LINE bindings' tab.
    expect(shownKind({ kind: null, status: 'linked' }, 'pms')).toBe('line');
  });

  it('is the opening queue when the address names none, and undecided until that is', () => {
    expect(shownKind({ kind: null, status: null }, 'pms')).toBe('pms');
    expect(shownKind({ kind: null, status: null }, undefined)).toBeUndefined();
    expect(shownKind({ kind: 'bogus', status: null }, 'line')).toBe('line');
  });
});
