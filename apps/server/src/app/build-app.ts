import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { newId } from '../core/ids.ts';
import { registerAccessControl } from '../core/http/access.ts';
import { clientErrorHandler, frameworkErrors, registerErrorHandling, sendError } from '../core/http/error-handler.ts';
import { registerNulGuard } from '../core/http/nul-guard.ts';
import { isMigrated } from '../core/db/migrate.ts';
import { accountRoutes } from '../modules/accounts/index.ts';
import { auditRoutes } from '../modules/audit/index.ts';
import { authRoutes } from '../modules/auth/index.ts';
import { LINE_FIELD_MESSAGES, lineSettingsRoutes, lineWebhookRoutes } from '../modules/line/index.ts';
import { mailboxRoutes } from '../modules/mailbox/index.ts';
import { liffRoutes, memberPortalRoutes, PORTAL_FIELD_MESSAGES } from '../modules/member-portal/index.ts';
import { memberTransferRoutes } from '../modules/member-transfer/index.ts';
import { MEMBER_FIELD_MESSAGES, memberRoutes } from '../modules/members/index.ts';
import { SEGMENT_FIELD_MESSAGES, segmentRoutes } from '../modules/segments/index.ts';
import { tagRoutes } from '../modules/tags/index.ts';
import { platformRoutes } from '../modules/platform/index.ts';
import { tenantRoutes } from '../modules/tenants/index.ts';
import type { Runtime } from './runtime.ts';

const LIFF_CSP = [
  "default-src 'self'",
  "img-src 'self' data: https:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self' https://api.line.me https://access.line.me https://liffsdk.line-scdn.net",
  "frame-ancestors 'none'",
].join('; ');

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** The HTTP application: plugins, every module's routes and the built admin web app. Does not listen. */
export async function buildApp(runtime: Runtime, options: { serveWeb?: boolean } = {}): Promise<FastifyInstance> {
  const { config, db } = runtime;
  const app = Fastify({
    loggerInstance: runtime.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: config.env === 'production',
    requestIdHeader: 'x-request-id',
    genReqId: () => newId(),
    // Failures before routing answer in our error shape too, not Fastify's.
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  // The API speaks JSON only: anything else is 415 rather than a string that fails validation later.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // In the demo, LINE profile pictures come from the local simulator instead of LINE's https CDN.
        imgSrc: ["'self'", 'data:', 'https:', ...(config.line.simulator ? [`http://127.0.0.1:${config.line.simulatorPort}`, `http://localhost:${config.line.simulatorPort}`] : [])],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    hsts: config.cookieSecure,
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Innkeeper API', version: '0.1.0', description: 'LINE Official Account CRM for hotel groups. Sign in through /api/auth/login; changes need the x-csrf-token header.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ik_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerErrorHandling(app, { ...MEMBER_FIELD_MESSAGES, ...SEGMENT_FIELD_MESSAGES, ...LINE_FIELD_MESSAGES, ...PORTAL_FIELD_MESSAGES });
  registerAccessControl(app, { db, authenticate: runtime.auth.authenticate });
  registerNulGuard(app);

  let migrated = false;
  app.get('/healthz', {
    schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }), 503: z.object({ status: z.literal('starting') }) } },
    config: { access: 'public' },
  }, async (_req, reply) => {
    migrated ||= await isMigrated(db);
    if (!migrated) return reply.code(503).send({ status: 'starting' as const });
    return { status: 'ok' as const };
  });

  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  await app.register(authRoutes({ auth: runtime.auth, twoFactor: runtime.twoFactor, config, demoMailbox: runtime.mailer.mode === 'capture' }));
  await app.register(accountRoutes({ invite: runtime.auth.inviteAccount }));
  await app.register(tenantRoutes);
  await app.register(auditRoutes);
  await app.register(platformRoutes({ invite: runtime.auth.inviteAccount, clock: runtime.clock }));
  await app.register(mailboxRoutes({ db, mailer: runtime.mailer, sms: runtime.sms }));
  await app.register(memberRoutes(runtime.members));
  await app.register(tagRoutes(runtime.tags));
  await app.register(segmentRoutes(runtime.segments));
  await app.register(memberTransferRoutes(runtime.memberTransfer));
  await app.register(lineWebhookRoutes({ receiveWebhook: runtime.receiveWebhook }));
  await app.register(lineSettingsRoutes({ channels: runtime.channels, memberLine: runtime.memberLine }));
  await app.register(liffRoutes({ binding: runtime.binding, portal: runtime.portal }));
  await app.register(memberPortalRoutes({ settings: runtime.portalSettings, reviews: runtime.reviews, members: runtime.members, memberLine: runtime.memberLine }));

  const serveWeb = (options.serveWeb ?? true) && fs.existsSync(path.join(WEB_DIST, 'index.html'));
  // Files are looked up per request (a rebuilt app is served without a restart); unknown paths fall through below.
  if (serveWeb) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: true, index: false });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !serveWeb || req.method !== 'GET') return sendError(reply, req, 'route.not_found');
    // Client-side routes of the admin app all load the same page.
    // The guest-facing LIFF pages are their own small entry, and they talk to LINE's LIFF endpoints.
    if (req.url.startsWith('/liff/')) {
      reply.header('content-security-policy', LIFF_CSP);
      return reply.type('text/html').sendFile('liff.html');
    }
    return reply.type('text/html').sendFile('index.html');
  });

  return app;
}
