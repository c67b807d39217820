import { describe, expect, it } from 'vitest';
import { maskEmail } from '../../../core/masking.ts';
import { isAcceptablePassword, normaliseRecoveryCode, randomRecoveryCode, randomSecret } from '../secrets.ts';
import { currentTotp, newTotpSecret, totpStepOf } from '../totp.ts';

describe('auth secrets', () => {
  it('recovery codes are typed forgivingly', () => {
    const code = randomRecoveryCode();
    expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(normaliseRecoveryCode(` ${code.toUpperCase().replace('-', ' ')} `)).toBe(code);
  });

  it('passwords need 10 characters and must not be the email', () => {
    expect(isAcceptablePassword('short', 'a@b.c')).toBe(false);
    expect(isAcceptablePassword('mei@hotel.example', 'MEI@hotel.example')).toBe(false);
    expect(isAcceptablePassword('a long passphrase', 'a@b.c')).toBe(true);
  });

  it('session secrets are 256-bit base64url', () => {
    expect(randomSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomSecret()).not.toBe(randomSecret());
  });

  it('masks emails for the sign-in hint', () => {
    expect(maskEmail('hana@hotel.example')).toBe('h***@hotel.example');
  });

  it('accepts the current TOTP code and one step of drift, not more', () => {
    const secret = newTotpSecret();
    const now = new Date('2026-11-22T10:00:00Z');
    const step = Math.floor(now.getTime() / 30_000);
    expect(totpStepOf(secret, currentTotp(secret, now), now)).toBe(step);
    expect(totpStepOf(secret, currentTotp(secret, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(totpStepOf(secret, currentTotp(secret, new Date(now.getTime() - 120_000)), now)).toBeNull();
  });
});
