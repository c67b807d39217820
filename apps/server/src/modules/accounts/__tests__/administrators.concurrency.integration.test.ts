import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../core/db/database.ts';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

async function activeAdministrators(tenant: TestTenant): Promise<number> {
  const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from accounts a join roles r on r.tenant_id = a.tenant_id and r.id = a.role_id
          where a.status = 'active' and r.builtin_key = 'administrator'`,
    ),
  );
  return row!.n;
}

/** A tenant with two signed-in administrators. */
async function twoAdministrators() {
  const tenant = await createTestTenant(env);
  const first = await signedInAs(env, tenant.adminEmail, tenant.password);
  const roles = (await first.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string | null }>;
  const email = `second@${tenant.slug}.example`;
  const created = await first.post('/api/accounts', { email, displayName: '副管理員', roleId: roles.find((r) => r.builtinKey === 'administrator')!.id });
  expect(created.status).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'second administrator 1' });
  const second = await signedInAs(env, email, 'second administrator 1');
  const firstId = (await first.get('/api/auth/me')).body.account.id as string;
  return { tenant, first, second, firstId, secondId: created.body.id as string };
}

describe('the last administrator', () => {
  it('[concurrency] two administrators disabling each other at once leave one of them active', async () => {
    for (let round = 0; round < 3; round++) {
      const { tenant, first, second, firstId, secondId } = await twoAdministrators();
      const results = await Promise.all([first.post(`/api/accounts/${secondId}/status`, { status: 'disabled' }), second.post(`/api/accounts/${firstId}/status`, { status: 'disabled' })]);
      expect(await activeAdministrators(tenant)).toBe(1);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      // The loser is refused as the last administrator, or finds its own account already disabled.
      expect([403, 409]).toContain(statuses[1]);
    }
  });

  it('[concurrency] two administrators demoting each other at once leave one of them an administrator', async () => {
    for (let round = 0; round < 3; round++) {
      const { tenant, first, second, firstId, secondId } = await twoAdministrators();
      const roles = (await first.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string | null }>;
      const marketing = roles.find((r) => r.builtinKey === 'marketing')!.id;
      await Promise.all([first.patch(`/api/accounts/${secondId}`, { roleId: marketing }), second.patch(`/api/accounts/${firstId}`, { roleId: marketing })]);
      expect(await activeAdministrators(tenant)).toBe(1);
    }
  });
});
