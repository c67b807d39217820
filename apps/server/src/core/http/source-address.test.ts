import { describe, expect, it } from 'vitest';
import { sourceOf } from './source-address.ts';

describe('sourceOf', () => {
  it('keeps IPv4 addresses and counts IPv6 addresses by their /64 network', () => {
    expect(sourceOf('203.0.113.7')).toBe('203.0.113.7');
    expect(sourceOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(sourceOf('2001:db8:0:12:1:2:3:4')).toBe('2001:db8:0:12::/64');
    expect(sourceOf('2001:db8:0:12::ffff')).toBe(sourceOf('2001:0db8:0000:0012:abcd::1'));
    expect(sourceOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceOf('::1')).toBe('0:0:0:0::/64');
  });
});
