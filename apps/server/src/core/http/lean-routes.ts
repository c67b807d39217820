import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js';
import { sendError } from './error-handler.ts';
import type { DirectRoute, FrontDoor } from './front-door.ts';

/**
 * What every answer of a lean route carries (docs/decisions/0013-lean-tracked-redirect.md). A lean route answers an
 * empty 302 to a URL outside Innkeeper (a campaign button's target) or to Innkeeper's invalid-link page: no document is
 * rendered, so the page-level headers of the general pipeline (CSP for scripts and styles, framing, COOP/CORP, …) have
 * nothing to protect. What stays: never cached (every click must reach us to be counted), no referrer (the link's
 * signature must not leak to the target), nosniff and a CSP that allows nothing, for the rare body (an error's JSON).
 */
export const LEAN_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
});

/**
 * What a lean route plugin is given: the headers to put on each of its answers; `redirect`, which sends the empty
 * 302 with them (see leanRedirect); `writeRedirect`, the same 302 on a bare Node response; and `direct`, which hands
 * the HTTP server a handler tried before Fastify for the route's common case (core/http/front-door.ts, decision 0016).
 */
export type LeanRouteOptions = {
  headers: Readonly<Record<string, string>>;
  redirect: (reply: FastifyReply, location: string) => void;
  writeRedirect: (res: ServerResponse, location: string) => void;
  direct: (route: DirectRoute) => void;
};
export type LeanRoutes = FastifyPluginAsync<LeanRouteOptions>;

/**
 * The lean headers for this deployment: with the general pipeline's Strict-Transport-Security when it sends one
 * (behind HTTPS): a host-wide policy, and a guest's first visit to the host is often a tracked link.
 */
export function leanHeaders(options: { hsts?: string | undefined }): Readonly<Record<string, string>> {
  return Object.freeze(options.hsts ? { ...LEAN_HEADERS, 'strict-transport-security': options.hsts } : { ...LEAN_HEADERS });
}

/**
 * An empty 302 to `location` with the lean headers, written in one `writeHead` from a list made once per process
 * (copied per answer, only the Location filled in) instead of a `reply.header()` per header and Fastify's send: the
 * headers are the same on every redirect, and setting them one by one (each name lower-cased and stored in the
 * reply's header object, which Node then walks key by key) cost ≈ 4,700 instructions of a minimal Fastify server's
 * ≈ 61,000 per answer (callgrind; bench/README.md, "Tracked links", 2026-12-07). The answer on the wire is the same:
 * the lean headers, Location, `content-length: 0`, and Node's Date and keep-alive headers. The reply is hijacked just
 * before the write, so Fastify sends nothing more and runs no onSend hook (the lean context has none); its response
 * listeners (onResponse hooks, the completion log line) still run when the answer finishes. Node still checks every
 * header name and value as it writes them.
 */
export function leanRedirect(headers: Readonly<Record<string, string>>): (reply: FastifyReply, location: string) => void {
  const write = leanRedirectWriter(headers);
  return (reply, location) => {
    reply.hijack();
    write(reply.raw, location);
  };
}

/** leanRedirect's write on a bare Node response: the lean headers, Location and `content-length: 0`, in one writeHead. */
export function leanRedirectWriter(headers: Readonly<Record<string, string>>): (res: ServerResponse, location: string) => void {
  const list: string[] = [];
  for (const [name, value] of Object.entries(headers)) list.push(name, value);
  list.push('location', '', 'content-length', '0');
  const at = list.length - 3;
  return (res, location) => {
    const headerList = list.slice();
    headerList[at] = location;
    res.writeHead(302, headerList).end();
  };
}

/**
 * Request ids for the lean context: a random prefix drawn once per process (48 bits) and a counter, e.g.
 * `Xq3v9ZkA-1b2c`. Every request still gets its own id (the counter never repeats within a process; the prefix keeps
 * two processes, or one restarted, apart), on every line the redirect logs; a caller's `x-request-id` is still taken
 * instead (Fastify's `requestIdHeader`). The general pipeline's time-ordered UUID (`newId`) costs ≈ 0.5 µs of a
 * redirect's ≈ 20 µs: random bytes and 16 table lookups joined per request, for an id a guest's browser never sees
 * (docs/decisions/0013-lean-tracked-redirect.md).
 */
export function leanRequestIds(): () => string {
  const prefix = `${crypto.randomBytes(6).toString('base64url')}-`;
  let count = 0;
  return () => prefix + (++count).toString(36);
}

/**
 * A context for lean routes, registered beside (not inside) the general request pipeline, so none of its hooks run
 * here: no cookie parsing, no session, tenant or CSRF hooks, no NUL guard, no security-header or request-id hooks, no
 * schema validation. Each route must be public (nothing here could check a session) and sets its own headers;
 * errors are logged (with the request id) and answered with the lean headers in the API's error shape.
 *
 * The per-request child logger is one logger per level, made once: Fastify otherwise builds a pino child for every
 * request (bindings serialized, and with a route log level every log method rebuilt), which the redirect never uses
 * unless something fails. Lines it logs carry the request id explicitly instead of as a binding.
 */
export function leanContext(plugins: readonly LeanRoutes[], options: { hsts?: string | undefined; frontDoor?: FrontDoor | undefined }): FastifyPluginAsync {
  const headers = leanHeaders(options);
  const redirect = leanRedirect(headers);
  const writeRedirect = leanRedirectWriter(headers);
  const { frontDoor } = options;
  // Without a front door (an app that is not listening through build-app's server factory, e.g. a test's own Fastify),
  // a direct handler is not used: every request takes the Fastify route, which must answer the same.
  const direct = (route: DirectRoute) => frontDoor?.add(route);
  return async (scope: FastifyInstance) => {
    // A closing process stops taking the direct door first: from then on every request goes through Fastify, which
    // answers 503 once it is closing, and nothing is counted after the onClose hooks wrote what was held.
    if (frontDoor) scope.addHook('preClose', async () => frontDoor.shut());
    const loggers = new Map<string, FastifyBaseLogger>();
    scope.setChildLoggerFactory(function leanChildLogger(logger: FastifyBaseLogger, _bindings: Bindings, opts: ChildLoggerOptions) {
      const level = opts.level ?? '';
      let child = loggers.get(level);
      if (!child) loggers.set(level, (child = logger.child({ lean: true }, opts)));
      return child;
    });
    scope.setGenReqId(leanRequestIds());
    scope.addHook('onRoute', (route) => {
      if (route.config?.access !== 'public') throw new Error(`lean route ${String(route.method)} ${route.url} must be public: no session is checked outside the general pipeline`);
    });
    scope.setErrorHandler((error, req, reply) => {
      reply.headers(headers);
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        req.log.warn({ err: error, reqId: req.id }, 'client error');
        return sendError(reply, req, status === 404 ? 'route.not_found' : 'request.bad_request');
      }
      req.log.error({ err: error, reqId: req.id }, 'unhandled error');
      return sendError(reply, req, 'internal');
    });
    for (const plugin of plugins) await scope.register(plugin, { headers, redirect, writeRedirect, direct });
  };
}
