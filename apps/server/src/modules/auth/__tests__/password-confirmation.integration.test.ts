import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv } from '../../../../test/harness.ts';

/**
 * Asking for the current password inside a session (changing it, replacing recovery codes, turning the authenticator
 * off) must not be an unlimited guessing oracle for whoever finds a browser left signed in: the same budget as the
 * sign-in form, per account and address (decision 0007).
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

describe('confirming the password inside a session', () => {
  it('five wrong current passwords lock the address out: the right one is then refused, and so is signing in from there', async () => {
    const tenant = await createTestTenant(env);
    const session = await signedInAs(env, tenant.adminEmail, tenant.password);
    for (let i = 0; i < 5; i++) {
      const wrong = await session.post('/api/auth/password', { currentPassword: `guess number ${i}`, newPassword: 'a brand new passphrase' });
      expect([wrong.status, wrong.body.error.code]).toEqual([400, 'auth.wrong_password']);
    }
    const right = await session.post('/api/auth/password', { currentPassword: tenant.password, newPassword: 'a brand new passphrase' });
    expect([right.status, right.body.error?.code]).toEqual([429, 'auth.account_locked']);
    expect((await new ApiClient(env).submitPassword(tenant.adminEmail, tenant.password)).status).toBe(429);
  });

  it('a right password after a few wrong ones still works', async () => {
    const tenant = await createTestTenant(env);
    const session = await signedInAs(env, tenant.adminEmail, tenant.password);
    for (let i = 0; i < 3; i++) expect((await session.post('/api/auth/password', { currentPassword: `guess ${i} here`, newPassword: 'a brand new passphrase' })).status).toBe(400);
    expect((await session.post('/api/auth/password', { currentPassword: tenant.password, newPassword: 'a brand new passphrase' })).status).toBe(200);
  });
});
