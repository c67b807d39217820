import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../core/db/database.ts';
import { ApiClient } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv } from '../../../../test/harness.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ LOGIN_MAX_FAILURES: '8' });
});
afterAll(() => env.close());

describe('counting failed sign-ins', () => {
  it('[concurrency] eight wrong passwords at once are eight failures: the eighth locks, and the right password is then refused', async () => {
    const tenant = await createTestTenant(env);
    const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) => new ApiClient(env).submitPassword(tenant.adminEmail, `wrong password ${i}`)));
    expect(attempts.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    const right = await new ApiClient(env).submitPassword(tenant.adminEmail, tenant.password);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('auth.account_locked');
    // Both counts hold all eight: the address's run and the account-wide window.
    const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ by_source: number; by_account: number }>(
        tx,
        sql`select (select failures from login_failures f where f.account_id = a.id) as by_source, a.failed_logins as by_account from accounts a where a.email = ${tenant.adminEmail}`,
      ),
    );
    expect(row).toEqual({ by_source: 8, by_account: 8 });
  });
});
