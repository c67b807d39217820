import { describe, expect, it } from 'vitest';
import { takeGroup } from '../webhook.service.ts';

// Requests waiting for a busy channel's statement: how many one statement takes (webhook.service.ts, takeGroup).
const request = (events: number, chars: number) => ({ ids: Array.from({ length: events }, (_, i) => `id${i}`), json: 'x'.repeat(chars) });

describe('takeGroup', () => {
  it('takes waiting requests in arrival order up to 2,000 events, leaving the rest waiting', () => {
    const waiting = [request(500, 10), request(500, 10), request(500, 10), request(499, 10), request(2, 10), request(1, 10)];
    const group = takeGroup(waiting);
    expect(group.map((r) => r.ids.length)).toEqual([500, 500, 500, 499]);
    // The next one would pass 2,000; it is not skipped for a smaller one behind it (order is kept).
    expect(waiting.map((r) => r.ids.length)).toEqual([2, 1]);
  });

  it('stops at a million characters of JSON however few the events, so large events do not add up to one huge statement', () => {
    const waiting = [request(3, 400_000), request(3, 400_000), request(3, 400_000), request(1, 10)];
    expect(takeGroup(waiting).length).toBe(2);
    expect(takeGroup(waiting).length).toBe(2);
    expect(waiting).toEqual([]);
  });

  it('always takes the first request, even one larger than a statement’s bounds', () => {
    const waiting = [request(1, 1_500_000), request(1, 10)];
    expect(takeGroup(waiting).map((r) => r.json.length)).toEqual([1_500_000]);
    expect(takeGroup(waiting).map((r) => r.json.length)).toEqual([10]);
    expect(takeGroup([])).toEqual([]);
  });
});
