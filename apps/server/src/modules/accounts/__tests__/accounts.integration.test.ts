import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import { createTestTenant, type TestEnv, type TestTenant } from '../../../../test/harness.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let roleIds: Record<string, string>;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  const roles = await admin.get('/api/roles');
  roleIds = Object.fromEntries(roles.body.data.map((r: { builtinKey: string; id: string }) => [r.builtinKey, r.id]));
});
afterAll(() => env.close());

async function createAndActivate(email: string, roleKey: string, password = 'marketing passphrase 1') {
  const created = await admin.post('/api/accounts', { email, displayName: '行銷小美', roleId: roleIds[roleKey] });
  expect(created.status).toBe(201);
  const token = await latestLinkToken(env, email);
  const anonymous = new ApiClient(env);
  expect((await anonymous.post('/api/auth/set-password', { token, password })).status).toBe(200);
  return { id: created.body.id as string, client: await signedInAs(env, email, password) };
}

describe('built-in roles', () => {
  it('every hotel starts with 客服, 行銷, 管理層 and 管理員, which cannot be edited or deleted', async () => {
    const roles = (await admin.get('/api/roles')).body.data as Array<{ name: string; builtinKey: string; permissions: string[]; accountCount: number }>;
    expect(roles.map((r) => r.name)).toEqual(['客服', '行銷', '管理層', '管理員']);
    expect(roles.map((r) => r.accountCount)).toEqual([0, 0, 0, 1]);
    expect(roles.find((r) => r.builtinKey === 'marketing')?.permissions).toEqual(['members.read', 'tags.edit', 'campaigns.edit', 'campaigns.push', 'reports.download']);
    expect((await admin.patch(`/api/roles/${roleIds.marketing}`, { name: 'x' })).body.error.code).toBe('role.builtin_readonly');
    expect((await admin.delete(`/api/roles/${roleIds.administrator}`)).status).toBe(409);
  });
});

describe('sub-accounts', () => {
  it('creates a 行銷 account that is invited by email, signs in, and is refused the accounts pages', async () => {
    const { id, client } = await createAndActivate('mei@hotel.example', 'marketing');
    const me = await client.get('/api/auth/me');
    expect(me.body.account.role.builtinKey).toBe('marketing');
    expect(me.body.permissions).not.toContain('accounts.manage');
    for (const url of ['/api/accounts', `/api/accounts/${id}`, '/api/roles', '/api/audit-log']) {
      const refused = await client.get(url);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('auth.forbidden');
    }
    expect((await client.post('/api/accounts', { email: 'x@hotel.example', displayName: 'x', roleId: roleIds.administrator })).status).toBe(403);

    const audit = await admin.get(`/api/audit-log?targetId=${id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['account.created', 'auth.invitation_accepted', 'auth.login']));
  });

  it('refuses a duplicate email, an unknown role, unknown fields and bad emails with field-level errors', async () => {
    await admin.post('/api/accounts', { email: 'dup@hotel.example', displayName: 'A', roleId: roleIds.customer_service });
    const duplicate = await admin.post('/api/accounts', { email: 'DUP@hotel.example', displayName: 'B', roleId: roleIds.customer_service });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: 'account.email_taken', details: { field: 'email' } });

    const unknownRole = await admin.post('/api/accounts', { email: 'r@hotel.example', displayName: 'R', roleId: '01900000-0000-7000-8000-000000000000' });
    expect(unknownRole.status).toBe(404);
    expect(unknownRole.body.error.code).toBe('role.not_found');

    const badEmail = await admin.post('/api/accounts', { email: 'not-an-email', displayName: 'R', roleId: roleIds.customer_service, isAdmin: true });
    expect(badEmail.status).toBe(400);
    const paths = badEmail.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['email', '']));
    expect(badEmail.body.error.details.issues.find((i: { path: string }) => i.path === 'email').message).toBe('請輸入有效的電子郵件。');
  });

  it('stores names as given and returns them as data, never as markup', async () => {
    const name = `<img src=x onerror=alert(1)>'; drop table accounts; --`;
    const created = await admin.post('/api/accounts', { email: 'xss@hotel.example', displayName: name, roleId: roleIds.customer_service });
    expect(created.status).toBe(201);
    expect((await admin.get(`/api/accounts/${created.body.id}`)).body.displayName).toBe(name);
    expect((await admin.get('/api/accounts?pageSize=100')).body.total).toBeGreaterThan(1);
  });

  it('disabling an account ends its sessions at once; re-enabling lets it sign in again', async () => {
    const { id, client } = await createAndActivate('cs@hotel.example', 'customer_service', 'service passphrase 1');
    expect((await client.get('/api/auth/me')).status).toBe(200);
    expect((await admin.post(`/api/accounts/${id}/status`, { status: 'disabled' })).body.status).toBe('disabled');
    const refused = await client.get('/api/auth/me');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('auth.account_disabled');
    const retry = new ApiClient(env);
    expect((await retry.submitPassword('cs@hotel.example', 'service passphrase 1')).body.error.code).toBe('auth.account_disabled');
    await admin.post(`/api/accounts/${id}/status`, { status: 'active' });
    await signedInAs(env, 'cs@hotel.example', 'service passphrase 1');
  });

  it('keeps at least one administrator and stops an administrator from demoting or disabling themself', async () => {
    const me = (await admin.get('/api/auth/me')).body.account.id;
    expect((await admin.post(`/api/accounts/${me}/status`, { status: 'disabled' })).body.error.code).toBe('account.cannot_change_self');
    expect((await admin.patch(`/api/accounts/${me}`, { roleId: roleIds.marketing })).body.error.code).toBe('account.cannot_change_self');

    const second = await createAndActivate('boss@hotel.example', 'administrator', 'second admin passphrase');
    // The second administrator may demote the first, but then nobody may demote the second.
    expect((await second.client.patch(`/api/accounts/${me}`, { roleId: roleIds.management })).status).toBe(200);
    const other = await signedInAs(env, tenant.adminEmail, tenant.password);
    expect((await other.get('/api/accounts')).status).toBe(403);
    expect((await second.client.patch(`/api/accounts/${me}`, { roleId: roleIds.administrator })).status).toBe(200);
  });

  it('limits an account to some properties', async () => {
    const created = await admin.post('/api/accounts', {
      email: 'taipei@hotel.example',
      displayName: '台北館櫃台',
      roleId: roleIds.customer_service,
      allProperties: false,
      propertyIds: [tenant.propertyIds[0]],
    });
    expect(created.body.propertyIds).toEqual([tenant.propertyIds[0]]);
    const token = await latestLinkToken(env, 'taipei@hotel.example');
    await new ApiClient(env).post('/api/auth/set-password', { token, password: 'taipei front desk 1' });
    const desk = await signedInAs(env, 'taipei@hotel.example', 'taipei front desk 1');
    const properties = await desk.get('/api/properties');
    expect(properties.body.data.map((p: { code: string }) => p.code)).toEqual(['TPE']);
    expect((await desk.get('/api/auth/me')).body.propertyIds).toEqual([tenant.propertyIds[0]]);

    const unknownProperty = await admin.patch(`/api/accounts/${created.body.id}`, { allProperties: false, propertyIds: ['01900000-0000-7000-8000-000000000001'] });
    expect(unknownProperty.status).toBe(404);
    expect(unknownProperty.body.error.code).toBe('property.not_found');
  });
});

describe('custom roles', () => {
  it('creates, edits and deletes a custom role; refuses deleting one in use and unknown permissions', async () => {
    const created = await admin.post('/api/roles', { name: '夜班櫃台', permissions: ['members.read', 'members.read'] });
    expect(created.status).toBe(201);
    expect(created.body.permissions).toEqual(['members.read']);
    expect((await admin.post('/api/roles', { name: '夜班櫃台', permissions: [] })).body.error.code).toBe('role.name_taken');
    const invalid = await admin.post('/api/roles', { name: '超級', permissions: ['platform.tenants'] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.issues[0].message).toBe('未知的權限。');

    const edited = await admin.patch(`/api/roles/${created.body.id}`, { permissions: ['members.read', 'members.edit'] });
    expect(edited.body.permissions).toEqual(['members.read', 'members.edit']);

    const user = await admin.post('/api/accounts', { email: 'night@hotel.example', displayName: '夜班', roleId: created.body.id });
    expect((await admin.delete(`/api/roles/${created.body.id}`)).body.error.code).toBe('role.in_use');
    await admin.patch(`/api/accounts/${user.body.id}`, { roleId: roleIds.customer_service });
    expect((await admin.delete(`/api/roles/${created.body.id}`)).status).toBe(204);

    const actions = (await admin.get(`/api/audit-log?targetId=${created.body.id}`)).body.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['role.deleted', 'role.updated', 'role.created']);
  });

  it('an account manager who is not an administrator cannot demote the administrator (see privileges.integration.test.ts)', async () => {
    const other = await createTestTenant(env);
    const owner = await signedInAs(env, other.adminEmail, other.password);
    const hr = await owner.post('/api/roles', { name: '人資', permissions: ['accounts.manage', 'audit.read'] });
    const roles = (await owner.get('/api/roles')).body.data as Array<{ builtinKey: string | null; id: string }>;
    const ownerId = (await owner.get('/api/auth/me')).body.account.id;
    const hrPerson = await owner.post('/api/accounts', { email: 'hr@other.example', displayName: '人資', roleId: hr.body.id });
    const token = await latestLinkToken(env, 'hr@other.example');
    await new ApiClient(env).post('/api/auth/set-password', { token, password: 'human resources 1' });
    const hrClient = await signedInAs(env, 'hr@other.example', 'human resources 1');
    const refused = await hrClient.patch(`/api/accounts/${ownerId}`, { roleId: roles.find((r) => r.builtinKey === 'marketing')!.id });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('account.administrators_only');
    expect(hrPerson.status).toBe(201);
  });
});
