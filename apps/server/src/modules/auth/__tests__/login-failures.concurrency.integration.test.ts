import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  });
});
