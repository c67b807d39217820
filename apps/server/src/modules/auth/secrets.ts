import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// argon2id with the library defaults (19 MiB, 2 passes): OWASP's recommended minimum.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/** A hash of a made-up password, verified when the email is unknown so that answer takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;
export async function verifyDecoyPassword(password: string): Promise<void> {
  decoyHash ??= hash(crypto.randomBytes(16).toString('hex'));
  await verify(await decoyHash, password).catch(() => false);
}

/** 256-bit random secret for cookies and links (43 base64url characters). */
export function randomSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

export function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += crypto.randomInt(0, 10).toString();
  return out;
}

/** Recovery codes like `k7m2-9qxd`: no 0/o/1/l to misread. */
export function randomRecoveryCode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[crypto.randomInt(0, alphabet.length)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

export function normaliseRecoveryCode(code: string): string {
  const compact = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

export function isAcceptablePassword(password: string, email: string): boolean {
  return password.length >= 10 && password.length <= 200 && password.trim().toLowerCase() !== email.toLowerCase();
}
