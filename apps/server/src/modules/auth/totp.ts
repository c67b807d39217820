import QRCode from 'qrcode';
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
  return { uri, qrCodeDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }), secret: secretBase32 };
}

/** Accepts the current code and one step either side, for clocks that drift a little. */
export function isValidTotp(secretBase32: string, code: string, now: Date): boolean {
  return totpFor(secretBase32, ISSUER).validate({ token: code, timestamp: now.getTime(), window: 1 }) !== null;
}

export function currentTotp(secretBase32: string, now: Date): string {
  return totpFor(secretBase32, ISSUER).generate({ timestamp: now.getTime() });
}
