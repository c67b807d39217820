import { z } from 'zod';

// Lower-case wording follows what LINE returns for message-object errors.
export const len = (min: number, max: number) =>
  z
    .string()
    .min(min, { error: `length must be between ${min} and ${max}` })
    .max(max, { error: `length must be between ${min} and ${max}` });

export const size = <T extends z.ZodType>(item: T, min: number, max: number) =>
  z
    .array(item)
    .min(min, { error: `size must be between ${min} and ${max}` })
    .max(max, { error: `size must be between ${min} and ${max}` });

export type UrlPolicy = { strictHttps: boolean };

export function mediaUrl(policy: UrlPolicy, max = 2000) {
  return len(1, max)
    .refine((v) => isUrl(v, policy.strictHttps ? ['https:'] : ['https:', 'http:']), {
      error: policy.strictHttps ? 'must be a valid HTTPS URL' : 'must be a valid URL',
    })
    .refine(isPercentEncoded, { error: PERCENT_ENCODED });
}

// LINE wants URLs percent-encoded UTF-8 (line-api.md §1.1): a raw space, non-ASCII character or stray % is refused
// (the wording is the simulator's [A]).
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
export const PERCENT_ENCODED = 'must be percent-encoded';
export function isPercentEncoded(value: string): boolean {
  return URI_CHARS.test(value);
}

export function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

export const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/, { error: 'must be a hex color code' });
