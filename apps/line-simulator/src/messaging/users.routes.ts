import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { lineError, MESSAGES } from '../http/errors.ts';
import { channelOf } from '../http/pipeline.ts';
import { USER_ID_RE } from '../state/friends.ts';
import type { Channel } from '../state/types.ts';

const ONE_TO_ONE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
const CONTINUATION_TTL_MS = 24 * 60 * 60 * 1000;

export function profileVisible(ctx: SimContext, channel: Channel, userId: string): boolean {
  const user = ctx.store.users.get(userId);
  const f = channel.friends.get(userId);
  if (!user || user.providerId !== channel.providerId || !f) return false;
  if (f.state === 'friend') return true;
  return f.state === 'none' && f.lastUserMessageAt !== null && ctx.clock.now() - f.lastUserMessageAt < ONE_TO_ONE_WINDOW_MS;
}

// Continuation tokens are opaque to clients and expire after 24 hours, as LINE's do.
export function encodeNext(offset: number, issuedAt: number): string {
  return Buffer.from(JSON.stringify({ o: offset, t: issuedAt })).toString('base64url');
}

export function decodeNext(ctx: SimContext, token: string): number {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; t?: unknown };
    if (typeof v.o !== 'number' || typeof v.t !== 'number' || ctx.clock.now() - v.t > CONTINUATION_TTL_MS) throw new Error('expired');
    return v.o;
  } catch {
    throw lineError(400, 'Invalid start param');
  }
}

export function usersRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v2/bot/profile/:userId', async (req) => {
    const channel = channelOf(req);
    const { userId } = req.params as { userId: string };
    if (!USER_ID_RE.test(userId)) throw lineError(400, "The value for the 'userId' parameter is invalid");
    if (!profileVisible(ctx, channel, userId)) throw lineError(404, MESSAGES.notFound);
    const user = ctx.store.users.get(userId)!;
    return {
      displayName: user.displayName,
      userId: user.userId,
      language: user.language,
      ...(user.pictureUrl ? { pictureUrl: user.pictureUrl } : {}),
      ...(user.statusMessage ? { statusMessage: user.statusMessage } : {}),
    };
  });

  app.get('/v2/bot/followers/ids', async (req) => {
    const channel = channelOf(req);
    const q = req.query as { limit?: string; start?: string };
    if (!channel.verified) throw lineError(403, 'Access to this API is not available for your account');
    const limit = q.limit === undefined ? 300 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw lineError(400, 'The request query param has 1 error(s)', [{ message: 'Must be between 1 and 1000', property: 'limit' }]);
    const offset = q.start === undefined ? 0 : decodeNext(ctx, q.start);
    const ids = [...channel.friends.values()].filter((f) => f.state === 'friend').map((f) => f.userId);
    const page = ids.slice(offset, offset + limit);
    const nextOffset = offset + page.length;
    return nextOffset < ids.length ? { userIds: page, next: encodeNext(nextOffset, ctx.clock.now()) } : { userIds: page };
  });

  app.get('/v2/bot/info', async (req) => {
    const c = channelOf(req);
    return {
      userId: c.botUserId,
      basicId: c.basicId,
      displayName: c.displayName,
      ...(c.pictureUrl ? { pictureUrl: c.pictureUrl } : {}),
      chatMode: c.chatMode,
      markAsReadMode: c.markAsReadMode,
    };
  });

  app.post('/v2/bot/user/:userId/linkToken', async (req) => {
    const channel = channelOf(req);
    const { userId } = req.params as { userId: string };
    if (!USER_ID_RE.test(userId)) throw lineError(400, "The value for the 'userId' parameter is invalid");
    if (channel.friends.get(userId)?.state !== 'friend') throw lineError(400, 'The user is not a friend of the LINE Official Account');
    const linkToken = ctx.random.token(32);
    channel.linkTokens.set(linkToken, { userId, issuedAt: ctx.clock.now(), used: false });
    return { linkToken };
  });
}
