import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encryption at rest with AES-256-GCM from node:crypto. Ciphertexts carry the id of the key that made them
 * (`v1.<keyId>.<iv>.<tag>.<data>`), so keys can rotate: new data uses the first key, old data still decrypts.
 * The blind-index key makes keyed hashes (HMAC-SHA-256) for exact lookups of encrypted values.
 */
export type Keyring = {
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
  blindIndex(value: string, purpose: string): string;
  activeKeyId: string;
};

export function createKeyring(keys: Array<{ id: string; key: Buffer }>, blindIndexKey: Buffer): Keyring {
  const [active] = keys;
  if (!active) throw new Error('At least one encryption key is required');
  for (const { id, key } of keys) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`Encryption key id "${id}" must be 1–32 letters, digits, _ or -`);
    if (key.length !== 32) throw new Error(`Encryption key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
  }
  if (blindIndexKey.length < 32) throw new Error('The blind-index key must be at least 32 bytes');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    activeKeyId: active.id,
    encrypt(plaintext) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', active.key, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', active.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    },
    decrypt(ciphertext) {
      const [version, keyId, iv, tag, data] = ciphertext.split('.');
      if (version !== 'v1' || !keyId || !iv || !tag || data === undefined) throw new Error('Unrecognised ciphertext');
      const key = byId.get(keyId);
      if (!key) throw new Error(`Ciphertext uses unknown key "${keyId}"`);
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
    blindIndex(value, purpose) {
      return crypto.createHmac('sha256', blindIndexKey).update(`${purpose}\u0000${value}`).digest('base64url');
    },
  };
}

/** Parses `ENCRYPTION_KEYS` (`id:base64,id:base64`) and `BLIND_INDEX_KEY` (base64). */
export function keyringFromConfig(encryptionKeys: string, blindIndexKey: string): Keyring {
  const keys = encryptionKeys.split(',').map((entry) => {
    const [id, value] = entry.trim().split(':');
    if (!id || !value) throw new Error('ENCRYPTION_KEYS must look like "k1:<base64 of 32 bytes>[,k0:<older key>]"');
    return { id, key: Buffer.from(value, 'base64') };
  });
  return createKeyring(keys, Buffer.from(blindIndexKey, 'base64'));
}

/**
 * For the embedded demo only: generates keys once and keeps them beside the database in DATA_DIR/keys.json,
 * so a newcomer needs no configuration. Production sets ENCRYPTION_KEYS and BLIND_INDEX_KEY.
 */
export function loadOrCreateLocalKeyring(dataDir: string): Keyring {
  const file = path.join(dataDir, 'keys.json');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const generated = { encryptionKeys: `local1:${crypto.randomBytes(32).toString('base64')}`, blindIndexKey: crypto.randomBytes(32).toString('base64') };
    fs.writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
  }
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { encryptionKeys: string; blindIndexKey: string };
  return keyringFromConfig(stored.encryptionKeys, stored.blindIndexKey);
}

export function ephemeralKeyring(): Keyring {
  return createKeyring([{ id: 'test', key: crypto.randomBytes(32) }], crypto.randomBytes(32));
}
