import crypto, { type JsonWebKey, type KeyObject } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import { isLineUserId } from './line-user-id.ts';

/** What LINE says (or its signature proves) about a LIFF ID token. */
export type VerifiedIdToken = { sub: string; aud: string; exp: number; name?: string; picture?: string; email?: string };

const ISSUER = 'https://access.line.me';
/** An unknown key id sends us to LINE's key set at most this often: forged tokens with made-up ids cost LINE nothing. */
const REFETCH_AFTER_MS = 60_000;
/** Keys are read again at least daily (LINE rotates them; a token names the key it was signed with). */
const MAX_AGE_MS = 24 * 3600_000;
/** After a failed read LINE is not asked again for this long: a burst of clicks during LINE's outage is no flood on it. */
const RETRY_AFTER_FAILURE_MS = 10_000;

/**
 * LIFF ID tokens checked where they arrive: LINE signs them ES256 and publishes its public keys as a JWKS at
 * /oauth2/v2.1/certs (docs: LINE Login, "Verify ID token"; ../shared/reference/line-api.md). A click report verified
 * this way needs no call to LINE per guest, so guests behind one carrier address are identified however many click
 * at once (the endpoint path had to be rationed per address, and past 30 a minute their clicks lost their tags).
 */
export function createLiffIdTokenVerifier(baseUrl: () => string) {
  let keys = new Map<string, KeyObject>();
  let keysFrom = '';
  let fetchedAt = 0;
  let failedAt = Number.NEGATIVE_INFINITY;
  let fetching: Promise<void> | undefined;

  async function fetchKeys(base: string): Promise<void> {
    const response = await fetch(`${base}/oauth2/v2.1/certs`, { signal: AbortSignal.timeout(5000) }).catch(() => {
      throw new AppError('line.unavailable');
    });
    if (!response.ok) throw new AppError('line.unavailable', { status: response.status });
    const body = (await response.json().catch(() => ({}))) as { keys?: Array<JsonWebKey & { kid?: string }> };
    const next = new Map<string, KeyObject>();
    for (const jwk of body.keys ?? []) {
      if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.kid !== 'string') continue;
      try {
        next.set(jwk.kid, crypto.createPublicKey({ key: jwk, format: 'jwk' }));
      } catch {
        // One key that does not parse is skipped: the others still prove their tokens.
      }
    }
    keys = next;
    keysFrom = base;
    fetchedAt = Date.now();
  }

  async function keyFor(kid: string): Promise<KeyObject | undefined> {
    const base = baseUrl();
    const stale = keysFrom !== base || Date.now() - fetchedAt > MAX_AGE_MS;
    if (!stale && (keys.has(kid) || Date.now() - fetchedAt <= REFETCH_AFTER_MS)) return keys.get(kid);
    if (Date.now() - failedAt > RETRY_AFTER_FAILURE_MS) {
      // One read at a time: a burst of clicks waiting on the keys shares it.
      fetching ??= fetchKeys(base)
        .catch((error: unknown) => {
          failedAt = Date.now();
          throw error;
        })
        .finally(() => (fetching = undefined));
      try {
        await fetching;
        return keys.get(kid);
      } catch (error) {
        // A key already read from this LINE still proves its tokens (LINE rotates its keys rarely, and says which key
        // signed): an outage of LINE's key set does not turn every guest anonymous.
        if (keysFrom === base && keys.has(kid)) return keys.get(kid);
        throw error;
      }
    }
    // LINE's key set failed a moment ago: the keys at hand answer, and a token they cannot check waits for LINE.
    if (keysFrom === base && keys.has(kid)) return keys.get(kid);
    throw new AppError('line.unavailable');
  }

  /**
   * The guest a LIFF ID token names, if LINE signed it for `loginChannelId` and it has not expired at `now`; else
   * liff.invalid_token (with the reason). line.unavailable when LINE's keys could not be read.
   */
  return async function verifyLiffIdToken(idToken: string, loginChannelId: string, now: Date): Promise<VerifiedIdToken> {
    const invalid = (reason: string) => new AppError('liff.invalid_token', { reason });
    const parts = idToken.split('.');
    if (parts.length !== 3) throw invalid('format');
    const [h, p, s] = parts as [string, string, string];
    let header: { alg?: unknown; kid?: unknown };
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw invalid('format');
    }
    if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object') throw invalid('format');
    // LIFF's tokens are ES256 only: nothing else is taken (no "none", no HS256 a forger could sign with a guess).
    if (header.alg !== 'ES256' || typeof header.kid !== 'string') throw invalid('algorithm');
    const signature = Buffer.from(s, 'base64url');
    const key = signature.length === 64 ? await keyFor(header.kid) : undefined;
    if (!key || !crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, signature)) throw invalid('signature');
    if (claims['iss'] !== ISSUER) throw invalid('issuer');
    if (claims['aud'] !== loginChannelId) throw invalid('audience');
    if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= now.getTime()) throw invalid('expired');
    // A LINE user id, as the webhook takes one: the database refuses any other (migration 0061).
    if (!isLineUserId(claims['sub'])) throw invalid('subject');
    const text = (name: string) => (typeof claims[name] === 'string' ? { [name]: claims[name] as string } : {});
    return { sub: claims['sub'], aud: loginChannelId, exp: claims['exp'], ...text('name'), ...text('picture'), ...text('email') };
  };
}
