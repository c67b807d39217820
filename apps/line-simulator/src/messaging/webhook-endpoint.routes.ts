import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { lineError, MESSAGES, requestBodyErrors } from '../http/errors.ts';
import { channelOf } from '../http/pipeline.ts';
import { deliverWebhook } from '../webhooks/deliver.ts';
import { isUrl } from './validation/common.ts';

/**
 * LINE's webhook settings API, so Innkeeper can register its webhook exactly as in production.
 * Unlike LINE, http:// is accepted because local and CI receivers rarely have TLS.
 */
export function webhookEndpointRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.put('/v2/bot/channel/webhook/endpoint', { config: { line: { rate: 'webhookEndpoint' } } }, async (req) => {
    const channel = channelOf(req);
    const endpoint = (req.body as { endpoint?: unknown } | undefined)?.endpoint;
    if (typeof endpoint !== 'string' || endpoint.length > 500 || !isUrl(endpoint, ['https:', 'http:'])) {
      throw requestBodyErrors([{ message: 'Invalid webhook endpoint URL', property: 'endpoint' }]);
    }
    channel.webhook.url = endpoint;
    ctx.store.version++;
    return {};
  });

  app.get('/v2/bot/channel/webhook/endpoint', { config: { line: { rate: 'webhookEndpoint' } } }, async (req) => {
    const w = channelOf(req).webhook;
    return { endpoint: w.url ?? '', active: Boolean(w.url) && w.active };
  });

  app.post('/v2/bot/channel/webhook/test', { config: { line: { rate: 'hourly60' } } }, async (req) => {
    const channel = channelOf(req);
    const override = (req.body as { endpoint?: unknown } | undefined)?.endpoint;
    const url = typeof override === 'string' && override ? override : channel.webhook.url;
    if (!url) throw lineError(404, MESSAGES.notFound);
    // The connectivity check is an empty, signed events array.
    const saved = channel.webhook.url;
    channel.webhook.url = url;
    const d = await deliverWebhook(ctx, channel, []).finally(() => {
      channel.webhook.url = saved;
    });
    return {
      success: d.ok,
      timestamp: new Date(d.at).toISOString(),
      statusCode: d.status ?? 0,
      reason: d.ok ? 'OK' : (d.error ?? 'unclassified'),
      detail: d.status === null ? (d.error ?? '') : String(d.status),
    };
  });
}
