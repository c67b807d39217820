import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { LineError } from '../http/errors.ts';
import { channelOf } from '../http/pipeline.ts';
import { USER_ID_RE } from '../state/friends.ts';
import type { Audience, Channel } from '../state/types.ts';

const EXPIRY_S = 180 * 24 * 3600;
const MAX_IDS_PER_CALL = 10_000;

// Audience errors carry a machine code in details[].message.
const audienceError = (message: string, code: string) => new LineError(400, { message, details: [{ message: code }] });

function parseIds(body: { audiences?: unknown }): string[] {
  const list = Array.isArray(body.audiences) ? body.audiences : [];
  if (list.length > MAX_IDS_PER_CALL) throw audienceError('too many audience ids', 'UPLOAD_AUDIENCE_GROUP_TOO_MANY_AUDIENCE_IDS');
  return list.map((a) => {
    const id = (a as { id?: unknown }).id;
    if (typeof id !== 'string' || !USER_ID_RE.test(id)) throw audienceError('invalid audience id format', 'UPLOAD_AUDIENCE_GROUP_INVALID_AUDIENCE_ID_FORMAT');
    return id;
  });
}

function audienceOr400(channel: Channel, raw: unknown): Audience {
  const a = channel.audiences.get(Number(raw));
  if (!a) throw audienceError('audience group not found', 'AUDIENCE_GROUP_NOT_FOUND');
  return a;
}

function view(a: Audience) {
  return {
    audienceGroupId: a.audienceGroupId,
    type: 'UPLOAD',
    description: a.description,
    status: a.status,
    audienceCount: a.userIds.size,
    created: a.created,
    permission: 'READ_WRITE',
    createRoute: 'MESSAGING_API',
    isIfaAudience: a.isIfaAudience,
    expireTimestamp: a.expireTimestamp,
  };
}

/** Upload-type audiences (JSON), enough to target narrowcasts; processing completes immediately. */
export function audienceRoutes(app: FastifyInstance, ctx: SimContext): void {
  const opts = { config: { line: { rate: 'audience' as const } } };
  let seq = 0;

  app.post('/v2/bot/audienceGroup/upload', opts, async (req, reply) => {
    const channel = channelOf(req);
    const body = (req.body ?? {}) as { description?: unknown; isIfaAudience?: unknown; audiences?: unknown };
    const description = typeof body.description === 'string' ? body.description : '';
    if (!description) throw audienceError('audienceGroupName is empty', 'AUDIENCE_GROUP_NAME_EMPTY');
    if (description.length > 120) throw audienceError('size over audienceGroupName', 'AUDIENCE_GROUP_NAME_SIZE_OVER');
    if (channel.audiences.size >= 1000) throw audienceError('too many audience groups', 'AUDIENCE_GROUP_COUNT_MAX_OVER');
    const ids = parseIds(body);
    const created = Math.floor(ctx.clock.now() / 1000);
    const a: Audience = {
      audienceGroupId: 1_000_000_000_000 + Number(channel.channelId.slice(-6)) * 1000 + ++seq,
      description,
      // An upload audience created empty stays IN_PROGRESS until IDs are added.
      status: ids.length > 0 ? 'READY' : 'IN_PROGRESS',
      created,
      expireTimestamp: created + EXPIRY_S,
      isIfaAudience: body.isIfaAudience === true,
      userIds: new Set(ids),
      jobs: ids.length > 0 ? [{ audienceGroupJobId: seq, description: 'initial upload', audienceCount: ids.length, created }] : [],
    };
    channel.audiences.set(a.audienceGroupId, a);
    const { audienceGroupId, type, permission, createRoute, expireTimestamp, isIfaAudience } = view(a);
    return reply.code(202).send({ audienceGroupId, createRoute, type, description, created, permission, expireTimestamp, isIfaAudience });
  });

  app.put('/v2/bot/audienceGroup/upload', opts, async (req, reply) => {
    const channel = channelOf(req);
    const body = (req.body ?? {}) as { audienceGroupId?: unknown; uploadDescription?: unknown; audiences?: unknown };
    const a = audienceOr400(channel, body.audienceGroupId);
    const ids = parseIds(body);
    if (ids.length === 0) throw audienceError('no valid audience ids', 'UPLOAD_AUDIENCE_GROUP_NO_VALID_AUDIENCE_IDS');
    for (const id of ids) a.userIds.add(id);
    a.status = 'READY';
    a.jobs.push({ audienceGroupJobId: ++seq, description: String(body.uploadDescription ?? ''), audienceCount: ids.length, created: Math.floor(ctx.clock.now() / 1000) });
    return reply.code(202).send({});
  });

  app.get('/v2/bot/audienceGroup/list', opts, async (req) => {
    const channel = channelOf(req);
    const q = req.query as { page?: string; size?: string; description?: string; status?: string };
    const page = Math.max(1, Number(q.page ?? 1));
    const size = Math.min(40, Math.max(1, Number(q.size ?? 20)));
    const all = [...channel.audiences.values()].filter((a) => (!q.description || a.description.toLowerCase().includes(q.description.toLowerCase())) && (!q.status || a.status === q.status));
    const slice = all.slice((page - 1) * size, page * size);
    return { audienceGroups: slice.map(view), hasNextPage: page * size < all.length, totalCount: all.length, readWriteAudienceGroupTotalCount: all.length, size, page };
  });

  app.get('/v2/bot/audienceGroup/:audienceGroupId', opts, async (req) => {
    const a = audienceOr400(channelOf(req), (req.params as { audienceGroupId: string }).audienceGroupId);
    return {
      audienceGroup: view(a),
      jobs: a.jobs.map((j) => ({ ...j, audienceGroupId: a.audienceGroupId, type: 'DIFF_ADD', jobStatus: 'FINISHED' })),
    };
  });

  app.put('/v2/bot/audienceGroup/:audienceGroupId/updateDescription', opts, async (req) => {
    const a = audienceOr400(channelOf(req), (req.params as { audienceGroupId: string }).audienceGroupId);
    const description = (req.body as { description?: unknown } | undefined)?.description;
    if (typeof description !== 'string' || description === '') throw audienceError('audienceGroupName is empty', 'AUDIENCE_GROUP_NAME_EMPTY');
    a.description = description;
    return {};
  });

  app.delete('/v2/bot/audienceGroup/:audienceGroupId', opts, async (req) => {
    const channel = channelOf(req);
    const a = audienceOr400(channel, (req.params as { audienceGroupId: string }).audienceGroupId);
    channel.audiences.delete(a.audienceGroupId);
    return {};
  });
}
