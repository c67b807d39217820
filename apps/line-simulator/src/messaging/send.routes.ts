import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from '../context.ts';
import { invalidProperty, lineError, MESSAGES } from '../http/errors.ts';
import { channelOf } from '../http/pipeline.ts';
import { USER_ID_RE } from '../state/friends.ts';
import type { Friendship } from '../state/types.ts';
import { checkNarrowcast, progressView, PROGRESS_WINDOW_MS, runNarrowcast } from './narrowcast.ts';
import { assertQuota, assertSameUserLimit, makeMessageIds, performSend, remainingQuota } from './send.ts';
import type { UrlPolicy } from './validation/common.ts';
import { broadcastSchema, checkDemographic, checkRecipient, multicastSchema, narrowcastSchema, parseSendRequest, pushSchema, replySchema, validateSchema } from './validation/requests.ts';

const TO_RE = /^[UCR][0-9a-f]{32}$/;
const REPLY_TOKEN_MAX_AGE_MS = 20 * 60 * 1000;

const sentView = (ids: { id: string; quoteToken: string | null }[]) => ids.map(({ id, quoteToken }) => (quoteToken ? { id, quoteToken } : { id }));

export function sendRoutes(app: FastifyInstance, ctx: SimContext): void {
  // Strict HTTPS (and the rest of the URL rules) per channel, so a test or bench can switch it on for its own channel.
  const policyOf = (req: FastifyRequest): UrlPolicy => ({ strictHttps: channelOf(req).strictHttps ?? ctx.options.strictHttps });

  app.post('/v2/bot/message/push', { config: { line: { retryKey: true } } }, async (req) => {
    const channel = channelOf(req);
    const body = parseSendRequest(pushSchema, req.body, policyOf(req));
    if (!TO_RE.test(body.to)) throw invalidProperty("'to'");
    // The simulated OA is in no groups or rooms, and IDs from another provider don't exist in this channel.
    const user = ctx.store.users.get(body.to);
    if (!body.to.startsWith('U') || (user && user.providerId !== channel.providerId)) throw lineError(400, MESSAGES.failedToSend);
    assertSameUserLimit(ctx, channel, body.to, body.messages.length);
    const ids = makeMessageIds(ctx, body.messages);
    performSend(ctx, channel, {
      endpoint: 'push',
      requestId: req.sim.requestId,
      retryKey: req.sim.retryKey,
      messages: body.messages,
      recipients: [body.to],
      unit: body.customAggregationUnits?.[0] ?? null,
      countsQuota: true,
      messageIds: ids,
    });
    return { sentMessages: sentView(ids) };
  });

  app.post('/v2/bot/message/multicast', { config: { line: { retryKey: true, rate: 'multicast' } } }, async (req) => {
    const channel = channelOf(req);
    const body = parseSendRequest(multicastSchema, req.body, policyOf(req));
    // One look-up per recipient, handed on to performSend. A friend of this channel is a user of its provider (friends
    // are only made there) whose id has LINE's form (U and 32 hex digits: friends are only made with such ids), so only
    // an id that is no friend needs the form's check and the provider check against the users; the first id at fault
    // is the one named, as before.
    const friendships = new Array<Friendship | undefined>(body.to.length);
    for (let i = 0; i < body.to.length; i++) {
      const id = body.to[i]!;
      const friendship = channel.friends.get(id);
      if (friendship) {
        friendships[i] = friendship;
        continue;
      }
      if (!USER_ID_RE.test(id)) throw invalidProperty(`to[${i}]`);
      const user = ctx.store.users.get(id);
      if (user && user.providerId !== channel.providerId) throw invalidProperty(`to[${i}]`);
    }
    performSend(ctx, channel, {
      friendships,
      endpoint: 'multicast',
      requestId: req.sim.requestId,
      retryKey: req.sim.retryKey,
      messages: body.messages,
      recipients: body.to,
      unit: body.customAggregationUnits?.[0] ?? null,
      countsQuota: true,
    });
    return {};
  });

  app.post('/v2/bot/message/broadcast', { config: { line: { retryKey: true, rate: 'hourly60' } } }, async (req) => {
    const channel = channelOf(req);
    const body = parseSendRequest(broadcastSchema, req.body, policyOf(req));
    const everyone = [...channel.friends.values()].filter((f) => f.state === 'friend').map((f) => f.userId);
    performSend(ctx, channel, { endpoint: 'broadcast', requestId: req.sim.requestId, retryKey: req.sim.retryKey, messages: body.messages, recipients: everyone, countsQuota: true });
    return {};
  });

  app.post('/v2/bot/message/narrowcast', { config: { line: { retryKey: true, rate: 'hourly60' } } }, async (req, reply) => {
    const channel = channelOf(req);
    const body = parseSendRequest(narrowcastSchema, req.body, policyOf(req));
    const input = {
      requestId: req.sim.requestId,
      retryKey: req.sim.retryKey,
      messages: body.messages,
      recipient: body.recipient === undefined ? null : checkRecipient(body.recipient),
      demographic: body.filter?.demographic === undefined ? null : checkDemographic(body.filter.demographic),
      limit: body.limit,
    };
    checkNarrowcast(ctx, channel, input);
    if (remainingQuota(ctx, channel) === 0) assertQuota(ctx, channel, 1);
    runNarrowcast(ctx, channel, input);
    return reply.code(202).send({});
  });

  app.get('/v2/bot/message/progress/narrowcast', async (req) => {
    const channel = channelOf(req);
    const requestId = (req.query as { requestId?: string }).requestId;
    if (!requestId) throw lineError(400, 'The request query param has 1 error(s)', [{ message: 'May not be empty', property: 'requestId' }]);
    const job = channel.narrowcasts.get(requestId);
    if (!job || ctx.clock.now() - job.acceptedAt > PROGRESS_WINDOW_MS) throw lineError(404, MESSAGES.notFound);
    return progressView(job);
  });

  app.post('/v2/bot/message/reply', async (req) => {
    const channel = channelOf(req);
    const body = parseSendRequest(replySchema, req.body, policyOf(req));
    const token = channel.replyTokens.get(body.replyToken);
    const now = ctx.clock.now();
    if (!token || token.used || now - token.deliveredAt > ctx.options.replyTokenTtlMs || now - token.eventAt > REPLY_TOKEN_MAX_AGE_MS) {
      throw lineError(400, MESSAGES.invalidReplyToken);
    }
    token.used = true;
    const ids = makeMessageIds(ctx, body.messages);
    performSend(ctx, channel, { endpoint: 'reply', requestId: req.sim.requestId, retryKey: null, messages: body.messages, recipients: [token.userId], countsQuota: false, messageIds: ids });
    return { sentMessages: sentView(ids) };
  });

  for (const kind of ['reply', 'push', 'multicast', 'narrowcast', 'broadcast']) {
    app.post(`/v2/bot/message/validate/${kind}`, async (req) => {
      parseSendRequest(validateSchema, req.body, policyOf(req));
      return {};
    });
  }

  // Cheap endpoints a CRM may call around conversations.
  app.post('/v2/bot/chat/loading/start', { config: { line: { rate: 'loading' } } }, async (req, reply) => {
    const chatId = (req.body as { chatId?: unknown } | undefined)?.chatId;
    if (typeof chatId !== 'string' || !USER_ID_RE.test(chatId)) throw lineError(400, 'The request body has 1 error(s)', [{ message: 'May not be empty', property: 'chatId' }]);
    return reply.code(202).send({});
  });
  app.post('/v2/bot/chat/markAsRead', async () => ({}));
}
