import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { PLATFORM_PERMISSIONS, TENANT_PERMISSIONS } from '@innkeeper/contracts';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { newId } from '../core/ids.ts';
import { registerAccessControl } from '../core/http/access.ts';
import { clientErrorHandler, frameworkErrors, registerErrorHandling, sendError } from '../core/http/error-handler.ts';
import { registerNulGuard } from '../core/http/nul-guard.ts';
import { frontDoor } from '../core/http/front-door.ts';
import { leanContext } from '../core/http/lean-routes.ts';
import { registerSecurityHeaders, securityHeaders } from '../core/http/security-headers.ts';
import { readSessionCookie } from '../core/http/session-cookie.ts';
import { isMigrated } from '../core/db/migrate.ts';
import type { CreatedModule, Runtime } from './runtime.ts';

const LIFF_CSP = [
  "default-src 'self'",
  "img-src 'self' data: https:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self' https://api.line.me https://access.line.me https://liffsdk.line-scdn.net",
  "frame-ancestors 'none'",
].join('; ');

const builtFiles = new Map<string, { stamp: string; value: unknown }>();

/**
 * A file of the built web app, read (and parsed) once per version of it rather than on every page request. The
 * version is its size and modification time, looked up each time: a rebuild while the server runs is picked up.
 */
function readBuilt<T>(file: string, parse: (text: string) => T): T {
  const stat = fs.statSync(file);
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const cached = builtFiles.get(file);
  if (cached?.stamp === stamp) return cached.value as T;
  const value = parse(fs.readFileSync(file, 'utf8'));
  builtFiles.set(file, { stamp, value });
  return value;
}

/** The admin app's page; its hashed scripts and styles are cached for good, so the page itself is always revalidated. */
function sendAdminPage(req: FastifyRequest, reply: FastifyReply, webRoot: string) {
  reply.type('text/html').header('cache-control', 'no-cache');
  if (!readSessionCookie(req)) return reply.sendFile('index.html');
  const preloads = firstPagePreloads(webRoot, req.url);
  const page = readBuilt(path.join(webRoot, 'index.html'), (text) => text);
  const links = preloads
    .filter((file) => !page.includes(`/${file}"`))
    .map((file) => (file.endsWith('.css') ? `<link rel="preload" as="style" crossorigin href="/${file}">` : `<link rel="modulepreload" crossorigin href="/${file}">`));
  // The session (and a first page's data) asked for by a small script, first in the page, while the app's scripts
  // download: they used to start only once those had arrived and run (apps/web/public/early-requests.js). Inline, so it
  // costs no request of its own (a file would be revalidated on every load, and a warm load would run the app's cached
  // scripts before it); the page's CSP admits it by its hash.
  const inline = earlyRequests(webRoot);
  const early = inline ? `<script>${inline.text}</script>` : '';
  const csp = reply.getHeader('content-security-policy');
  if (inline && typeof csp === 'string') reply.header('content-security-policy', csp.replace("script-src 'self'", `script-src 'self' '${inline.hash}'`));
  // A first page's own chunks instead of the sign-in page's (index.html preloads it for signed-out visits): a browser
  // whose session has ended still gets it, when the app asks.
  const signIn = preloads.length > 0 ? page.match(/<link rel="modulepreload" crossorigin href="\/assets\/LoginPage-[\w-]+\.js">/)?.[0] : undefined;
  const sent = signIn ? page.replace(signIn, '') : page;
  return reply.send(sent.replace('<head>', `<head>${early}`).replace('</head>', `${links.join('')}</head>`));
}

/** The built early-requests.js and its CSP hash, or undefined without one (a build before it, or a test's web root). */
function earlyRequests(webRoot: string): { text: string; hash: string } | undefined {
  const file = path.join(webRoot, 'early-requests.js');
  if (!fs.existsSync(file)) return undefined;
  return readBuilt(file, (text) => (text.includes('</') ? undefined : { text, hash: `sha256-${createHash('sha256').update(text).digest('base64')}` }));
}

/**
 * The chunks of the page at this address that the build lists for a browser that may be signed in
 * (dist/first-pages.json, written by apps/web/vite.config.ts), and their stylesheets: named in the page, they are
 * fetched with the app's own script instead of once it has run. The cookie is only a hint (an ended session shows the sign-in page); it grants
 * nothing. A missing or unreadable list preloads nothing.
 */
function firstPagePreloads(webRoot: string, url: string): string[] {
  const address = url.split(/[?#]/, 1)[0] ?? '';
  try {
    const listed = readBuilt(path.join(webRoot, 'first-pages.json'), (text): unknown => JSON.parse(text));
    const files: unknown = listed && typeof listed === 'object' ? (listed as Record<string, unknown>)[address] : undefined;
    return Array.isArray(files) ? files.filter((file): file is string => typeof file === 'string' && /^assets\/[\w.-]+\.(?:js|css)$/.test(file)) : [];
  } catch {
    return [];
  }
}

const PERMISSIONS: readonly string[] = [...TENANT_PERMISSIONS, ...PLATFORM_PERMISSIONS];

/**
 * A module's routes, refused at start-up if one checks a permission the module's manifest does not declare: the
 * manifest is where a reader learns which permissions a module uses. Every module route says who may call it, under
 * /api/ or not: the access control treats an undeclared route outside /api/ as a plugin's public file route.
 */
function moduleRoutes(module: CreatedModule) {
  return async (scope: FastifyInstance) => {
    scope.addHook('onRoute', (route) => {
      const access = route.config?.access;
      if (!access) throw new Error(`modules/${module.name}: ${String(route.method)} ${route.url} must declare config.access`);
      if (access && PERMISSIONS.includes(access) && !(module.permissions ?? []).includes(access as never)) {
        throw new Error(`modules/${module.name}: ${route.method} ${route.url} checks '${access}', which its manifest does not declare in permissions`);
      }
    });
    for (const routes of module.routes ?? []) await scope.register(routes);
  };
}

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** The HTTP application: plugins, every module's routes and the built admin web app. Does not listen. */
export async function buildApp(
  runtime: Runtime,
  options: {
    serveWeb?: boolean;
    webRoot?: string;
    /** Called with the general pipeline's context once the modules' routes are in: where a test adds a route of its own. */
    addRoutes?: (main: FastifyInstance) => void;
  } = {},
): Promise<FastifyInstance> {
  const { config, db } = runtime;
  // The HTTP server Fastify would make, with the lean routes' direct handlers tried first (core/http/front-door.ts,
  // docs/decisions/0016-direct-tracked-redirect.md).
  const door = frontDoor();
  const app = Fastify({
    serverFactory: door.serverFactory,
    loggerInstance: runtime.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Only the configured proxies may say who the client is: believing any X-Forwarded-For lets a client pick its own
    // address and walk around the per-address sign-in limits.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
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
  registerErrorHandling(app, Object.assign({}, ...runtime.modules.map((module) => module.fieldMessages ?? {})));

  // helmet's headers, worked out once at start-up (core/http/security-headers.ts), not by @fastify/helmet per request.
  const helmetOptions = {
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
  };

  // The tracked-link redirect, beside the general pipeline rather than inside it, so none of its hooks run there
  // (docs/decisions/0013-lean-tracked-redirect.md).
  const lean = runtime.modules.flatMap((module) => module.leanRoutes ?? []);
  if (lean.length > 0) await app.register(leanContext(lean, { hsts: securityHeaders(helmetOptions)['strict-transport-security'], frontDoor: door }));

  // Everything else: one encapsulated context with the cookie parser, security headers, request-id header, access
  // control and NUL guard. Its not-found handler replaces the root's, so unknown paths get the same pipeline.
  await app.register(async (main) => {
    // Not async: a promise per answer for one header.
    main.addHook('onSend', (req, reply, payload, done) => {
      reply.header('x-request-id', req.id);
      done(null, payload);
    });

    await main.register(fastifyCookie);
    registerSecurityHeaders(main, helmetOptions);
    await main.register(fastifySwagger, {
      openapi: {
        info: { title: 'Innkeeper API', version: '0.1.0', description: 'LINE Official Account CRM for hotel groups. Sign in through /api/auth/login; changes need the x-csrf-token header.' },
        components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ik_session' } } },
        security: [{ session: [] }],
      },
      transform: jsonSchemaTransform,
    });
    await main.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

    registerAccessControl(main, { db, authenticate: runtime.auth.authenticate });
    registerNulGuard(main);
    let migrated = false;
    main.get('/healthz', {
      schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }), 503: z.object({ status: z.literal('starting') }) } },
      config: { access: 'public' },
    }, async (_req, reply) => {
      migrated ||= await isMigrated(db);
      if (!migrated) return reply.code(503).send({ status: 'starting' as const });
      return { status: 'ok' as const };
    });

    main.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => main.swagger());

    for (const module of runtime.modules) await main.register(moduleRoutes(module));
    options.addRoutes?.(main);

    const webRoot = options.webRoot ?? WEB_DIST;
    const serveWeb = (options.serveWeb ?? true) && fs.existsSync(path.join(webRoot, 'index.html'));
    // Files are looked up per request (a rebuilt app is served without a restart); unknown paths fall through below.
    // The build writes .br and .gz beside each file (scripts/ensure-web-build.ts), sent to browsers that accept them.
    // Files under /assets/ carry a content hash in their name, so they never change: a browser keeps them for a year.
    // Everything else (the pages themselves) is revalidated, so a new release is picked up on the next load.
    if (serveWeb) {
      await main.register(fastifyStatic, {
        root: webRoot,
        wildcard: true,
        index: false,
        preCompressed: true,
        cacheControl: false,
        setHeaders: (reply, filePath) => {
          const hashed = path.relative(webRoot, filePath).startsWith(`assets${path.sep}`);
          reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
      // The root is the admin app itself (the sign-in page when signed out), not a directory listing.
      main.get('/', { schema: { hide: true }, config: { access: 'public' } }, (req, reply) => sendAdminPage(req, reply, webRoot));
    }

    main.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/') || !serveWeb || req.method !== 'GET') return sendError(reply, req, 'route.not_found');
      // The guest-facing LIFF pages are their own small entry, and they talk to LINE's LIFF endpoints.
      if (req.url.startsWith('/liff/')) {
        reply.header('content-security-policy', LIFF_CSP);
        return reply.type('text/html').header('cache-control', 'no-cache').sendFile('liff.html');
      }
      // A missing script or style (e.g. a chunk of the release before a deploy, asked for by a page still open) is a 404:
      // answering it with the app page made the browser refuse it as HTML instead of the page saying it could not load.
      if (req.url.startsWith('/assets/')) return reply.code(404).type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send('Not found');
      // Client-side routes of the admin app all load the same page.
      return sendAdminPage(req, reply, webRoot);
    });
  });

  return app;
}
