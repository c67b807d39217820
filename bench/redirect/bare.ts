/**
 * The baseline: the least a redirect can do. A Fastify server whose route answers every `/c/:tenantId/:link` with a
 * 302 to one fixed target — no signature check, no lookup, no database, no logging. Started by run.ts as a child
 * process (its own event loop, like the Innkeeper API).
 */
import Fastify from 'fastify';

const target = process.env.BENCH_TARGET ?? 'https://hotel.example/book';
const app = Fastify({ logger: false });
app.get('/c/:tenantId/:link', async (_req, reply) => reply.code(302).header('cache-control', 'no-store').header('location', target).send());
await app.listen({ port: Number(process.env.BENCH_BARE_PORT ?? 0), host: '127.0.0.1' });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
// Stopped by a signal (or the driver going away), it closes and exits on its own: V8 writes a CPU profile
// (`--cpu-prof`, BENCH_PROF) only when the process exits, not when a signal kills it.
const stop = () => void app.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.on('disconnect', stop);
