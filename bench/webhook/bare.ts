/**
 * The baseline: the least a webhook endpoint can do. A Fastify server whose route keeps the body raw, checks
 * `x-line-signature` with the SDK's validateSignature and answers 200 — no database, no parsing, no logging.
 * Started by run.ts as a child process (so it has a core's worth of event loop of its own, like the Innkeeper API).
 */
import { validateSignature } from '@line/bot-sdk';
import Fastify from 'fastify';

const secret = process.env.BENCH_CHANNEL_SECRET;
if (!secret) throw new Error('BENCH_CHANNEL_SECRET is required');

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/api/line/webhook/:tenantId/:channelId', async (req, reply) => {
  const signature = req.headers['x-line-signature'];
  if (typeof signature !== 'string' || !Buffer.isBuffer(req.body) || !validateSignature(req.body, secret, signature)) return reply.code(401).send({});
  return {};
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
process.on('disconnect', () => process.exit(0));
