import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv } from '../../../../test/harness.ts';
import { createRuntime } from '../../../app/runtime.ts';
import { loadConfig } from '../../../config/config.ts';
import { systemContext } from '../../../core/context.ts';
import type { Tx } from '../../../core/db/database.ts';
import { listCapturedMail, listCapturedSms } from '../mailbox.service.ts';
import { purgeCapturedMessagesJob } from '../mailbox.jobs.ts';

const keys = () => ({ ENCRYPTION_KEYS: `k1:${crypto.randomBytes(32).toString('base64')}`, BLIND_INDEX_KEY: crypto.randomBytes(32).toString('base64') });
/** What a hosted deployment sets: its own PostgreSQL, production mode, keys, a mail server (never contacted here). */
const PRODUCTION_LIKE = { NODE_ENV: 'production', DATABASE_URL: 'postgres://innkeeper@db.invalid/innkeeper', SMTP_URL: 'smtp://mail.invalid:587' };

describe('demo mode is explicit', () => {
  it('is on for the embedded database only, off with DATABASE_URL or in production, and never forced on in production', () => {
    expect(loadConfig({}).demoMode).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@db.invalid/x' }).demoMode).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).demoMode).toBe(false);
    // A hotel running the embedded database with its own mail server is no demo: no published password, no public mailbox.
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example:587' }).demoMode).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@db.invalid/x', DEMO_MODE: 'true' }).demoMode).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'production', DEMO_MODE: 'true' })).toThrow(/DEMO_MODE=true is not allowed with NODE_ENV=production/);
  });

  it('what only the demo has (seeded tenant with a known password, LINE simulator) is refused outside it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@db.invalid/x', SEED_DEMO: 'true' })).toThrow(/SEED_DEMO=true needs demo mode/);
    expect(() => loadConfig({ NODE_ENV: 'production', LINE_SIMULATOR: 'on' })).toThrow(/LINE_SIMULATOR=on needs demo mode/);
    const production = loadConfig({ ...PRODUCTION_LIKE });
    expect(production.seedDemo).toBe(false);
    expect(production.line.simulator).toBe(false);
  });

  it('a production-like configuration without SMTP_URL refuses to start, saying why', async () => {
    for (const env of [{ NODE_ENV: 'production' }, { DATABASE_URL: 'postgres://x@db.invalid/x' }]) {
      await expect(createRuntime(loadConfig({ ...env, ...keys() }))).rejects.toThrow(/SMTP_URL is required outside demo mode/);
    }
  });

  it('a mistyped SMTP_URL refuses to start, though the mail library loads only with the first mail', async () => {
    for (const SMTP_URL of ['mail.example.com:587', 'https://mail.example.com']) {
      await expect(createRuntime(loadConfig({ NODE_ENV: 'production', SMTP_URL, ...keys() }))).rejects.toThrow(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    }
  });
});

describe('a production-like configuration', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ ...PRODUCTION_LIKE, ...keys() });
  });
  afterAll(() => env.close());

  it('has no /api/demo-mailbox routes at all, and the sign-in page offers none', async () => {
    for (const url of ['/api/demo-mailbox', '/api/demo-mailbox?to=admin@example.com', '/api/demo-mailbox/sms']) {
      const response = await env.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'route.not_found' } });
    }
    const openapi = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths).filter((p) => p.includes('demo-mailbox'))).toEqual([]);
    expect((await env.app.inject({ method: 'GET', url: '/api/auth/options' })).json()).toEqual({ demoMailbox: false });
  });

  it('captures nothing: mail goes to SMTP; without an SMS provider binding by mobile is off and the LIFF page is told so', async () => {
    expect(env.runtime.mailer.mode).toBe('smtp');
    expect(env.runtime.sms.mode).toBe('none');
    const tenant = await createTestTenant(env);
    const ctx = (tx: Tx) => systemContext(tx, tenant.tenantId, 'test');
    const channel = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      env.runtime.channels.createChannel(ctx(tx), { name: 'LINE', channelId: '2000000101', channelSecret: 'a'.repeat(32), accessToken: 'token', loginChannelId: '2000000102', liffId: '2000000102-Member' }),
    );
    const config = await env.app.inject({ method: 'GET', url: `/api/liff/${tenant.tenantId}/${channel.id}/config` });
    expect(config.json()).toMatchObject({ bindingAvailable: false });
    const guest = { tenantId: tenant.tenantId, channelId: channel.id, lineUserId: 'U'.padEnd(33, '0'), displayName: null, pictureUrl: null, propertyId: null };
    await expect(env.runtime.binding.requestCode(guest, '+886912345678')).rejects.toMatchObject({ code: 'liff.binding_unavailable' });
  });
});

describe('the demo (default npm start)', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());

  it('captures mail and shows it on the public demo mailbox', async () => {
    const tenant = await createTestTenant(env);
    expect((await env.app.inject({ method: 'GET', url: '/api/auth/options' })).json()).toEqual({ demoMailbox: true });
    await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: tenant.adminEmail, password: tenant.password } });
    const mailbox = await env.app.inject({ method: 'GET', url: `/api/demo-mailbox?to=${encodeURIComponent(tenant.adminEmail)}` });
    expect(mailbox.statusCode).toBe(200);
    expect((mailbox.json() as { data: Array<{ subject: string }> }).data[0]?.subject).toMatch(/\d{6}/);
    expect((await env.app.inject({ method: 'GET', url: '/api/demo-mailbox/sms' })).statusCode).toBe(200);
    // SMS are captured, so guests can bind; settings say so.
    const admin = await signedInAs(env, tenant.adminEmail, tenant.password);
    expect((await admin.get('/api/member-portal/status')).body).toEqual({ bindingAvailable: true });
  });

  it('purges captured mail and SMS older than a day, keeping the rest', async () => {
    await env.runtime.mailer.send({ to: 'old@example.com', subject: 'old', text: 'old' });
    await env.runtime.mailer.send({ to: 'new@example.com', subject: 'new', text: 'new' });
    await env.runtime.sms.send({ to: '+886911000001', body: 'old code' });
    await env.runtime.sms.send({ to: '+886911000002', body: 'new code' });
    // Captured rows are stamped by the database; date them relative to the test clock.
    const now = env.clock.now().getTime();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
    await env.runtime.db.ownerTransaction(async (owner) => {
      await owner.query(`update captured_mail set created_at = $1 where to_address <> 'old@example.com'`, [at(1)]);
      await owner.query(`update captured_mail set created_at = $1 where to_address = 'old@example.com'`, [at(25)]);
      await owner.query(`update captured_sms set created_at = $1 where to_mobile = '+886911000001'`, [at(25)]);
      await owner.query(`update captured_sms set created_at = $1 where to_mobile = '+886911000002'`, [at(23)]);
    });
    await purgeCapturedMessagesJob({ db: env.runtime.db, clock: env.clock }).handler({}, { id: 'test', retryCount: 0 });
    const mail = (await listCapturedMail(env.runtime.db, 100)).map((m) => m.toAddress);
    expect(mail).toContain('new@example.com');
    expect(mail).not.toContain('old@example.com');
    const sms = (await listCapturedSms(env.runtime.db, 100)).map((m) => m.toMobile);
    expect(sms).toEqual(['+886911000002']);
  });
});
