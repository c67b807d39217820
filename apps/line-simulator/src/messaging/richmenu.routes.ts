import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { LineError, lineError, MESSAGES, requestBodyErrors } from '../http/errors.ts';
import { channelOf } from '../http/pipeline.ts';
import { USER_ID_RE } from '../state/friends.ts';
import type { Channel, RichMenu } from '../state/types.ts';
import { imageSize, richMenuSchema, richMenuView } from './richmenu.ts';
import { bodyIssuesToError } from './validation/issues.ts';

const MAX_MENUS = 1000;
const MAX_IMAGE_BYTES = 1024 * 1024;
const ALIAS_RE = /^[a-z0-9_-]{1,32}$/;

function parseMenu(body: unknown) {
  const r = richMenuSchema.safeParse(body ?? {}, { reportInput: true });
  if (!r.success) throw bodyIssuesToError(r.error.issues);
  return r.data;
}

function menuOr404(channel: Channel, id: string): RichMenu {
  const m = channel.richMenus.get(id);
  if (!m) throw lineError(404, MESSAGES.notFound);
  return m;
}

function requireImage(m: RichMenu): void {
  if (!m.image) throw lineError(400, 'must upload richmenu image before applying it to user');
}

function userIdsOf(body: unknown): string[] {
  const ids = (body as { userIds?: unknown } | undefined)?.userIds;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 500) throw requestBodyErrors([{ message: 'Size must be between 1 and 500', property: 'userIds' }]);
  return ids.map(String);
}

export function richMenuRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/v2/bot/richmenu', { config: { line: { rate: 'richMenuWrite' } } }, async (req) => {
    const channel = channelOf(req);
    const menu = parseMenu(req.body);
    if (channel.richMenus.size >= MAX_MENUS) throw lineError(400, 'The number of rich menus has reached the upper limit');
    const richMenuId = `richmenu-${ctx.random.hex(32)}`;
    channel.richMenus.set(richMenuId, { richMenuId, ...menu, image: null } as RichMenu);
    ctx.store.version++;
    return { richMenuId };
  });

  app.post('/v2/bot/richmenu/validate', async (req) => {
    parseMenu(req.body);
    return {};
  });

  app.get('/v2/bot/richmenu/list', { config: { line: { rate: 'richMenuList' } } }, async (req) => ({ richmenus: [...channelOf(req).richMenus.values()].map(richMenuView) }));

  app.get('/v2/bot/richmenu/:richMenuId', async (req) => richMenuView(menuOr404(channelOf(req), (req.params as { richMenuId: string }).richMenuId)));

  app.delete('/v2/bot/richmenu/:richMenuId', { config: { line: { rate: 'richMenuWrite' } } }, async (req) => {
    const channel = channelOf(req);
    const m = menuOr404(channel, (req.params as { richMenuId: string }).richMenuId);
    channel.richMenus.delete(m.richMenuId);
    if (channel.defaultRichMenuId === m.richMenuId) channel.defaultRichMenuId = null;
    ctx.store.version++;
    return {};
  });

  // api-data.line.me: the simulator serves both hosts' paths on one origin.
  app.post('/v2/bot/richmenu/:richMenuId/content', { bodyLimit: 2 * MAX_IMAGE_BYTES }, async (req) => {
    const channel = channelOf(req);
    const m = menuOr404(channel, (req.params as { richMenuId: string }).richMenuId);
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (type !== 'image/jpeg' && type !== 'image/png') throw lineError(415, `The content type, ${type}, is not supported`);
    const data = req.body as Buffer;
    if (m.image) throw lineError(400, 'An image has already been uploaded to the richmenu');
    const dims = Buffer.isBuffer(data) ? imageSize(data) : null;
    if (!dims || data.length > MAX_IMAGE_BYTES || dims.width < 800 || dims.width > 2500 || dims.height < 250 || dims.width / dims.height < 1.45) {
      throw lineError(400, 'The image size is not allowed for richmenu');
    }
    m.image = { contentType: type, data };
    ctx.store.version++;
    return {};
  });

  app.get('/v2/bot/richmenu/:richMenuId/content', async (req, reply) => {
    const m = menuOr404(channelOf(req), (req.params as { richMenuId: string }).richMenuId);
    if (!m.image) throw lineError(404, MESSAGES.notFound);
    return reply.type(m.image.contentType).send(m.image.data);
  });

  app.post('/v2/bot/user/all/richmenu/:richMenuId', async (req) => {
    const channel = channelOf(req);
    const m = menuOr404(channel, (req.params as { richMenuId: string }).richMenuId);
    requireImage(m);
    channel.defaultRichMenuId = m.richMenuId;
    ctx.store.version++;
    return {};
  });

  app.get('/v2/bot/user/all/richmenu', async (req) => {
    const id = channelOf(req).defaultRichMenuId;
    if (!id) throw new LineError(404, { message: 'no default richmenu', details: [] });
    return { richMenuId: id };
  });

  app.delete('/v2/bot/user/all/richmenu', async (req) => {
    channelOf(req).defaultRichMenuId = null;
    ctx.store.version++;
    return {};
  });

  app.post('/v2/bot/user/:userId/richmenu/:richMenuId', async (req) => {
    const channel = channelOf(req);
    const { userId, richMenuId } = req.params as { userId: string; richMenuId: string };
    if (!USER_ID_RE.test(userId)) throw lineError(400, "The value for the 'userId' parameter is invalid");
    const m = menuOr404(channel, richMenuId);
    requireImage(m);
    // Linking for a blocked, non-friend or unknown user is accepted and does nothing visible.
    const f = channel.friends.get(userId);
    if (f) f.richMenuId = m.richMenuId;
    ctx.store.version++;
    return {};
  });

  app.get('/v2/bot/user/:userId/richmenu', async (req) => {
    const channel = channelOf(req);
    const { userId } = req.params as { userId: string };
    if (!USER_ID_RE.test(userId)) throw lineError(400, "The value for the 'userId' parameter is invalid");
    const id = channel.friends.get(userId)?.richMenuId;
    if (!id || !channel.richMenus.has(id)) throw new LineError(404, { message: 'the user has no richmenu', details: [] });
    return { richMenuId: id };
  });

  app.delete('/v2/bot/user/:userId/richmenu', async (req) => {
    const channel = channelOf(req);
    const { userId } = req.params as { userId: string };
    if (!USER_ID_RE.test(userId)) throw lineError(400, "The value for the 'userId' parameter is invalid");
    const f = channel.friends.get(userId);
    if (f) f.richMenuId = null;
    ctx.store.version++;
    return {};
  });

  app.post('/v2/bot/richmenu/bulk/link', async (req, reply) => {
    const channel = channelOf(req);
    const m = menuOr404(channel, String((req.body as { richMenuId?: unknown } | undefined)?.richMenuId ?? ''));
    requireImage(m);
    for (const id of userIdsOf(req.body)) {
      const f = channel.friends.get(id);
      if (f) f.richMenuId = m.richMenuId;
    }
    ctx.store.version++;
    return reply.code(202).send({});
  });

  app.post('/v2/bot/richmenu/bulk/unlink', async (req, reply) => {
    const channel = channelOf(req);
    for (const id of userIdsOf(req.body)) {
      const f = channel.friends.get(id);
      if (f) f.richMenuId = null;
    }
    ctx.store.version++;
    return reply.code(202).send({});
  });

  app.post('/v2/bot/richmenu/alias', async (req) => {
    const channel = channelOf(req);
    const { richMenuAliasId, richMenuId } = (req.body ?? {}) as { richMenuAliasId?: string; richMenuId?: string };
    if (!richMenuAliasId || !ALIAS_RE.test(richMenuAliasId)) throw requestBodyErrors([{ message: `Must match "${ALIAS_RE.source}"`, property: 'richMenuAliasId' }]);
    const m = menuOr404(channel, String(richMenuId ?? ''));
    requireImage(m);
    if (channel.aliases.has(richMenuAliasId)) throw lineError(400, 'conflict richmenu alias id');
    channel.aliases.set(richMenuAliasId, m.richMenuId);
    return {};
  });

  app.get('/v2/bot/richmenu/alias/list', async (req) => ({
    aliases: [...channelOf(req).aliases].map(([richMenuAliasId, richMenuId]) => ({ richMenuAliasId, richMenuId })),
  }));

  app.get('/v2/bot/richmenu/alias/:richMenuAliasId', async (req) => {
    const { richMenuAliasId } = req.params as { richMenuAliasId: string };
    const richMenuId = channelOf(req).aliases.get(richMenuAliasId);
    if (!richMenuId) throw lineError(404, MESSAGES.notFound);
    return { richMenuAliasId, richMenuId };
  });

  app.post('/v2/bot/richmenu/alias/:richMenuAliasId', async (req) => {
    const channel = channelOf(req);
    const { richMenuAliasId } = req.params as { richMenuAliasId: string };
    if (!channel.aliases.has(richMenuAliasId)) throw lineError(404, MESSAGES.notFound);
    const m = menuOr404(channel, String((req.body as { richMenuId?: unknown } | undefined)?.richMenuId ?? ''));
    requireImage(m);
    channel.aliases.set(richMenuAliasId, m.richMenuId);
    return {};
  });

  app.delete('/v2/bot/richmenu/alias/:richMenuAliasId', { config: { line: { rate: 'richMenuWrite' } } }, async (req) => {
    const { richMenuAliasId } = req.params as { richMenuAliasId: string };
    if (!channelOf(req).aliases.delete(richMenuAliasId)) throw lineError(404, MESSAGES.notFound);
    return {};
  });
}
