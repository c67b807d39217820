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

  it('[concurrency] many wrong guesses at a sign-in code at once get five tries in all; the right code afterwards is refused', async () => {
    const tenant = await createTestTenant(env);
    const browser = new ApiClient(env);
    expect((await browser.submitPassword(tenant.adminEmail, tenant.password)).status).toBe(200);
    const code = await latestLoginCode(env, tenant.adminEmail);
    const wrong = Array.from({ length: 12 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const results = await Promise.all(
      wrong.map((guess) => browser.request('POST', '/api/auth/second-factor', { method: 'email', code: guess }, { 'x-csrf-token': browser.csrfToken! })),
    );
    // Four are told to try again; the fifth ends the pending sign-in, and every later one finds it gone.
    expect(results.filter((r) => r.body.error?.code === 'auth.invalid_code').length).toBeLessThanOrEqual(4);
    expect(results.every((r) => r.status !== 200 && r.status < 500)).toBe(true);
    const right = await browser.request('POST', '/api/auth/second-factor', { method: 'email', code }, { 'x-csrf-token': browser.csrfToken! });
    expect(right.status).not.toBe(200);
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
