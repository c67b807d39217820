import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, startTestEnv, type TestEnv } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';
import { newId, type TenantId } from '../../../core/ids.ts';
import { deleteConnection } from '../pms.repository.ts';
import { signedInAs } from '../../../../test/api-client.ts';

/**
 * Deleting the connection while a run is being started, on PostgreSQL (TEST_DATABASE_URL), where the two transactions
 * really overlap: the delete waits for the start and then refuses (a sync runs), instead of cascading over the new run.
 */
let env: TestEnv;
let tenantId: TenantId;
const connectionId = newId();

beforeAll(async () => {
  env = await startTestEnv();
  expect(env.engine).toBe('postgres');
  tenantId = (await createTestTenant(env)).tenantId;
  await env.runtime.db.withTenant(tenantId, (tx) =>
    tx.execute(sql`insert into pms_connections (tenant_id, id, name, kind, base_url, created_at, updated_at)
                   values (${tenantId}, ${connectionId}, '德安 PMS', 'dean_http', 'https://pms.example', now(), now())`),
  );
}, 120_000);
afterAll(() => env.close());

describe('deleting a PMS connection while a run starts', () => {
  it('waits for the start to commit, then refuses; the run and the connection remain', async () => {
    let started!: () => void;
    const inserted = new Promise<void>((resolve) => (started = resolve));
    let commit!: () => void;
    const release = new Promise<void>((resolve) => (commit = resolve));
    // The start: its run is inserted (holding the connection row's key-share lock) but not yet committed.
    const start = env.runtime.db.withTenant(tenantId, async (tx) => {
      await tx.execute(sql`insert into pms_sync_runs (tenant_id, id, connection_id, trigger, status, started_at)
                           values (${tenantId}, ${newId()}, ${connectionId}, 'manual', 'running', now())`);
      started();
      await release;
    });
    await inserted;
    const removing = env.runtime.db.withTenant(tenantId, (tx) => deleteConnection(tx, tenantId, connectionId));
    // Give the delete time to reach the lock before the start commits (the order is what is tested, not the time).
    await new Promise((resolve) => setTimeout(resolve, 300));
    commit();
    await start;
    expect(await removing).toBeNull();
    const left = await env.runtime.db.withTenant(tenantId, (tx) =>
      queryRows<{ connections: number; running: number }>(tx, sql`select
        (select count(*)::int from pms_connections where id = ${connectionId}) as connections,
        (select count(*)::int from pms_sync_runs where connection_id = ${connectionId} and status = 'running') as running`),
    );
    expect(left).toEqual([{ connections: 1, running: 1 }]);
  });
});

describe('starting a sync while the connection is being deleted', () => {
  it('waits for the delete, then finds no connection (404, not a foreign-key error)', async () => {
    const tenant = await createTestTenant(env);
    const admin = await signedInAs(env, tenant.adminEmail, tenant.password);
    const id = newId();
    await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      tx.execute(sql`insert into pms_connections (tenant_id, id, name, kind, base_url, enabled, created_at, updated_at)
                     values (${tenant.tenantId}, ${id}, '德安 PMS', 'dean_http', 'https://pms.example', true, now(), now())`),
    );
    let deleted!: () => void;
    const removed = new Promise<void>((resolve) => (deleted = resolve));
    let commit!: () => void;
    const release = new Promise<void>((resolve) => (commit = resolve));
    const removing = env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
      const gone = await deleteConnection(tx, tenant.tenantId, id);
      deleted();
      await release;
      return gone;
    });
    await removed;
    const starting = admin.post(`/api/pms/connections/${id}/sync`, {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    commit();
    expect(await removing).not.toBeNull();
    const started = await starting;
    expect(started.status, JSON.stringify(started.body)).toBe(404);
    expect(started.body.error.code).toBe('pms.connection_not_found');
  });
});
