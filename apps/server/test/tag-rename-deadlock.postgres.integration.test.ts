import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/core/db/database.ts';
import { startSignedIn, type ApiClient } from './api-client.ts';
import { withDatabaseName } from './database.ts';
import { type TestEnv, type TestTenant } from './harness.ts';

/**
 * Two tags swapping names at once can deadlock in the unique index on their folded names: each rename waits on the
 * other's old name. CI on PostgreSQL met it once in the attack review's swap test (a 500). Staged here so it happens
 * every time: a colleague's transaction (a second connection) renames B away, freeing 「Swap B」 but not yet committed;
 * staff rename A to 「swap b」, which waits on it; the colleague's transaction then touches A, waiting on staff's:
 * PostgreSQL ends staff's rename as the deadlock (its check runs after 1 s; the colleague's is set to 30 s). The rename
 * is tried once more, waits for the colleague, and once the colleague commits the name is free: 200, not a 500.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let colleague: pg.Client;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  expect(env.engine).toBe('postgres');
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ name: string }>(tx, sql`select current_database() as name`));
  colleague = new pg.Client({ connectionString: withDatabaseName(process.env.TEST_DATABASE_URL!, row!.name) });
  await colleague.connect();
}, 180_000);
afterAll(async () => {
  await colleague?.end();
  await env?.close();
});

/** Waits until some backend other than the colleague's waits for a transaction to end (the rename, on the colleague's). */
async function renameWaiting(): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const { rows } = await colleague.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock' and wait_event = 'transactionid'`,
    );
    if (rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rows } = await colleague.query(`select pid, state, wait_event_type, wait_event, left(query, 80) as query from pg_stat_activity where datname = current_database()`);
  throw new Error(`the rename never waited on the colleague: ${JSON.stringify(rows)}`);
}

describe('tag renames in a deadlock', () => {
  it('a rename PostgreSQL ends as a deadlock is tried once more: 200 once the name is free, never a 500', async () => {
    const a = (await admin.post('/api/tags', { name: 'Swap A', kind: 'basic' })).body as { id: string };
    const b = (await admin.post('/api/tags', { name: 'Swap B', kind: 'basic' })).body as { id: string };
    await colleague.query('begin');
    await colleague.query(`set local deadlock_timeout = '30s'`);
    await colleague.query('update tags set name = $1 where id = $2', ['Swap B moved', b.id]);
    const rename = admin.patch(`/api/tags/${a.id}`, { name: 'swap b' });
    await renameWaiting();
    // Waits on staff's rename of A, which waits on this transaction: a deadlock, ended by staff's side after 1 s.
    await colleague.query('update tags set updated_at = now() where id = $1', [a.id]);
    await colleague.query('commit');
    const answer = await rename;
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const names = Object.fromEntries(((await admin.get('/api/tags')).body.data as Array<{ id: string; name: string }>).map((t) => [t.id, t.name]));
    expect([names[a.id], names[b.id]]).toEqual(['swap b', 'Swap B moved']);
  }, 60_000);
});
