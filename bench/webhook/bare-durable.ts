/**
 * The durable baseline: the least a webhook endpoint can do and still never lose an event it acknowledged. A Fastify
 * server whose route keeps the body raw, checks `x-line-signature` with the SDK's validateSignature, stores the events
 * with one multi-row INSERT (the raw body is the statement's only parameter: PostgreSQL takes the events apart, so
 * Node parses nothing) that commits on its own, and answers 200 — no row-level security, no wake-up, no logging, no
 * validation beyond the signature. Redeliveries are no-ops (primary key on webhookEventId).
 * Started by run.ts as a child process with BENCH_DATABASE_URL (its table, bare_webhook_inbox, is created by run.ts)
 * and BENCH_POOL_SIZE connections, the Innkeeper API's pool size.
 */
import { validateSignature } from '@line/bot-sdk';
import Fastify from 'fastify';
import pg from 'pg';

const secret = process.env.BENCH_CHANNEL_SECRET;
if (!secret) throw new Error('BENCH_CHANNEL_SECRET is required');
const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: Number(process.env.BENCH_POOL_SIZE ?? 10) });

const INSERT = `insert into bare_webhook_inbox (webhook_event_id, event_type, line_user_id, occurred_at, payload)
  select e->>'webhookEventId', e->>'type', e->'source'->>'userId', to_timestamp((e->>'timestamp')::bigint / 1000.0), e
  from jsonb_array_elements($1::jsonb -> 'events') as e
  on conflict (webhook_event_id) do nothing`;

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/api/line/webhook/:tenantId/:channelId', async (req, reply) => {
  const signature = req.headers['x-line-signature'];
  if (typeof signature !== 'string' || !Buffer.isBuffer(req.body) || !validateSignature(req.body, secret, signature)) return reply.code(401).send({});
  await pool.query(INSERT, [req.body.toString('utf8')]);
  return {};
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
process.on('disconnect', () => {
  void pool.end().finally(() => process.exit(0));
});
