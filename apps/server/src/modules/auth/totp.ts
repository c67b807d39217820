import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Innkeeper';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

/** The enrolment an authenticator app scans: the otpauth:// URI and the same as a QR code image. */
export async function totpEnrolment(secretBase32: string, label: string): Promise<{ uri: string; qrCodeDataUrl: string; secret: string }> {
  const uri = totpFor(secretBase32, label).toString();
  // Loaded when someone enrols (rare), not by every process at start.
  const { default: QRCode } = await import('qrcode');
  return { uri, qrCodeDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }), secret: secretBase32 };
}

const PERIOD_MS = 30_000;

/**
 * The time step (30-second counter) of a correct code, or null: the current step and one either side are accepted, for
 * clocks that drift a little. The caller takes the step (claimTotpStep) so that each code is used once.
 */
export function totpStepOf(secretBase32: string, code: string, now: Date): number | null {
  const delta = totpFor(secretBase32, ISSUER).validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / PERIOD_MS) + delta;
}

export function currentTotp(secretBase32: string, now: Date): string {
  return totpFor(secretBase32, ISSUER).generate({ timestamp: now.getTime() });
}
