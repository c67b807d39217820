import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets for these options, worked out once. They depend on nothing in the request (a CSP directive
 * given as a function would, and is refused here), so running helmet's thirteen middlewares again for every request,
 * as @fastify/helmet did (it even builds the middleware anew per request: ~5 µs, and two hooks, one of them async), buys
 * nothing: on the tracked-link redirect that was a visible share of each request (bench/README.md, "Tracked links").
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const csp = options.contentSecurityPolicy;
  const directives = csp && typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  for (const values of directives) {
    if (values && typeof values === 'object' && Symbol.iterator in values && [...values].some((v) => typeof v === 'function')) {
      throw new Error('securityHeaders: a CSP directive that depends on the request cannot be worked out once');
    }
  }
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      return recorder;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => (failure = error));
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return Object.freeze(headers);
}

/**
 * Every answer carries the security headers (those helmet sets for `options`), including error and not-found answers.
 * A route may still replace one (the LIFF page's own CSP, the admin page's CSP with its inline script's hash).
 */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
