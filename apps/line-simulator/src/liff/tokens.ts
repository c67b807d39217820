import type { SimContext } from '../context.ts';
import { oauthError, SimError } from '../http/errors.ts';
import type { Channel } from '../state/types.ts';
import { decodeJwt, es256Valid, hs256Valid, signEs256 } from './jwt.ts';

export const ISSUER = 'https://access.line.me';
const ID_TOKEN_TTL_S = 3600;
const ACCESS_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

export type IdTokenInput = { userId: string; nonce?: string; ttlSeconds?: number; email?: string };

/**
 * What liff.getIDToken() would hand the LIFF page: a JWT for the channel's LINE Login channel, signed ES256 with the
 * key named in its header (LINE's LIFF tokens are; a backend may verify them with the endpoint or with the JWKS).
 */
export function issueIdToken(ctx: SimContext, channel: Channel, input: IdTokenInput): string {
  const user = ctx.store.users.get(input.userId);
  if (!user || user.providerId !== channel.providerId) throw new SimError(404, `no virtual user ${input.userId} under this channel's provider`);
  const iat = Math.floor(ctx.clock.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    sub: user.userId,
    aud: channel.loginChannelId,
    exp: iat + (input.ttlSeconds ?? ID_TOKEN_TTL_S),
    iat,
    amr: ['linesso'],
    name: user.displayName,
  };
  if (user.pictureUrl) payload['picture'] = user.pictureUrl;
  if (input.nonce !== undefined) payload['nonce'] = input.nonce;
  if (input.email !== undefined) payload['email'] = input.email;
  return signEs256(payload, ctx.store.idTokenKey);
}

export function issueAccessToken(ctx: SimContext, channel: Channel, userId: string): { accessToken: string; expiresIn: number } {
  const now = ctx.clock.now();
  const accessToken = `sim.${ctx.random.token(40)}`;
  ctx.store.liffAccessTokens.set(accessToken, { loginChannelId: channel.loginChannelId, userId, issuedAt: now, expiresAt: now + ACCESS_TOKEN_TTL_MS, scope: 'openid profile chat_message.write' });
  return { accessToken, expiresIn: ACCESS_TOKEN_TTL_MS / 1000 };
}

export type VerifyInput = { id_token?: string; client_id?: string; nonce?: string; user_id?: string };

/** POST /oauth2/v2.1/verify, checked in the order LINE documents its error descriptions. */
export function verifyIdToken(ctx: SimContext, input: VerifyInput): Record<string, unknown> {
  if (!input.id_token) throw oauthError('id_token is required');
  if (!input.client_id) throw oauthError('client_id is required');
  const jwt = decodeJwt(input.id_token);
  if (!jwt) throw oauthError('Invalid IdToken.');
  // LIFF's tokens are ES256; LINE Login's web login may sign with the channel secret (HS256).
  const issuedFor = ctx.store.byLoginChannel.get(String(jwt.payload['aud']));
  const signed = jwt.header['alg'] === 'ES256' ? es256Valid(jwt, ctx.store.idTokenKey) : jwt.header['alg'] === 'HS256' && issuedFor !== undefined && hs256Valid(jwt, issuedFor.loginChannelSecret);
  if (!issuedFor || !signed) throw oauthError('Invalid IdToken.');
  if (jwt.payload['iss'] !== ISSUER) throw oauthError('Invalid IdToken Issuer.');
  if (typeof jwt.payload['exp'] !== 'number' || jwt.payload['exp'] * 1000 <= ctx.clock.now()) throw oauthError('IdToken expired.');
  if (String(jwt.payload['aud']) !== input.client_id) throw oauthError('Invalid IdToken Audience.');
  if (input.nonce !== undefined && jwt.payload['nonce'] !== input.nonce) throw oauthError('Invalid IdToken Nonce.');
  if (input.user_id !== undefined && jwt.payload['sub'] !== input.user_id) throw oauthError('Invalid IdToken Subject Identifier.');
  return jwt.payload;
}

/** GET /oauth2/v2.1/certs: the public keys of LINE's ES256 ID tokens, as a JWKS. */
export function idTokenCerts(ctx: SimContext): { keys: unknown[] } {
  return { keys: [ctx.store.idTokenKey.publicJwk] };
}
