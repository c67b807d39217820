import { z } from 'zod';
import { toHalfWidthVisible } from './full-width.ts';

/**
 * Email addresses: trimmed, half-width, zero-width characters removed and the WHOLE address lower-cased (the
 * local part is case-sensitive in theory, never in practice). Validated with zod's default `z.email()` pattern,
 * a pragmatic ASCII rule (no quoted local parts, no IP-literal or IDN domains, a TLD of 2+ letters), and at most
 * 254 characters.
 */
export type EmailFailureReason = 'empty' | 'format';
export type EmailResult = { ok: true; value: string } | { ok: false; reason: EmailFailureReason };

const EMAIL = z.email().max(254);

export function normaliseEmail(input: string): string {
  return toHalfWidthVisible(input).trim().toLowerCase();
}

export function parseEmail(input: string): EmailResult {
  const value = normaliseEmail(input);
  if (value === '') return { ok: false, reason: 'empty' };
  return EMAIL.safeParse(value).success ? { ok: true, value } : { ok: false, reason: 'format' };
}
