import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../core/db/database.ts';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';

/** Restoring and erasing a member in the trash, and stays with a PMS reservation number, when requests cross. */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
});
afterAll(() => env.close());

async function deletedMember(lastName: string): Promise<string> {
  const created = await admin.post('/api/members', { lastName });
  expect(created.status).toBe(201);
  expect((await admin.delete(`/api/members/${created.body.id}`)).status).toBe(200);
  return created.body.id;
}

async function memberExists(id: string): Promise<{ exists: boolean; deleted: boolean }> {
  const rows = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ deleted: boolean }>(tx, sql`select deleted_at is not null as deleted from members where id = ${id}`));
  return { exists: rows.length === 1, deleted: rows[0]?.deleted ?? false };
}

describe('the trash under concurrent requests', () => {
  it('[concurrency] a restore and an erasure at once: a restored member is never erased, and neither answers 500', async () => {
    for (let round = 0; round < 4; round++) {
      const id = await deletedMember(`競爭${round}`);
      const [restore, erase, again] = await Promise.all([
        admin.post(`/api/members/${id}/restore`),
        admin.post(`/api/members/${id}/erase`),
        admin.post(`/api/members/${id}/restore`),
      ]);
      const statuses = [restore.status, erase.status, again.status];
      expect(statuses.every((s) => s < 500), JSON.stringify(statuses)).toBe(true);
      const row = await memberExists(id);
      const restored = [restore, again].filter((r) => r.status === 200).length;
      // Exactly one of the two outcomes, and what was answered is what happened.
      if (erase.status === 204) expect([row.exists, restored]).toEqual([false, 0]);
      else expect([row.exists, row.deleted, restored]).toEqual([true, false, 1]);
    }
  });

  it('[concurrency] erasing the same member three times at once erases it once', async () => {
    const id = await deletedMember('三次清除');
    const results = await Promise.all([1, 2, 3].map(() => admin.post(`/api/members/${id}/erase`)));
    expect(results.map((r) => r.status).sort()).toEqual([204, 404, 404]);
    const audits = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ n: number }>(tx, sql`select count(*)::int as n from audit_log where action = 'member.erased' and target_id = ${id}`),
    );
    expect(audits[0]!.n).toBe(1);
  });
});

describe('stays with a reservation number', () => {
  it('[concurrency] the same reservation number at the same property, sent at once or again, is refused with 409, never 500', async () => {
    const member = (await admin.post('/api/members', { lastName: '訂房' })).body.id;
    const stay = { propertyId: tenant.propertyIds[0], checkIn: '2026-10-01', checkOut: '2026-10-02', externalId: 'PMS-4711' };
    const results = await Promise.all(Array.from({ length: 4 }, () => admin.post(`/api/members/${member}/stays`, stay)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const again = await admin.post(`/api/members/${member}/stays`, stay);
    expect([again.status, again.body.error.code, again.body.error.details?.field]).toEqual([409, 'stay.external_id_taken', 'externalId']);
  });
});
