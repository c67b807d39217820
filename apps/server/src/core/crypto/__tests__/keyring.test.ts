import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyring, keyringFromConfig } from '../keyring.ts';

const key = (n: number) => Buffer.alloc(32, n);
const blind = Buffer.alloc(32, 9);

describe('keyring', () => {
  it('encrypts with AES-256-GCM under the active key id and decrypts back', () => {
    const ring = createKeyring([{ id: 'k2', key: key(2) }], blind);
    const ciphertext = ring.encrypt('A123456789');
    expect(ciphertext).toMatch(/^v1\.k2\./);
    expect(ciphertext).not.toContain('A123456789');
    expect(ring.decrypt(ciphertext)).toBe('A123456789');
    expect(ring.encrypt('A123456789')).not.toBe(ciphertext);
  });

  it('rotates: data written under an older key still decrypts after a new key becomes active', () => {
    const old = createKeyring([{ id: 'k1', key: key(1) }], blind);
    const written = old.encrypt('護照 123456789');
    const rotated = createKeyring([{ id: 'k2', key: key(2) }, { id: 'k1', key: key(1) }], blind);
    expect(rotated.decrypt(written)).toBe('護照 123456789');
    expect(rotated.encrypt('x')).toMatch(/^v1\.k2\./);
    const withoutOld = createKeyring([{ id: 'k2', key: key(2) }], blind);
    expect(() => withoutOld.decrypt(written)).toThrow(/unknown key "k1"/);
  });

  it('detects tampering', () => {
    const ring = createKeyring([{ id: 'k1', key: key(1) }], blind);
    const parts = ring.encrypt('secret').split('.');
    parts[4] = Buffer.from('SECRET').toString('base64url');
    expect(() => ring.decrypt(parts.join('.'))).toThrow();
  });

  it('blind indexes are deterministic, keyed, and separated by purpose', () => {
    const ring = createKeyring([{ id: 'k1', key: key(1) }], blind);
    const other = createKeyring([{ id: 'k1', key: key(1) }], Buffer.alloc(32, 8));
    expect(ring.blindIndex('A123456789', 'national_id')).toBe(ring.blindIndex('A123456789', 'national_id'));
    expect(ring.blindIndex('A123456789', 'national_id')).not.toBe(ring.blindIndex('A123456789', 'passport'));
    expect(ring.blindIndex('A123456789', 'national_id')).not.toBe(other.blindIndex('A123456789', 'national_id'));
  });

  it('parses configuration and refuses wrong key sizes', () => {
    const k = crypto.randomBytes(32).toString('base64');
    expect(keyringFromConfig(`main:${k}`, k).activeKeyId).toBe('main');
    expect(() => keyringFromConfig(`main:${Buffer.alloc(16).toString('base64')}`, k)).toThrow(/32 bytes/);
    expect(() => keyringFromConfig('nonsense', k)).toThrow(/ENCRYPTION_KEYS/);
  });
});
