/**
 * The baselines: the least a redirect can do. BENCH_BARE_KIND=fastify (default): a Fastify server whose route answers
 * every `/c/:tenantId/:link` with a 302 to one fixed target — no signature check, no lookup, no database, no logging.
 * BENCH_BARE_KIND=node: the same 302 from Node's HTTP server alone, no framework (since 2026-12-07: Innkeeper's
 * redirect is served before Fastify, decision 0016, so it is also compared with what Node itself costs). Started by
 * run.ts as a child process (its own event loop, like the Innkeeper API).
 */
import http from 'node:http';
import Fastify from 'fastify';

const target = process.env.BENCH_TARGET ?? 'https://hotel.example/book';
const port = Number(process.env.BENCH_BARE_PORT ?? 0);
const kind = process.env.BENCH_BARE_KIND ?? 'fastify';
let close: () => Promise<unknown>;
let address: ReturnType<http.Server['address']>;
if (kind === 'node') {
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/c/')) res.writeHead(302, ['cache-control', 'no-store', 'location', target, 'content-length', '0']).end();
    else res.writeHead(404, ['content-length', '0']).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  address = server.address();
  close = () => new Promise((resolve) => server.close(resolve));
} else {
  const app = Fastify({ logger: false });
  app.get('/c/:tenantId/:link', async (_req, reply) => reply.code(302).header('cache-control', 'no-store').header('location', target).send());
  await app.listen({ port, host: '127.0.0.1' });
  address = app.server.address();
  close = () => app.close();
}
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
// Stopped by a signal (or the driver going away), it closes and exits on its own: V8 writes a CPU profile
// (`--cpu-prof`, BENCH_PROF) only when the process exits, not when a signal kills it.
const stop = () => void close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.on('disconnect', stop);
