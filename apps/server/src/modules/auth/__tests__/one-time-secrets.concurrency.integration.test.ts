import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, latestLoginCode } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv } from '../../../../test/harness.ts';

/**
 * One-time secrets (a set-password link, a sign-in code and the five tries at it) must hold when the requests that
 * use them arrive at once: PostgreSQL runs them side by side, so a read-then-write check lets each of them pass.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

describe('one-time secrets under concurrent use', () => {
  it('[concurrency] a set-password link used by several requests at once sets a password once', async () => {
    const tenant = await createTestTenant(env);
    await new ApiClient(env).post('/api/auth/password-reset', { email: tenant.adminEmail });
    const token = await latestLinkToken(env, tenant.adminEmail);
    const passwords = Array.from({ length: 6 }, (_, i) => `attacker chosen password ${i}`);
    const results = await Promise.all(passwords.map((password) => new ApiClient(env).post('/api/auth/set-password', { token, password })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.body.error.code === 'auth.invalid_link')).toBe(true);
  });

  it('[concurrency] many guesses at a sign-in code at once get five tries in all, and a right code among them does not sign in after the fifth', async () => {
    const tenant = await createTestTenant(env);
    const browser = new ApiClient(env);
    expect((await browser.submitPassword(tenant.adminEmail, tenant.password)).status).toBe(200);
    const code = await latestLoginCode(env, tenant.adminEmail);
    const wrong = Array.from({ length: 11 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    // The right code goes last: after five wrong tries the pending sign-in must be over, whatever ran side by side.
    const guesses = [...wrong, code];
    const results = await Promise.all(
      guesses.map((guess) => browser.request('POST', '/api/auth/second-factor', { method: 'email', code: guess }, { 'x-csrf-token': browser.csrfToken! })),
    );
    const invalid = results.filter((r) => r.status !== 200 && r.body.error.code === 'auth.invalid_code');
    expect(invalid.length).toBeLessThanOrEqual(4);
    expect(results.filter((r) => r.status === 200)).toHaveLength(0);
  });

  it('[concurrency] one sign-in code sent twice at once opens one session, not two', async () => {
    const tenant = await createTestTenant(env);
    const browser = new ApiClient(env);
    expect((await browser.submitPassword(tenant.adminEmail, tenant.password)).status).toBe(200);
    const code = await latestLoginCode(env, tenant.adminEmail);
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => browser.request('POST', '/api/auth/second-factor', { method: 'email', code }, { 'x-csrf-token': browser.csrfToken! })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });
});
