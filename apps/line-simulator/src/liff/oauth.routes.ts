import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from '../context.ts';
import { LineError, oauthError } from '../http/errors.ts';
import type { LiffAccessToken } from '../state/types.ts';
import { deliverWebhook } from '../webhooks/deliver.ts';
import { makeEvent } from '../webhooks/events.ts';
import { idTokenCerts, verifyIdToken, type VerifyInput } from './tokens.ts';

const LINK_TOKEN_TTL_MS = 10 * 60 * 1000;
const noAuth = { config: { line: { auth: 'none' as const } } };

function liffBearer(ctx: SimContext, req: FastifyRequest): LiffAccessToken {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  const t = m ? ctx.store.liffAccessTokens.get(m[1]!.trim()) : undefined;
  if (!t || t.expiresAt <= ctx.clock.now()) throw new LineError(401, { message: 'The access token expired' });
  return t;
}

/** LINE Login endpoints that a LIFF backend calls; they answer in the OAuth error shape. */
export function oauthRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/oauth2/v2.1/verify', noAuth, async (req) => verifyIdToken(ctx, (req.body ?? {}) as VerifyInput));
  app.get('/oauth2/v2.1/certs', noAuth, async () => idTokenCerts(ctx));

  // The same path verifies LIFF/Login access tokens and channel access tokens.
  app.get('/oauth2/v2.1/verify', noAuth, async (req) => {
    const token = (req.query as { access_token?: string }).access_token;
    if (!token) throw oauthError('access_token is required');
    const liff = ctx.store.liffAccessTokens.get(token);
    if (liff) {
      const left = Math.floor((liff.expiresAt - ctx.clock.now()) / 1000);
      if (left <= 0) throw oauthError('The access token expired');
      return { scope: liff.scope, client_id: liff.loginChannelId, expires_in: left };
    }
    const channel = ctx.store.byToken.get(token);
    // Long-lived channel tokens don't expire; report a 30-day horizon like a fresh short-lived one.
    if (channel) return { scope: '', client_id: channel.channelId, expires_in: 2_592_000 };
    throw oauthError('The access token revoked');
  });

  app.get('/v2/profile', noAuth, async (req) => {
    const t = liffBearer(ctx, req);
    const user = ctx.store.users.get(t.userId)!;
    return {
      userId: user.userId,
      displayName: user.displayName,
      ...(user.pictureUrl ? { pictureUrl: user.pictureUrl } : {}),
      ...(user.statusMessage ? { statusMessage: user.statusMessage } : {}),
    };
  });

  app.get('/oauth2/v2.1/userinfo', noAuth, async (req) => {
    const t = liffBearer(ctx, req);
    const user = ctx.store.users.get(t.userId)!;
    return { sub: user.userId, name: user.displayName, ...(user.pictureUrl ? { picture: user.pictureUrl } : {}) };
  });

  app.get('/friendship/v1/status', noAuth, async (req) => {
    const t = liffBearer(ctx, req);
    const channel = ctx.store.byLoginChannel.get(t.loginChannelId);
    return { friendFlag: channel?.friends.get(t.userId)?.state === 'friend' };
  });

  // access.line.me's account-link dialog: the browsing user is the one the token was issued for.
  app.get('/dialog/bot/accountLink', noAuth, async (req, reply) => {
    const { linkToken, nonce } = req.query as { linkToken?: string; nonce?: string };
    const now = ctx.clock.now();
    for (const channel of ctx.store.channels.values()) {
      const t = linkToken ? channel.linkTokens.get(linkToken) : undefined;
      if (!t) continue;
      // Expired or reused tokens show an error and send no webhook.
      if (t.used || now - t.issuedAt > LINK_TOKEN_TTL_MS) break;
      t.used = true;
      const ok = channel.friends.get(t.userId)?.state === 'friend' && typeof nonce === 'string' && nonce.length > 0;
      const event = ok
        ? makeEvent(ctx, channel, t.userId, 'accountLink', { link: { result: 'ok', nonce } })
        : makeEvent(ctx, channel, null, 'accountLink', { link: { result: 'failed', nonce: nonce ?? '' } }, { replyToken: false });
      await deliverWebhook(ctx, channel, [event]);
      return reply.type('text/html; charset=utf-8').send(page(ok ? '帳號連結完成' : '帳號連結失敗'));
    }
    return reply.code(400).type('text/html; charset=utf-8').send(page('連結已失效，請重新操作'));
  });
}

const page = (text: string) => `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>LINE</title><body style="font-family:sans-serif;display:grid;place-items:center;height:90vh;color:#111"><p>${text}</p></body>`;
