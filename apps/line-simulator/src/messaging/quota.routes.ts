import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { lineError } from '../http/errors.ts';
import { channelOf } from '../http/pipeline.ts';
import { jstDateKey, jstMonthKey, parseJstDate } from '../state/clock.ts';
import { usageThisMonth } from './send.ts';
import { decodeNext, encodeNext } from './users.routes.ts';

export function quotaRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v2/bot/message/quota', async (req) => {
    const c = channelOf(req);
    return c.monthlyQuota === null ? { type: 'none' } : { type: 'limited', value: c.monthlyQuota };
  });

  app.get('/v2/bot/message/quota/consumption', async (req) => ({ totalUsage: usageThisMonth(ctx, channelOf(req)) }));

  app.get('/v2/bot/message/delivery/:type', async (req) => {
    const c = channelOf(req);
    const { type } = req.params as { type: string };
    const { date } = req.query as { date?: string };
    if (!['reply', 'push', 'multicast', 'broadcast', 'pnp'].includes(type)) throw lineError(404, 'Not found');
    if (!date || parseJstDate(date) === null) throw lineError(400, 'The request query param has 1 error(s)', [{ message: 'Invalid date format', property: 'date' }]);
    // Counts become available the day after.
    if (date >= jstDateKey(ctx.clock.now())) return { status: 'unready' };
    const success = c.deliveryCounts.get(`${type}:${date}`) ?? 0;
    return success < 20 ? { status: 'unavailable_for_privacy' } : { status: 'ready', success };
  });

  app.get('/v2/bot/message/aggregation/info', async (req) => ({
    numOfCustomAggregationUnits: channelOf(req).unitsByMonth.get(jstMonthKey(ctx.clock.now()))?.length ?? 0,
  }));

  app.get('/v2/bot/message/aggregation/list', async (req) => {
    const c = channelOf(req);
    const q = req.query as { limit?: string; start?: string };
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw lineError(400, 'The request query param has 1 error(s)', [{ message: 'Must be between 1 and 100', property: 'limit' }]);
    const names = c.unitsByMonth.get(jstMonthKey(ctx.clock.now())) ?? [];
    const offset = q.start === undefined ? 0 : decodeNext(ctx, q.start);
    const page = names.slice(offset, offset + limit);
    const next = offset + page.length;
    return next < names.length ? { customAggregationUnits: page, next: encodeNext(next, ctx.clock.now()) } : { customAggregationUnits: page };
  });
}
