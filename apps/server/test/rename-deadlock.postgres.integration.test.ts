import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/core/db/database.ts';
import { startSignedIn, type ApiClient } from './api-client.ts';
import { withDatabaseName } from './database.ts';
import { type TestEnv, type TestTenant } from './harness.ts';

/**
 * Two rows swapping unique names at once can deadlock in the unique index on their names: each rename waits on the
 * other's old name. CI on PostgreSQL met it once with tags in the attack review's swap test (a 500); segments, roles,
 * automation rules and saved PMS column mappings have unique names too. Staged here so it happens every time: a
 * colleague's transaction (a second connection) renames B away, freeing B's name but not yet committed; staff rename A
 * to B's old name, which waits on it; the colleague's transaction then touches A, waiting on staff's: PostgreSQL ends
 * staff's rename as the deadlock (its check runs after 1 s; the colleague's is set to 30 s). The rename is tried again
 * after a short pause (core/db/rename.ts), waits for the colleague, and once the colleague commits the name is free:
 * 200, not a 500.
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

type Named = { id: string; version?: number };
type Kind = {
  table: string;
  create: (name: string) => Promise<Named>;
  rename: (row: Named, name: string) => ReturnType<ApiClient['patch']>;
  names: () => Promise<Array<{ id: string; name: string }>>;
  /** B's old name as staff type it (tags: in another case, as the index folds it). */
  typed: (name: string) => string;
};

const created = async (answer: ReturnType<ApiClient['post']>): Promise<Named> => {
  const { status, body } = await answer;
  expect(status, JSON.stringify(body)).toBe(201);
  return body as Named;
};

const kinds: Record<string, Kind> = {
  tags: {
    table: 'tags',
    create: (name) => created(admin.post('/api/tags', { name, kind: 'basic' })),
    rename: (row, name) => admin.patch(`/api/tags/${row.id}`, { name }),
    names: async () => (await admin.get('/api/tags')).body.data,
    typed: (name) => name.toLowerCase(),
  },
  segments: {
    table: 'segments',
    create: (name) => created(admin.post('/api/segments', { name, definition: { type: 'group', op: 'and', conditions: [{ type: 'consent', optedIn: true }] } })),
    rename: (row, name) => admin.patch(`/api/segments/${row.id}`, { name }),
    names: async () => {
      const { body } = await admin.get('/api/segments');
      return Array.isArray(body) ? body : body.data;
    },
    typed: (name) => name,
  },
  roles: {
    table: 'roles',
    create: (name) => created(admin.post('/api/roles', { name, permissions: ['members.read'] })),
    rename: (row, name) => admin.patch(`/api/roles/${row.id}`, { name }),
    names: async () => (await admin.get('/api/roles')).body.data,
    typed: (name) => name,
  },
  'automation rules': {
    table: 'automation_rules',
    create: (name) => created(admin.post('/api/automation/rules', { name, trigger: { kind: 'birthday', hour: 9 }, steps: [{ kind: 'send', messages: [{ type: 'text', text: '生日快樂！' }] }] })),
    rename: (row, name) => admin.patch(`/api/automation/rules/${row.id}`, { name, version: row.version }),
    names: async () => (await admin.get('/api/automation/rules')).body.data,
    typed: (name) => name,
  },
  'saved PMS column mappings': {
    table: 'pms_column_mappings',
    create: async (name) => {
      connectionId ??= (await created(admin.post('/api/pms/connections', { name: '其他 PMS 匯出', kind: 'dean_file', defaultPropertyId: tenant.propertyIds[0] }))).id;
      return created(admin.post(`/api/pms/connections/${connectionId}/mappings`, { name, mapping: { guestKey: '客戶編號', fullName: '姓名' } }));
    },
    rename: (row, name) => admin.patch(`/api/pms/connections/${connectionId}/mappings/${row.id}`, { name }),
    names: async () => (await admin.get(`/api/pms/connections/${connectionId}/mappings`)).body.data,
    typed: (name) => name,
  },
};
let connectionId: string | undefined;

describe('renames in a deadlock', () => {
  it.each(Object.keys(kinds))('%s: a rename PostgreSQL ends as a deadlock is tried again: 200 once the name is free, never a 500', async (key) => {
    const kind = kinds[key]!;
    const a = await kind.create(`Swap A ${key}`);
    const b = await kind.create(`Swap B ${key}`);
    await colleague.query('begin');
    await colleague.query(`set local deadlock_timeout = '30s'`);
    await colleague.query(`update ${kind.table} set name = $1 where id = $2`, [`Swap B ${key} moved`, b.id]);
    const rename = kind.rename(a, kind.typed(`Swap B ${key}`));
    await renameWaiting();
    // Waits on staff's rename of A, which waits on this transaction: a deadlock, ended by staff's side after 1 s.
    await colleague.query(`update ${kind.table} set updated_at = now() where id = $1`, [a.id]);
    await colleague.query('commit');
    const answer = await rename;
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const names = Object.fromEntries((await kind.names()).map((row) => [row.id, row.name]));
    expect([names[a.id], names[b.id]]).toEqual([kind.typed(`Swap B ${key}`), `Swap B ${key} moved`]);
  }, 60_000);
});
