import { z } from 'zod';
import { parseEmail } from './email.ts';
import { normaliseDocumentNumber } from './full-width.ts';
import { parseIdentityDocument, type IdentityDocument, type IdentityDocumentKind } from './identity-document.ts';
import { EMAIL_MESSAGE_KEYS, identityDocumentMessageKey, MOBILE_MESSAGE_KEYS } from './messages.ts';
import { normaliseMobile, type MobileNumber } from './mobile.ts';

/*
 * Request schemas that normalise while they validate. A failure is one custom issue whose message is a
 * FIELD_MESSAGES key (see messages.ts), which the API error handler localises. Empty input is `field.required`;
 * wrap in `.optional()` / `.nullable()` where the field may be left out.
 */

/**
 * ID or passport number → `{ value, kind }`. It sees the number alone, so passports come without an issuing
 * country; where the form has one, call `parseIdentityDocument(number, hint, { issuingCountry })` instead.
 */
export function zIdentityDocument(hint?: IdentityDocumentKind) {
  return z
    .string()
    .max(64)
    .transform((input, ctx): IdentityDocument => {
      const result = parseIdentityDocument(input, hint);
      if (result.ok) {
        const { ok: _ok, ...document } = result;
        return document;
      }
      const empty = normaliseDocumentNumber(input) === '';
      ctx.addIssue({ code: 'custom', message: empty ? 'field.required' : identityDocumentMessageKey(result.reason, hint) });
      return z.NEVER;
    });
}

/** Auto-detects a Taiwan national ID, resident certificate (old or new) or passport number. */
export const ZNationalIdOrPassport = zIdentityDocument();

/** Phone number (default country TW) → `MobileNumber`, landlines included with `isMobile: false`. */
export const ZMobile = z
  .string()
  .max(64)
  .transform((input, ctx): MobileNumber => {
    const result = normaliseMobile(input);
    if (result.ok) {
      const { ok: _ok, ...mobile } = result;
      return mobile;
    }
    ctx.addIssue({ code: 'custom', message: MOBILE_MESSAGE_KEYS[result.reason] });
    return z.NEVER;
  });

/** Email address → the normalised (trimmed, lower-cased) address. */
export const ZEmailAddress = z
  .string()
  .max(320)
  .transform((input, ctx): string => {
    const result = parseEmail(input);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: EMAIL_MESSAGE_KEYS[result.reason] });
    return z.NEVER;
  });
