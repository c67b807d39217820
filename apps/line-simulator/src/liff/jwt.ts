import { createHmac, createPublicKey, generateKeyPairSync, randomBytes, sign, timingSafeEqual, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export function signHs256(payload: Record<string, unknown>, secret: string): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** An ES256 signing key as LINE publishes its public half: in a JWKS at /oauth2/v2.1/certs, named by `kid`. */
export type SigningKey = { kid: string; privateKey: KeyObject; publicJwk: JsonWebKey };

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = randomBytes(32).toString('hex');
  return { kid, privateKey, publicJwk: { kty: 'EC', alg: 'ES256', use: 'sig', kid, crv: jwk.crv, x: jwk.x, y: jwk.y } };
}

/** A JWT as LIFF's ID tokens are: ES256 (r‖s, 64 bytes), the key named in the header. */
export function signEs256(payload: Record<string, unknown>, key: SigningKey): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', kid: key.kid }));
  const body = b64url(JSON.stringify(payload));
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${head}.${body}.${b64url(sig)}`;
}

export type DecodedJwt = { header: Record<string, unknown>; payload: Record<string, unknown>; signingInput: string; signature: Buffer };

export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object') return null;
    return { header: header as Record<string, unknown>, payload: payload as Record<string, unknown>, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return null;
  }
}

export function hs256Valid(jwt: DecodedJwt, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(jwt.signingInput).digest();
  return expected.length === jwt.signature.length && timingSafeEqual(expected, jwt.signature);
}

export function es256Valid(jwt: DecodedJwt, key: SigningKey): boolean {
  if (jwt.header['kid'] !== key.kid || jwt.signature.length !== 64) return false;
  return verify('sha256', Buffer.from(jwt.signingInput), { key: createPublicKey({ key: key.publicJwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, jwt.signature);
}
