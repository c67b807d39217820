import Fastify, { type FastifyInstance } from 'fastify';
import type { SimContext } from './context.ts';
import { SimError } from './http/errors.ts';
import { installJsonParser } from './http/json-body.ts';
import { handleLineError, installLinePipeline, type RequestState } from './http/pipeline.ts';
import { insightRoutes } from './insight/insight.routes.ts';
import { oauthRoutes } from './liff/oauth.routes.ts';
import { audienceRoutes } from './messaging/audience.routes.ts';
import { quotaRoutes } from './messaging/quota.routes.ts';
import { richMenuRoutes } from './messaging/richmenu.routes.ts';
import { sendRoutes } from './messaging/send.routes.ts';
import { usersRoutes } from './messaging/users.routes.ts';
import { webhookEndpointRoutes } from './messaging/webhook-endpoint.routes.ts';
import { adminRoutes } from './sim/admin.routes.ts';
import { uiRoutes } from './ui/ui.routes.ts';

const BODY_LIMIT = 2 * 1024 * 1024;

export function createApp(ctx: SimContext): FastifyInstance {
  const app = Fastify({ logger: ctx.options.logger, bodyLimit: BODY_LIMIT });
  installJsonParser(app);
  app.decorateRequest('sim', null as unknown as RequestState);

  // LIFF pages call the LINE Login endpoints (and the fake LIFF SDK calls /_sim) from their own origin.
  app.addHook('onRequest', async (req, reply) => {
    reply.header('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      return reply
        .code(204)
        .header('access-control-allow-methods', 'GET,POST,PUT,PATCH,DELETE')
        .header('access-control-allow-headers', 'authorization,content-type,x-line-retry-key')
        .header('access-control-expose-headers', 'x-line-request-id,x-line-accepted-request-id')
        .send();
    }
  });
  app.options('*', async (_req, reply) => reply.code(204).send());

  // LINE's paths live at the root of the origin: the SDK drops any path prefix from its base URL.
  app.register(async (line) => {
    installLinePipeline(line, ctx);
    line.setErrorHandler((err, req, reply) => handleLineError(err, req, reply));
    sendRoutes(line, ctx);
    usersRoutes(line, ctx);
    quotaRoutes(line, ctx);
    richMenuRoutes(line, ctx);
    audienceRoutes(line, ctx);
    webhookEndpointRoutes(line, ctx);
    insightRoutes(line, ctx);
    oauthRoutes(line, ctx);
  });

  app.register(async (sim) => {
    sim.setErrorHandler((err, _req, reply) => {
      if (err instanceof SimError) return reply.code(err.status).send({ error: err.message });
      const e = err as { statusCode?: number; message?: string };
      return reply.code(e.statusCode && e.statusCode < 500 ? e.statusCode : 500).send({ error: e.message ?? 'error' });
    });
    adminRoutes(sim, ctx);
    uiRoutes(sim, ctx);
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/_sim')) return reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}` });
    return reply.code(404).header('x-line-request-id', ctx.random.uuid()).send({ message: 'Not found' });
  });
  return app;
}
