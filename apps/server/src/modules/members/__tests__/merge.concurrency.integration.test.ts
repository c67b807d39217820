import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../core/db/database.ts';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';

/** Merging duplicate members when two staff (or a double click) act on the same records at once. */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
});
afterAll(() => env.close());

async function member(lastName: string): Promise<string> {
  const created = await admin.post('/api/members', { lastName, notes: lastName });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('merging under concurrent requests', () => {
  it('[concurrency] one record merged into two members at once is merged once; deleting the survivor meanwhile is never a 500', async () => {
    for (let round = 0; round < 4; round++) {
      const [a, b, c] = [await member(`甲${round}`), await member(`乙${round}`), await member(`丙${round}`)];
      expect((await admin.post(`/api/members/${b}/stays`, { propertyId: tenant.propertyIds[0], checkIn: '2026-10-01', checkOut: '2026-10-02' })).status).toBe(201);
      const [intoA, intoC, deleteA] = await Promise.all([
        admin.post(`/api/members/${a}/merge`, { mergedMemberId: b, choices: { notes: 'merged' } }),
        admin.post(`/api/members/${c}/merge`, { mergedMemberId: b, choices: { notes: 'merged' } }),
        admin.delete(`/api/members/${a}`),
      ]);
      const statuses = [intoA.status, intoC.status, deleteA.status];
      expect(statuses.every((s) => s < 500), JSON.stringify(statuses)).toBe(true);
      expect([intoA, intoC].filter((r) => r.status === 200).length, JSON.stringify(statuses)).toBeLessThanOrEqual(1);
      const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
        queryRows<{ n: number }>(tx, sql`select count(*)::int as n from member_interactions where type = 'merged' and details->>'mergedMemberNo' = (select member_no from members where id = ${b})`),
      );
      expect(row!.n).toBeLessThanOrEqual(1);
    }
  });
});
