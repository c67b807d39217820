import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { LineError, lineError, MESSAGES } from '../http/errors.ts';
import { channelOf } from '../http/pipeline.ts';
import { jstDateKey, parseJstDate } from '../state/clock.ts';
import { summarize } from './stats.ts';

const DAY_MS = 86_400_000;
const UNIT_RE = /^[a-zA-Z0-9_]{1,30}$/;
// LINE documents this odd all-null body for a bad per-unit statistics request.
const PER_UNIT_BAD_REQUEST = { message: null, key: null, stacktrace: null, code: null };

export function insightRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v2/bot/insight/message/event/aggregation', { config: { line: { rate: 'hourly60' } } }, async (req) => {
    const channel = channelOf(req);
    const q = req.query as { customAggregationUnit?: string; from?: string; to?: string };
    const from = q.from ? parseJstDate(q.from) : null;
    const to = q.to ? parseJstDate(q.to) : null;
    if (!q.customAggregationUnit || !UNIT_RE.test(q.customAggregationUnit) || from === null || to === null || to < from || to - from > 30 * DAY_MS) {
      throw new LineError(400, PER_UNIT_BAD_REQUEST);
    }
    const sends = [...channel.sends.values()].filter((s) => s.unit === q.customAggregationUnit && s.acceptedAt >= from && s.acceptedAt < to + DAY_MS);
    return summarize(sends, true);
  });

  app.get('/v2/bot/insight/message/event', { config: { line: { rate: 'hourly60' } } }, async (req) => {
    const channel = channelOf(req);
    const { requestId } = req.query as { requestId?: string };
    if (!requestId) throw lineError(400, 'The request query param has 1 error(s)', [{ message: 'May not be empty', property: 'requestId' }]);
    const send = channel.sends.get(requestId);
    if (!send || (send.endpoint !== 'broadcast' && send.endpoint !== 'narrowcast')) throw lineError(404, MESSAGES.notFound);
    const s = summarize([send], false);
    return {
      overview: { requestId, timestamp: Math.floor(send.acceptedAt / 1000), delivered: send.delivered.length, ...s.overview },
      messages: s.messages,
      clicks: s.clicks,
    };
  });

  app.get('/v2/bot/insight/followers', { config: { line: { rate: 'hourly60' } } }, async (req) => {
    const channel = channelOf(req);
    const { date } = req.query as { date?: string };
    if (!date) throw lineError(400, 'date is required');
    const start = parseJstDate(date);
    if (start === null) throw lineError(400, 'The request query param has 1 error(s)', [{ message: 'Invalid date format', property: 'date' }]);
    if (date >= jstDateKey(ctx.clock.now())) return { status: 'unready', followers: null, targetedReaches: null, blocks: null };
    const end = start + DAY_MS;
    const everFollowed = [...channel.friends.values()].filter((f) => f.followedAt !== null && f.followedAt < end);
    return {
      status: 'ready',
      followers: everFollowed.length + [...channel.friends.values()].filter((f) => f.state === 'blocked' && (f.followedAt === null || f.followedAt >= end)).length,
      targetedReaches: everFollowed.filter((f) => f.state === 'friend').length,
      blocks: [...channel.friends.values()].filter((f) => f.state === 'blocked').length,
    };
  });

  app.get('/v2/bot/insight/demographic', { config: { line: { rate: 'hourly60' } } }, async (req) => {
    const channel = channelOf(req);
    const users = [...channel.friends.values()].filter((f) => f.state === 'friend').map((f) => ctx.store.users.get(f.userId)!);
    if (users.length < 20) return { available: false };
    const pct = (key: (u: (typeof users)[number]) => string, label: string) => {
      const counts = new Map<string, number>();
      for (const u of users) counts.set(key(u), (counts.get(key(u)) ?? 0) + 1);
      return [...counts].map(([k, n]) => ({ [label]: k, percentage: Math.round((n / users.length) * 1000) / 10 }));
    };
    const ageLabel = (a: string) => {
      const n = Number(a.replace('age_', ''));
      return n >= 50 ? 'from50' : `from${n}to${n + 4}`;
    };
    return {
      available: true,
      genders: pct((u) => u.gender, 'gender'),
      ages: pct((u) => ageLabel(u.age), 'age'),
      areas: pct((u) => u.area, 'area'),
      appTypes: pct((u) => (u.appType === 'pc' ? 'others' : u.appType), 'appType'),
      subscriptionPeriods: pct(() => 'within7days', 'subscriptionPeriod'),
    };
  });
}
