import { describe, expect, it } from 'vitest';
import { maskEmail } from './masking.ts';

describe('maskEmail', () => {
  it.each([
    ['hotel@hotel.example', 'h***@hotel.example'],
    ['h.wang+line@gmail.com', 'h***@gmail.com'],
    ['h@hotel.example', '***@hotel.example'],
    ['not-an-email', '***'],
  ])('%s → %s', (input, masked) => {
    expect(maskEmail(input)).toBe(masked);
  });
});
