import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, latestLoginCode, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { currentTotp } from '../totp.ts';

let env: TestEnv;
let tenant: TestTenant;

beforeAll(async () => {
  env = await startTestEnv();
  tenant = await createTestTenant(env);
});
afterAll(() => env.close());

async function auditActions(client: ApiClient, action: string) {
  const response = await client.get(`/api/audit-log?action=${encodeURIComponent(action)}&pageSize=200`);
  expect(response.status).toBe(200);
  return response.body.data as Array<{ action: string; actorEmail: string; details: Record<string, unknown> }>;
}

describe('sign-in with password and an emailed code', () => {
  it('signs in, reaches /me and writes the login to the audit log', async () => {
    const client = new ApiClient(env);
    expect((await client.submitPassword(tenant.adminEmail, 'a wrong password')).status).toBe(401);
    const first = await client.submitPassword(tenant.adminEmail.toUpperCase(), tenant.password);
    expect(first.status).toBe(200);
    expect(first.body.challenge).toEqual({ method: 'email', emailHint: 'a***@' + tenant.adminEmail.split('@')[1] });
    // The pending session is not signed in yet.
    expect((await client.get('/api/auth/me')).status).toBe(401);

    const code = await latestLoginCode(env, tenant.adminEmail);
    const second = await client.post('/api/auth/second-factor', { method: 'email', code });
    expect(second.status).toBe(200);
    const me = await client.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.account.email).toBe(tenant.adminEmail);
    expect(me.body.permissions).toContain('accounts.manage');
    expect(me.body.tenant.kind).toBe('hotel');
    client.csrfToken = me.body.csrfToken;

    const logins = await auditActions(client, 'auth.login');
    expect(logins.some((e) => e.actorEmail === tenant.adminEmail && e.details.method === 'email')).toBe(true);
    // An exact action filter; a trailing dot selects the whole group.
    expect(new Set(logins.map((e) => e.action))).toEqual(new Set(['auth.login']));
    expect(new Set((await auditActions(client, 'auth.')).map((e) => e.action))).toEqual(new Set(['auth.login', 'auth.login_failed']));
  });

  it('tells the sign-in page where a browser stands without answering 401', async () => {
    const client = new ApiClient(env);
    expect((await client.get('/api/auth/session')).body).toEqual({ stage: 'none' });
    await client.submitPassword(tenant.adminEmail, tenant.password);
    expect((await client.get('/api/auth/session')).body).toEqual({ stage: 'second_factor' });
    // A new code cannot be asked for again within a minute.
    const tooSoon = await client.post('/api/auth/second-factor/resend');
    expect(tooSoon.status).toBe(429);
    env.clock.advanceMinutes(1.1);
    expect((await client.post('/api/auth/second-factor/resend')).status).toBe(200);
    await client.post('/api/auth/second-factor', { method: 'email', code: await latestLoginCode(env, tenant.adminEmail) });
    // Signed in, the probe answers with the account as /me gives it: the app needs one round trip, not two.
    const probe = await client.get('/api/auth/session');
    expect(probe.status).toBe(200);
    expect(probe.body.stage).toBe('active');
    const me = await client.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(probe.body.me).toEqual(me.body);
    expect(probe.body.me.account.email).toBe(tenant.adminEmail);
    expect(probe.body.me.permissions).toContain('accounts.manage');
    expect(probe.body.me.csrfToken).toEqual(expect.any(String));
  });

  it('answers a browser whose session ended (idle timeout, sign-out) with no account and no 401', async () => {
    const idle = await signedInAs(env, tenant.adminEmail, tenant.password);
    env.clock.advanceMinutes(31);
    const expired = await idle.get('/api/auth/session');
    expect(expired.status).toBe(200);
    expect(expired.body).toEqual({ stage: 'none' });
    // The expired session was deleted, not merely refused: /me says so with the usual code.
    expect((await idle.get('/api/auth/me')).body.error.code).toBe('auth.unauthenticated');

    const signedOut = await signedInAs(env, tenant.adminEmail, tenant.password);
    expect((await signedOut.get('/api/auth/session')).body.stage).toBe('active');
    expect((await signedOut.post('/api/auth/logout')).status).toBe(200);
    expect((await signedOut.get('/api/auth/session')).body).toEqual({ stage: 'none' });
  });

  it('refuses a wrong email code, counts it, and ends the attempt after five', async () => {
    const client = new ApiClient(env);
    await client.submitPassword(tenant.adminEmail, tenant.password);
    for (let i = 1; i <= 4; i++) {
      const wrong = await client.post('/api/auth/second-factor', { method: 'email', code: '000000' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('auth.invalid_code');
      expect(wrong.body.error.details.attemptsLeft).toBe(5 - i);
    }
    const last = await client.post('/api/auth/second-factor', { method: 'email', code: '000000' });
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('auth.too_many_code_attempts');
    // The pending session is gone: even the right code no longer works.
    const code = await latestLoginCode(env, tenant.adminEmail);
    expect((await client.post('/api/auth/second-factor', { method: 'email', code })).status).toBe(401);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const client = new ApiClient(env);
    const unknown = await client.submitPassword('nobody@nowhere.example', 'whatever-password');
    const wrong = await client.submitPassword(tenant.adminEmail, 'wrong-password-1');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body.error.message).toBe('電子郵件或密碼錯誤。');
  });
});

describe('lockout after repeated failures', () => {
  it('locks the account for a while after five wrong passwords, even for the right one, then lets it in again', async () => {
    const locked = await createTestTenant(env);
    const client = new ApiClient(env, { locale: 'en' });
    for (let i = 0; i < 4; i++) expect((await client.submitPassword(locked.adminEmail, `wrong-${i}-password`)).status).toBe(401);
    const fifth = await client.submitPassword(locked.adminEmail, 'wrong-5-password');
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('auth.account_locked');
    expect(fifth.headers['retry-after']).toBe(String(15 * 60));

    const rightButLocked = await client.submitPassword(locked.adminEmail, locked.password);
    expect(rightButLocked.status).toBe(429);
    expect(rightButLocked.body.error.message).toMatch(/temporarily locked/);

    env.clock.advanceMinutes(16);
    const admin = await signedInAs(env, locked.adminEmail, locked.password);
    const events = (await auditActions(admin, 'auth.')).map((e) => e.action);
    expect(events.filter((a) => a === 'auth.login_failed')).toHaveLength(5);
    expect(events).toContain('auth.account_locked');
    expect(events).toContain('auth.login_blocked');
  });
});

describe('authenticator app (TOTP)', () => {
  it('enrols by QR code, then asks for the app code at sign-in and accepts a recovery code once', async () => {
    const owner = await createTestTenant(env);
    const client = await signedInAs(env, owner.adminEmail, owner.password);
    const setup = await client.post('/api/auth/totp/setup');
    expect(setup.status).toBe(200);
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/Innkeeper:/);
    expect(setup.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const secret: string = setup.body.secret;

    expect((await client.post('/api/auth/totp/confirm', { code: '123456' })).body.error.code).toBe('auth.invalid_code');
    const confirm = await client.post('/api/auth/totp/confirm', { code: currentTotp(secret, env.clock.now()) });
    expect(confirm.status).toBe(200);
    const recoveryCodes: string[] = confirm.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);

    // The code that confirmed the enrolment is used up; the app's next code signs in.
    const next = new ApiClient(env);
    const first = await next.submitPassword(owner.adminEmail, owner.password);
    expect(first.body.challenge.method).toBe('totp');
    expect((await next.post('/api/auth/second-factor', { method: 'totp', code: currentTotp(secret, env.clock.now()) })).status).toBe(401);
    env.clock.advanceMinutes(0.5);
    const ok = await next.post('/api/auth/second-factor', { method: 'totp', code: currentTotp(secret, env.clock.now()) });
    expect(ok.status).toBe(200);

    const withRecovery = new ApiClient(env);
    await withRecovery.submitPassword(owner.adminEmail, owner.password);
    expect((await withRecovery.post('/api/auth/second-factor', { method: 'recovery', code: recoveryCodes[0]!.toUpperCase() })).status).toBe(200);
    const reuse = new ApiClient(env);
    await reuse.submitPassword(owner.adminEmail, owner.password);
    expect((await reuse.post('/api/auth/second-factor', { method: 'recovery', code: recoveryCodes[0] })).status).toBe(401);

    // The TOTP secret is stored encrypted, not as the base32 the app scanned.
    const me = await withRecovery.get('/api/auth/me');
    expect(me.body.account.totpEnabled).toBe(true);
    expect(me.body.account.recoveryCodesLeft).toBe(9);
  });
});

describe('a TOTP code is good once', () => {
  /** A tenant administrator who has turned on an authenticator app, a minute later (the enrolment's code is used up). */
  async function enrolledInTotp() {
    const owner = await createTestTenant(env);
    const client = await signedInAs(env, owner.adminEmail, owner.password);
    const secret: string = (await client.post('/api/auth/totp/setup')).body.secret;
    expect((await client.post('/api/auth/totp/confirm', { code: currentTotp(secret, env.clock.now()) })).status).toBe(200);
    env.clock.advanceMinutes(1);
    return { owner, secret };
  }

  it('refuses the same code for a second sign-in within its window, and an older one; the next code works', async () => {
    const { owner, secret } = await enrolledInTotp();
    const code = currentTotp(secret, env.clock.now());
    const olderCode = currentTotp(secret, new Date(env.clock.now().getTime() - 30_000));

    const first = new ApiClient(env);
    await first.submitPassword(owner.adminEmail, owner.password);
    expect((await first.post('/api/auth/second-factor', { method: 'totp', code })).status).toBe(200);
    // Seen over a shoulder or in a log: the same code, still inside its 90-second window, opens nothing.
    const replay = new ApiClient(env);
    await replay.submitPassword(owner.adminEmail, owner.password);
    expect((await replay.post('/api/auth/second-factor', { method: 'totp', code })).status).toBe(401);
    expect((await replay.post('/api/auth/second-factor', { method: 'totp', code: olderCode })).status).toBe(401);
    env.clock.advanceMinutes(0.5);
    expect((await replay.post('/api/auth/second-factor', { method: 'totp', code: currentTotp(secret, env.clock.now()) })).status).toBe(200);
  });

  it('[concurrency] the same code sent for two sign-ins at once opens one session', async () => {
    const { owner, secret } = await enrolledInTotp();
    const code = currentTotp(secret, env.clock.now());
    const browsers = [new ApiClient(env), new ApiClient(env), new ApiClient(env), new ApiClient(env)];
    for (const browser of browsers) await browser.submitPassword(owner.adminEmail, owner.password);
    const answers = await Promise.all(browsers.map((browser) => browser.post('/api/auth/second-factor', { method: 'totp', code })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401]);
  });
});

describe('sessions', () => {
  it('expires after the idle timeout and after the absolute timeout', async () => {
    const idle = await signedInAs(env, tenant.adminEmail, tenant.password);
    env.clock.advanceMinutes(29);
    expect((await idle.get('/api/auth/me')).status).toBe(200);
    env.clock.advanceMinutes(31);
    const expired = await idle.get('/api/auth/me');
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('auth.session_expired');

    const busy = await signedInAs(env, tenant.adminEmail, tenant.password);
    // Active every 25 minutes, so never idle: 28 × 25 min = 11 h 40 min is still inside the 12-hour limit.
    for (let step = 0; step < 28; step++) {
      env.clock.advanceMinutes(25);
      expect((await busy.get('/api/auth/me')).status).toBe(200);
    }
    env.clock.advanceMinutes(25);
    expect((await busy.get('/api/auth/me')).body.error.code).toBe('auth.session_expired');
  });

  it('requires the CSRF token for changes', async () => {
    const client = await signedInAs(env, tenant.adminEmail, tenant.password);
    const token = client.csrfToken;
    client.csrfToken = undefined;
    const refused = await client.post('/api/auth/logout');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('auth.csrf_invalid');
    client.csrfToken = 'not-the-token';
    expect((await client.post('/api/auth/logout')).status).toBe(403);
    client.csrfToken = token;
    expect((await client.post('/api/auth/logout')).status).toBe(200);
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });

  it('logs out everywhere', async () => {
    const a = await signedInAs(env, tenant.adminEmail, tenant.password);
    const b = await signedInAs(env, tenant.adminEmail, tenant.password);
    const sessions = await a.get('/api/auth/sessions');
    expect(sessions.body.data.length).toBeGreaterThanOrEqual(2);
    const result = await a.post('/api/auth/logout-everywhere');
    expect(result.status).toBe(200);
    expect(result.body.sessionsEnded).toBeGreaterThanOrEqual(2);
    expect((await a.get('/api/auth/me')).status).toBe(401);
    expect((await b.get('/api/auth/me')).status).toBe(401);
  });

  it('rejects forged cookies without touching the database', async () => {
    const client = new ApiClient(env);
    for (const cookie of ['ik_session=garbage', `ik_session=${tenant.tenantId}.short`, `ik_session=${tenant.tenantId}.${'a'.repeat(43)}`]) {
      client.cookie = cookie;
      const response = await client.get('/api/auth/me');
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('auth.unauthenticated');
    }
  });
});

describe('password reset', () => {
  it('emails a link, sets the new password, ends old sessions, and the link works once', async () => {
    const owner = await createTestTenant(env);
    const old = await signedInAs(env, owner.adminEmail, owner.password);
    const anonymous = new ApiClient(env);
    expect((await anonymous.post('/api/auth/password-reset', { email: owner.adminEmail })).status).toBe(202);
    expect((await anonymous.post('/api/auth/password-reset', { email: 'nobody@example.com' })).status).toBe(202);
    const token = await latestLinkToken(env, owner.adminEmail);

    const weak = await anonymous.post('/api/auth/set-password', { token, password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.details.issues[0].path).toBe('password');
    const done = await anonymous.post('/api/auth/set-password', { token, password: 'a much better passphrase' });
    expect(done.status).toBe(200);
    expect((await anonymous.post('/api/auth/set-password', { token, password: 'another good passphrase' })).body.error.code).toBe('auth.invalid_link');
    expect((await old.get('/api/auth/me')).status).toBe(401);
    expect((await anonymous.submitPassword(owner.adminEmail, owner.password)).status).toBe(401);
    await signedInAs(env, owner.adminEmail, 'a much better passphrase');
  });

  it('tells the set-password page whose link it is, without using it up; a used, expired or forged link tells nothing', async () => {
    const owner = await createTestTenant(env);
    const anonymous = new ApiClient(env);
    await anonymous.post('/api/auth/password-reset', { email: owner.adminEmail });
    const token = await latestLinkToken(env, owner.adminEmail);
    const described = await anonymous.post('/api/auth/set-password/link', { token });
    expect(described.status).toBe(200);
    expect(described.body).toEqual({ email: owner.adminEmail, purpose: 'password_reset', tenantName: expect.any(String) });
    expect(described.body.tenantName).not.toBe('');
    // Asking again still works: describing is not using.
    expect((await anonymous.post('/api/auth/set-password/link', { token })).status).toBe(200);
    expect((await anonymous.post('/api/auth/set-password', { token, password: 'a much better passphrase' })).status).toBe(200);
    const used = await anonymous.post('/api/auth/set-password/link', { token });
    expect(used.status).toBe(400);
    expect(used.body.error.code).toBe('auth.invalid_link');
    expect(JSON.stringify(used.body)).not.toContain(owner.adminEmail);
    expect((await anonymous.post('/api/auth/set-password/link', { token: 'nonsense' })).body.error.code).toBe('auth.invalid_link');
    expect((await anonymous.post('/api/auth/set-password/link', { token: `${owner.tenantId}.${'a'.repeat(43)}` })).body.error.code).toBe('auth.invalid_link');
  });

  it('refuses expired and forged links', async () => {
    const anonymous = new ApiClient(env);
    await anonymous.post('/api/auth/password-reset', { email: tenant.adminEmail });
    const token = await latestLinkToken(env, tenant.adminEmail);
    env.clock.advanceMinutes(31);
    expect((await anonymous.post('/api/auth/set-password', { token, password: 'a much better passphrase' })).body.error.code).toBe('auth.invalid_link');
    expect((await anonymous.post('/api/auth/set-password', { token: 'nonsense', password: 'a much better passphrase' })).body.error.code).toBe('auth.invalid_link');
  });
});
