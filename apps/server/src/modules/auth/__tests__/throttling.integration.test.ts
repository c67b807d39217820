import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../core/db/database.ts';
import { ApiClient, latestLinkToken, latestMailTo } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';

// Decision 0007: a lock per account and source address, a slower account-wide throttle that alerts the owner.
// The requests come through a trusted proxy (inject's 127.0.0.1), so X-Forwarded-For says where each comes from.

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ TRUSTED_PROXIES: '127.0.0.1', LOGIN_ACCOUNT_FAILURES_PER_HOUR: '12' });
});
afterAll(() => env.close());

function signIn(email: string, password: string, from: string) {
  return new ApiClient(env, { locale: 'en' }).request('POST', '/api/auth/login', { email, password }, { 'x-forwarded-for': from });
}

async function auditActions(tenant: TestTenant): Promise<string[]> {
  const rows = await env.runtime.db.withTenant(tenant.tenantId, (tx) => queryRows<{ action: string }>(tx, sql`select action from audit_log order by occurred_at, id`));
  return rows.map((r) => r.action);
}

const ALERT_SUBJECT = 'Innkeeper：您的帳號登入失敗次數過多';

describe('a lock per account and source address', () => {
  it('five wrong passwords lock out the address that sent them, not the account: the owner still signs in from elsewhere', async () => {
    const tenant = await createTestTenant(env);
    for (let i = 0; i < 4; i++) expect((await signIn(tenant.adminEmail, `wrong ${i} password`, '198.51.100.7')).status).toBe(401);
    const fifth = await signIn(tenant.adminEmail, 'wrong 5 password', '198.51.100.7');
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('auth.account_locked');
    expect((await signIn(tenant.adminEmail, tenant.password, '198.51.100.7')).status).toBe(429);

    const owner = await signIn(tenant.adminEmail, tenant.password, '203.0.113.20');
    expect(owner.status).toBe(200);
    expect(owner.body.challenge.method).toBe('email');
    // Its last mail is the sign-in code, not an alert.
    expect((await latestMailTo(env, tenant.adminEmail)).subject).not.toBe(ALERT_SUBJECT);
  });

  it('counts an IPv6 client by its /64 network, so rotating addresses inside it does not help', async () => {
    const tenant = await createTestTenant(env);
    for (let i = 1; i <= 5; i++) await signIn(tenant.adminEmail, `wrong ${i} password`, `2001:db8:7:8::${i}`);
    const rotated = await signIn(tenant.adminEmail, tenant.password, '2001:db8:7:8:ffff::99');
    expect(rotated.status).toBe(429);
    expect((await signIn(tenant.adminEmail, tenant.password, '2001:db8:7:9::1')).status).toBe(200);
  });
});

describe('an email that has no account', () => {
  it('is answered exactly like an account: the fifth wrong password from an address is locked out, with the same wait', async () => {
    // Otherwise five tries tell anyone which e-mail addresses are staff accounts (a known one locks, an unknown never).
    const tenant = await createTestTenant(env);
    const answers = async (email: string, from: string) => {
      const seen: Array<[number, string, unknown]> = [];
      for (let i = 0; i < 7; i++) {
        const response = await signIn(email, `wrong ${i} password`, from);
        seen.push([response.status, response.body.error.code, response.headers['retry-after']]);
      }
      return seen;
    };
    const known = await answers(tenant.adminEmail, '198.51.100.41');
    const unknown = await answers(`nobody-${tenant.slug}@hotel.example`, '198.51.100.42');
    expect(unknown).toEqual(known);
    expect(known[4]).toEqual([429, 'auth.account_locked', '900']);
    // Another address is not locked out of it, as for an account.
    expect((await signIn(`nobody-${tenant.slug}@hotel.example`, 'wrong again', '198.51.100.43')).status).toBe(401);
  });
});

describe('the account-wide throttle', () => {
  it('failures from many addresses pause the account for the rest of the hour and alert its owner once', async () => {
    const tenant = await createTestTenant(env);
    for (let i = 1; i <= 11; i++) expect((await signIn(tenant.adminEmail, `wrong ${i} password`, `192.0.2.${i}`)).status).toBe(401);
    const twelfth = await signIn(tenant.adminEmail, 'wrong 12 password', '192.0.2.12');
    expect(twelfth.status).toBe(429);
    expect(twelfth.headers['retry-after']).toBe(String(60 * 60));
    const paused = await signIn(tenant.adminEmail, tenant.password, '203.0.113.30');
    expect(paused.status).toBe(429);
    expect(paused.body.error.code).toBe('auth.account_locked');

    const alert = await latestMailTo(env, tenant.adminEmail);
    expect(alert.subject).toBe(ALERT_SUBJECT);
    expect(alert.textBody).toContain('12 次登入失敗');
    expect(alert.textBody).toContain('http://innkeeper.test/forgot-password');
    await signIn(tenant.adminEmail, 'wrong 13 password', '192.0.2.13');
    expect((await latestMailTo(env, tenant.adminEmail)).id).toBe(alert.id);
    const actions = await auditActions(tenant);
    expect(actions.filter((a) => a === 'auth.account_throttled')).toHaveLength(1);
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(12);

    env.clock.advanceMinutes(61);
    expect((await signIn(tenant.adminEmail, tenant.password, '203.0.113.30')).status).toBe(200);
  });

  it('the owner lifts the pause at once by choosing a new password through the mailed link', async () => {
    const tenant = await createTestTenant(env);
    for (let i = 1; i <= 12; i++) await signIn(tenant.adminEmail, `wrong ${i} password`, `192.0.2.${100 + i}`);
    expect((await signIn(tenant.adminEmail, tenant.password, '203.0.113.40')).status).toBe(429);
    const anonymous = new ApiClient(env);
    expect((await anonymous.post('/api/auth/password-reset', { email: tenant.adminEmail })).status).toBe(202);
    expect((await anonymous.post('/api/auth/set-password', { token: await latestLinkToken(env, tenant.adminEmail), password: 'a brand new passphrase' })).status).toBe(200);
    expect((await signIn(tenant.adminEmail, 'a brand new passphrase', '203.0.113.40')).status).toBe(200);
  });
});
