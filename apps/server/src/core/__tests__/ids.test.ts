import crypto from 'node:crypto';
import { validate, version } from 'uuid';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

// Review (rev-headers): the pooled generator under a tight loop, a clock that steps back, and a counter that crosses
// 2^31 (JavaScript's int32 sign bit) within one millisecond. These run last: they move the generator's clock ahead.
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId under pressure', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('makes a million ids in a tight loop that are all valid version-7 ids, distinct and strictly increasing', () => {
    const ids = new Array<string>(1_000_000);
    for (let i = 0; i < ids.length; i += 1) ids[i] = newId();
    let bad = 0;
    for (let i = 0; i < ids.length; i += 1) {
      if (!V7.test(ids[i]!)) bad += 1;
      if (i > 0 && !(ids[i]! > ids[i - 1]!)) bad += 1;
    }
    expect(bad).toBe(0);
    expect(new Set(ids).size).toBe(ids.length);
    // A budget, not a timing claim: a million ids and their Set take ~2 s alone, and CI's unit and integration
    // projects share two cores (it ran past the 5 s default there once).
  }, 60_000);

  it('hands every id its own 16 bytes of the pool, across refills: none reused, none skipped', () => {
    // Each refill writes a running block number into the random tail of every 16-byte slot.
    let block = 0;
    vi.spyOn(crypto, 'randomFillSync').mockImplementation(<T extends NodeJS.ArrayBufferView>(buffer: T): T => {
      const bytes = buffer as unknown as Buffer;
      for (let at = 0; at < bytes.length; at += 16) {
        bytes.fill(0, at, at + 16);
        bytes.writeUIntBE(block, at + 11, 5);
        block += 1;
      }
      return buffer;
    });
    const tails = Array.from({ length: 256 * 3 + 7 }, () => parseInt(newId().slice(-10), 16));
    // The first ids may still come from the pool filled before the spy; from the first refill on, the tails count up by one.
    const first = tails.indexOf(0);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(tails.slice(first)).toEqual(Array.from({ length: tails.length - first }, (_, i) => i));
  });

  it('stays increasing when the clock steps back, and keeps the millisecond it had reached', () => {
    const ahead = Date.now() + 86_400_000;
    const now = vi.spyOn(Date, 'now').mockReturnValue(ahead);
    const a = newId();
    now.mockReturnValue(ahead - 5_000);
    const b = newId();
    const c = newId();
    now.mockReturnValue(ahead + 1);
    const d = newId();
    expect([a, b, c, d].every((id) => V7.test(id))).toBe(true);
    expect(a < b && b < c && c < d).toBe(true);
    const msOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect([msOf(a), msOf(b), msOf(c), msOf(d)]).toEqual([ahead, ahead, ahead, ahead + 1]);
  });

  it('stays increasing when the counter crosses 2^31 and 2^32 within one millisecond', () => {
    const frozen = Date.now() + 2 * 86_400_000;
    vi.spyOn(Date, 'now').mockReturnValue(frozen);
    // Every pool byte 0xff: a new millisecond's counter starts at 2^31 - 1, the highest seed.
    vi.spyOn(crypto, 'randomFillSync').mockImplementation(<T extends NodeJS.ArrayBufferView>(buffer: T): T => {
      (buffer as unknown as Buffer).fill(0xff);
      return buffer;
    });
    // Spend the pool filled before the spy, so the seed of the new millisecond is drawn from 0xff bytes.
    for (let i = 0; i < 256; i += 1) newId();
    vi.spyOn(Date, 'now').mockReturnValue(frozen + 1);
    const ids = Array.from({ length: 8 }, () => newId());
    expect(ids.every((id) => V7.test(id))).toBe(true);
    for (let i = 1; i < ids.length; i += 1) expect(ids[i]! > ids[i - 1]!, `${ids[i - 1]} then ${ids[i]}`).toBe(true);
    // The counter's top 12 bits go from 0x7ff to 0x800 across the int32 sign bit, not back to 0.
    expect(ids[0]!.slice(14, 18)).toBe('77ff');
    expect(ids[1]!.slice(14, 18)).toBe('7800');
  });
});
