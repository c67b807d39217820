import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';

/**
 * A handler the HTTP server tries before Fastify: it answers the request and returns true, or returns false having
 * done nothing (no write, no count, nothing read from the request), and Fastify serves the request as if the handler
 * were not there. Only for a lean route's common case (docs/decisions/0016-direct-tracked-redirect.md): the Fastify
 * route stays, answers everything else (and every `inject` in tests), and must answer the same.
 */
export type DirectRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export type FrontDoor = {
  /** Adds a direct handler (build-app.ts's lean context, for a lean route that asks). */
  add(route: DirectRoute): void;
  /**
   * From now on every request goes to Fastify (a closing app: Fastify answers 503 while it closes), and until the
   * server has closed, a keep-alive connection is closed as soon as it falls idle (see frontDoor).
   */
  shut(): void;
  /** Fastify's `serverFactory`: the HTTP server Fastify would make, with the direct handlers in front. */
  serverFactory: FastifyServerFactory;
};

/** Fastify's options as its serverFactory is given them (fastify/lib/server.js, getServerInstance). */
type ServerOptions = { http?: http.ServerOptions; keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number };

/**
 * The HTTP server in front of Fastify. Made as Fastify makes its own HTTP/1 server (the same options, timeouts and
 * per-socket limit; Fastify still adds its clientError handler and closes it), with one difference: each request is
 * offered to the direct handlers first, in the order they were added, and goes to Fastify's handler when none takes
 * it. With no handler added, or after `shut`, every request goes straight to Fastify.
 */
export function frontDoor(): FrontDoor {
  const routes: DirectRoute[] = [];
  let open = true;
  let made: http.Server | undefined;
  return {
    add: (route) => void routes.push(route),
    shut: () => {
      open = false;
      // A request still being answered when the close begins is answered with keep-alive, and its connection, idle
      // after that, would hold the close up to the keep-alive timeout (72 s: past a typical 30 s grace before SIGKILL,
      // so the runtime would not close; attack review 2026-12-07d). Node closes the connections idle when the close
      // begins (Fastify's 'idle' default), not those that fall idle later: so they are closed as they fall idle, until
      // the server has closed.
      const server = made;
      if (!server) return;
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      sweep.unref();
      server.once('close', () => clearInterval(sweep));
    },
    serverFactory: (handler, rawOptions) => {
      const options = rawOptions as ServerOptions;
      const server = (made = http.createServer(options.http ?? {}, (req, res) => {
        if (open) for (const route of routes) if (route(req, res)) return;
        handler(req, res);
      }));
      if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
      if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
      if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
      if (options.maxRequestsPerSocket !== undefined && options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
      return server;
    },
  };
}
