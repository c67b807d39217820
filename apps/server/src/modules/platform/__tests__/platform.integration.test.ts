import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../../app/bootstrap.ts';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { openTestDatabase } from '../../../../test/database.ts';
import { startTestEnv, type TestEnv } from '../../../../test/harness.ts';
import { loadConfig } from '../../../config/config.ts';
import { migrate } from '../../../core/db/migrate.ts';

let env: TestEnv;
let operator: ApiClient;

beforeAll(async () => {
  env = await startTestEnv({ OPERATOR_PASSWORD: 'operator passphrase 1', SEED_DEMO: 'true' });
  const report = await bootstrap(env.runtime);
  expect(report.operator?.email).toBe('operator@innkeeper.example');
  expect(report.demo?.tenantName).toBe('山嵐飯店集團');
  operator = await signedInAs(env, 'operator@innkeeper.example', 'operator passphrase 1');
});
afterAll(() => env.close());

describe('platform operator', () => {
  it('bootstraps once: a second start creates nothing new', async () => {
    const before = (await operator.get('/api/platform/tenants')).body.data.length;
    const again = await bootstrap(env.runtime);
    expect(again.operator).toBeUndefined();
    expect((await operator.get('/api/platform/tenants')).body.data.length).toBe(before);
  });

  it('bootstraps from the database alone, as `npm run migrate` does before api and worker processes start', async () => {
    const db = await openTestDatabase();
    try {
      await migrate(db);
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false', OPERATOR_PASSWORD: 'operator passphrase 2' });
      const first = await bootstrap({ db, config, clock: env.clock });
      expect(first.operator).toEqual({ email: 'operator@innkeeper.example', password: 'operator passphrase 2' });
      expect(first.demo).toBeUndefined();
      expect((await bootstrap({ db, config, clock: env.clock })).operator).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('creates a hotel tenant whose first administrator is invited by email and can sign in', async () => {
    const created = await operator.post('/api/platform/tenants', {
      name: '海灣飯店',
      slug: 'bay-hotels',
      properties: [
        { code: 'KHH', name: '高雄館' },
        { code: 'TNN', name: '台南館' },
      ],
      administrator: { email: 'gm@bay.example', displayName: '總經理' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '海灣飯店', slug: 'bay-hotels', kind: 'hotel', status: 'active' });
    expect((await operator.post('/api/platform/tenants', { name: 'x', slug: 'bay-hotels', properties: [{ code: 'A', name: 'a' }], administrator: { email: 'x@y.example', displayName: 'x' } })).body.error.code).toBe('tenant.slug_taken');

    const token = await latestLinkToken(env, 'gm@bay.example');
    expect((await new ApiClient(env).post('/api/auth/set-password', { token, password: 'general manager 1' })).status).toBe(200);
    const gm = await signedInAs(env, 'gm@bay.example', 'general manager 1');
    const me = await gm.get('/api/auth/me');
    expect(me.body.tenant.name).toBe('海灣飯店');
    expect(me.body.account.role.builtinKey).toBe('administrator');
    expect((await gm.get('/api/properties')).body.data.map((p: { code: string }) => p.code)).toEqual(['KHH', 'TNN']);
    expect((await gm.get('/api/platform/tenants')).status).toBe(403);

    const operatorAudit = await operator.get('/api/audit-log?action=platform.');
    expect(operatorAudit.body.data[0]).toMatchObject({ action: 'platform.tenant_created', targetId: created.body.id });
    const hotelAudit = await gm.get('/api/audit-log?action=tenant.');
    expect(hotelAudit.body.data[0]).toMatchObject({ action: 'tenant.provisioned', actorEmail: 'operator@innkeeper.example' });
  });

  it('suspends a tenant: its staff are signed out and cannot sign in until it is reactivated', async () => {
    const tenants = (await operator.get('/api/platform/tenants')).body.data as Array<{ id: string; slug: string }>;
    const demo = tenants.find((t) => t.slug === 'demo-hotels')!;
    const staff = await signedInAs(env, 'admin@demo-hotels.example', env.config.demoAdminPassword);
    expect((await operator.post(`/api/platform/tenants/${demo.id}/status`, { status: 'suspended' })).body.status).toBe('suspended');
    expect((await staff.get('/api/auth/me')).body.error.code).toBe('auth.tenant_suspended');
    expect((await new ApiClient(env).submitPassword('admin@demo-hotels.example', env.config.demoAdminPassword)).body.error.code).toBe('auth.tenant_suspended');
    await operator.post(`/api/platform/tenants/${demo.id}/status`, { status: 'active' });
    await signedInAs(env, 'admin@demo-hotels.example', env.config.demoAdminPassword);
  });

  it('keeps the platform tenant to its operator role', async () => {
    expect((await operator.post('/api/roles', { name: '客服', permissions: ['members.read'] })).body.error.code).toBe('role.platform_fixed');
  });

  it('cannot suspend the platform itself', async () => {
    const platform = ((await operator.get('/api/platform/tenants')).body.data as Array<{ id: string; kind: string }>).find((t) => t.kind === 'platform')!;
    expect((await operator.post(`/api/platform/tenants/${platform.id}/status`, { status: 'suspended' })).status).toBe(409);
  });
});
