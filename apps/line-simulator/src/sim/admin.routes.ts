import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type SimContext, settle } from '../context.ts';
import { SimError } from '../http/errors.ts';
import { issueAccessToken, issueIdToken } from '../liff/tokens.ts';
import { channelView, createChannel, deleteChannel, requireChannel, updateChannel } from '../state/channels.ts';
import { addVirtualFriends, clearReceived, requireFriend, userView } from '../state/friends.ts';
import { createCounters } from '../state/store.ts';
import type { Channel } from '../state/types.ts';
import { block, follow, type Emit, openChat, postback, resolveUri, sendUserMessage, tap, unblock, type UserMessageInput } from './actions.ts';
import { ZAddFriends, ZAdvance, ZChannelCreate, ZDeliveryCheck, ZChannelPatch, ZLiffOpen, ZLiffToken, ZPostback, ZScriptClick, ZScriptOpen, ZTap, ZUserMessage } from './admin.schemas.ts';
import { scriptClick, scriptOpen, selectSends } from './script.ts';
import { countersView, deliveriesView, entryView, sendSummary, unitView } from './views.ts';
import { deliverWebhook } from '../webhooks/deliver.ts';
import { makeEvent } from '../webhooks/events.ts';

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new SimError(400, r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

type Params = { channelId: string; userId: string; richMenuId: string };
const params = (req: FastifyRequest) => req.params as Params;

/** The simulator's own JSON API under /_sim: channels, virtual friends, scripted behaviour, inspection. */
export function adminRoutes(app: FastifyInstance, ctx: SimContext): void {
  const channel = (req: FastifyRequest): Channel => requireChannel(ctx, params(req).channelId);
  const emitOpts = (req: FastifyRequest): Emit => ((req.query as { wait?: string }).wait === 'false' ? { wait: false } : {});
  const actionView = (r: Awaited<ReturnType<typeof follow>>) => ({
    state: r.friendship.state,
    events: r.events,
    delivery: r.delivery,
    ...(r.open ? { open: r.open } : {}),
    ...(r.copy !== undefined ? { copy: r.copy } : {}),
  });

  app.get('/_sim/health', async () => ({ ok: true, version: ctx.store.version, channels: ctx.store.channels.size }));
  app.get('/_sim/version', async () => ({ version: ctx.store.version }));

  app.get('/_sim/clock', async () => ({ now: ctx.clock.now(), iso: new Date(ctx.clock.now()).toISOString(), offsetMs: ctx.clock.offset() }));
  app.post('/_sim/clock/advance', async (req) => {
    const b = parse(ZAdvance, req.body);
    const ms = (b.ms ?? 0) + (b.seconds ?? 0) * 1000 + (b.minutes ?? 0) * 60_000 + (b.hours ?? 0) * 3_600_000 + (b.days ?? 0) * 86_400_000;
    if (ms < 0) throw new SimError(400, 'the clock only moves forward');
    ctx.clock.advance(ms);
    ctx.store.version++;
    return { now: ctx.clock.now(), iso: new Date(ctx.clock.now()).toISOString(), offsetMs: ctx.clock.offset() };
  });

  app.post('/_sim/reset', async () => {
    await settle(ctx);
    const s = ctx.store;
    for (const m of [s.channels, s.byToken, s.byLoginChannel, s.users, s.liffAccessTokens]) m.clear();
    s.version++;
    return { ok: true };
  });

  app.get('/_sim/channels', async () => ({ channels: [...ctx.store.channels.values()].map(channelView) }));
  app.post('/_sim/channels', async (req, reply) => reply.code(201).send(channelView(createChannel(ctx, parse(ZChannelCreate, req.body)))));
  app.get('/_sim/channels/:channelId', async (req) => channelView(channel(req)));
  app.patch('/_sim/channels/:channelId', async (req) => channelView(updateChannel(ctx, channel(req), parse(ZChannelPatch, req.body))));
  app.delete('/_sim/channels/:channelId', async (req, reply) => {
    deleteChannel(ctx, channel(req));
    return reply.code(204).send();
  });

  // Clears what a benchmark run leaves behind, keeping credentials and (by default) the friends.
  app.post('/_sim/channels/:channelId/reset', async (req) => {
    const c = channel(req);
    const keepFriends = (req.body as { keepFriends?: boolean } | undefined)?.keepFriends !== false;
    await settle(ctx);
    for (const m of [c.retryKeys, c.buckets, c.usage, c.sends, c.unitsByMonth, c.narrowcasts, c.replyTokens, c.linkTokens, c.deliveryCounts, c.unitDeliveries, c.recentDeliveries]) m.clear();
    c.webhookLog.length = 0;
    c.pending429 = 0;
    c.pending500 = 0;
    c.counters = createCounters();
    if (keepFriends) {
      for (const f of c.friends.values()) clearReceived(f);
    } else c.friends.clear();
    ctx.store.version++;
    return { ok: true };
  });

  app.post('/_sim/channels/:channelId/friends', async (req, reply) => {
    const c = channel(req);
    const input = parse(ZAddFriends, req.body);
    const added = addVirtualFriends(ctx, c, input);
    if (input.webhooks && (input.state ?? 'friend') === 'friend') {
      for (const { user } of added) await deliverWebhook(ctx, c, [makeEvent(ctx, c, user.userId, 'follow', { follow: { isUnblocked: false } })]);
    }
    return reply.code(201).send({ friends: added.map(({ user, friendship }) => userView(user, friendship)) });
  });

  app.get('/_sim/channels/:channelId/friends', async (req) => {
    const c = channel(req);
    const state = (req.query as { state?: string }).state;
    const list = [...c.friends.values()].filter((f) => !state || f.state === state);
    return { friends: list.map((f) => userView(ctx.store.users.get(f.userId)!, f)) };
  });

  app.get('/_sim/channels/:channelId/friends/:userId', async (req) => {
    const c = channel(req);
    const f = requireFriend(c, params(req).userId);
    return { ...userView(ctx.store.users.get(f.userId)!, f), richMenuId: f.richMenuId };
  });

  app.get('/_sim/channels/:channelId/friends/:userId/messages', async (req) => {
    const f = requireFriend(channel(req), params(req).userId);
    const q = req.query as { since?: string; kind?: string };
    const since = Number(q.since ?? 0);
    const entries = f.timeline.filter((e) => e.seq > since && (!q.kind || e.kind === q.kind));
    return { userId: f.userId, state: f.state, messages: entries.map(entryView) };
  });

  const friendAction = (path: string, run: (req: FastifyRequest, c: Channel, userId: string) => Promise<Awaited<ReturnType<typeof follow>>>) =>
    app.post(`/_sim/channels/:channelId/friends/:userId/${path}`, async (req) => actionView(await run(req, channel(req), params(req).userId)));

  friendAction('follow', (req, c, u) => follow(ctx, c, u, emitOpts(req)));
  friendAction('block', (req, c, u) => block(ctx, c, u, emitOpts(req)));
  friendAction('unfollow', (req, c, u) => block(ctx, c, u, emitOpts(req)));
  friendAction('unblock', (req, c, u) => unblock(ctx, c, u, emitOpts(req)));
  friendAction('message', (req, c, u) => {
    const m = parse(ZUserMessage, req.body);
    return sendUserMessage(ctx, c, u, ('type' in m && m.type ? m : { ...m, type: 'text' }) as UserMessageInput, emitOpts(req));
  });
  friendAction('postback', (req, c, u) => postback(ctx, c, u, parse(ZPostback, req.body), emitOpts(req)));
  friendAction('tap', (req, c, u) => {
    const b = parse(ZTap, req.body);
    return tap(ctx, c, u, { action: b.action, ...(b.messageId ? { messageId: b.messageId } : {}), ...(b.datetime ? { datetime: b.datetime } : {}), ...(b.fromQuickReply ? { fromQuickReply: true } : {}) }, emitOpts(req));
  });
  app.post('/_sim/channels/:channelId/friends/:userId/open', async (req) => {
    const ids = (req.body as { messageIds?: string[] } | undefined)?.messageIds;
    return openChat(ctx, channel(req), params(req).userId, Array.isArray(ids) ? ids : undefined);
  });

  app.post('/_sim/channels/:channelId/script/open', async (req) => scriptOpen(ctx, channel(req), parse(ZScriptOpen, req.body)));
  app.post('/_sim/channels/:channelId/script/click', async (req) => scriptClick(ctx, channel(req), parse(ZScriptClick, req.body)));

  app.get('/_sim/channels/:channelId/counters', async (req) => countersView(ctx, channel(req)));
  app.get('/_sim/counters', async () => ({ channels: [...ctx.store.channels.values()].map((c) => countersView(ctx, c)) }));

  type DeliveryFilter = { requestId?: string | undefined; unit?: string | undefined; retryKey?: string | undefined; textContains?: string | undefined; endpoint?: string | undefined };
  const matching = (c: Channel, q: DeliveryFilter) =>
    [...c.sends.values()].filter(
      (s) =>
        (!q.requestId || s.requestId === q.requestId) &&
        (!q.unit || s.unit === q.unit || s.requestedUnit === q.unit) &&
        (!q.retryKey || s.retryKey === q.retryKey.toLowerCase()) &&
        (!q.endpoint || s.endpoint === q.endpoint) &&
        (!q.textContains || JSON.stringify(s.messages).includes(q.textContains)),
    );

  app.get('/_sim/channels/:channelId/deliveries', async (req) => {
    const q = req.query as DeliveryFilter & { summary?: string };
    return deliveriesView(matching(channel(req), q), { summary: q.summary === '1' || q.summary === 'true' });
  });

  // The same, checked against the audience that should have received it (too long for a query string).
  app.post('/_sim/channels/:channelId/deliveries/check', async (req) => {
    const c = channel(req);
    const { audience, summary, ...filter } = parse(ZDeliveryCheck, req.body);
    return deliveriesView(matching(c, filter), { ...(audience ? { audience } : {}), ...(summary ? { summary } : {}) }, c);
  });

  app.get('/_sim/channels/:channelId/units/:unit', async (req) => {
    const q = req.query as { summary?: string };
    return unitView(channel(req), (req.params as { unit: string }).unit, { summary: q.summary === '1' || q.summary === 'true' });
  });

  app.get('/_sim/channels/:channelId/sends', async (req) => {
    const limit = Number((req.query as { limit?: string }).limit ?? 100);
    return { sends: [...channel(req).sends.values()].slice(-limit).map(sendSummary) };
  });

  app.get('/_sim/channels/:channelId/stats', async (req) => {
    const q = req.query as { requestId?: string; unit?: string; textContains?: string };
    return { sends: selectSends(channel(req), q).map(sendSummary) };
  });

  app.get('/_sim/channels/:channelId/webhooks', async (req) => {
    const limit = Number((req.query as { limit?: string }).limit ?? 100);
    return { deliveries: channel(req).webhookLog.slice(-limit) };
  });

  app.post('/_sim/channels/:channelId/faults/burst', async (req) => {
    const c = channel(req);
    const count = Number((req.body as { count?: unknown } | undefined)?.count ?? 1);
    if (!Number.isInteger(count) || count < 0) throw new SimError(400, 'count must be a non-negative integer');
    c.pending429 = count;
    return { pending429: c.pending429 };
  });

  app.post('/_sim/liff/token', async (req) => {
    const b = parse(ZLiffToken, req.body);
    const c = requireChannel(ctx, b.channelId);
    requireFriendOrUser(ctx, c, b.userId);
    const idToken = issueIdToken(ctx, c, { userId: b.userId, ...(b.nonce !== undefined ? { nonce: b.nonce } : {}), ...(b.ttlSeconds !== undefined ? { ttlSeconds: b.ttlSeconds } : {}), ...(b.email !== undefined ? { email: b.email } : {}) });
    const { accessToken, expiresIn } = issueAccessToken(ctx, c, b.userId);
    return { idToken, accessToken, expiresIn, loginChannelId: c.loginChannelId };
  });

  app.post('/_sim/liff/open', async (req) => {
    const b = parse(ZLiffOpen, req.body);
    const c = requireChannel(ctx, b.channelId);
    requireFriendOrUser(ctx, c, b.userId);
    return { url: resolveUri(ctx, c, b.userId, b.url) };
  });

  app.get('/_sim/channels/:channelId/richmenus/:richMenuId/image', async (req, reply: FastifyReply) => {
    const m = channel(req).richMenus.get(params(req).richMenuId);
    if (!m?.image) throw new SimError(404, 'no image');
    return reply.type(m.image.contentType).header('cache-control', 'max-age=3600').send(m.image.data);
  });
}

function requireFriendOrUser(ctx: SimContext, c: Channel, userId: string): void {
  const u = ctx.store.users.get(userId);
  if (!u || u.providerId !== c.providerId) throw new SimError(404, `no virtual user ${userId} under this channel's provider`);
}
