import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { newId } from '../ids.ts';

describe('newId', () => {
  it('makes RFC 9562 version-7 UUIDs whose first 48 bits are the Unix milliseconds they were made in', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
    // The variant bits (10xx) and the lower-case hex form every other id of the database has.
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it('are unique and strictly increasing across many ids in a row (pool refills and shared milliseconds included)', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i += 1) expect(ids[i]! > ids[i - 1]!, `${ids[i - 1]} then ${ids[i]}`).toBe(true);
    // Most of these share a millisecond with the one before: the counter, not the clock, orders them.
    const sharedMs = ids.filter((id, i) => i > 0 && id.slice(0, 13) === ids[i - 1]!.slice(0, 13)).length;
    expect(sharedMs).toBeGreaterThan(0);
  });

  it('spends fresh random bits on every id: the 48 random low bits of 20,000 ids do not repeat', () => {
    const tails = new Set(Array.from({ length: 20_000 }, () => newId().slice(-12)));
    expect(tails.size).toBe(20_000);
  });
});
