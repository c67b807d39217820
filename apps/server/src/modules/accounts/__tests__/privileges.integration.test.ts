import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn, type ApiResponse } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';

// The permission matrix of account and role management: who may grant what (README, "Hotel groups, accounts and roles").

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let adminId: string;
let roleIds: Record<string, string>;
let hrRoleId: string;
/** 人資: a custom role with accounts.manage and audit.read only. */
let hr: ApiClient;
/** The same role, limited to the Taipei property. */
let hrTaipei: ApiClient;
let marketingId: string;

function refused(response: ApiResponse, status: number, code: string) {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
}

async function activate(email: string, body: Record<string, unknown>, password: string): Promise<{ id: string; client: ApiClient }> {
  const created = await admin.post('/api/accounts', { email, displayName: email.split('@')[0], ...body });
  expect(created.status).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password });
  return { id: created.body.id, client: await signedInAs(env, email, password) };
}

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  adminId = (await admin.get('/api/auth/me')).body.account.id;
  const roles = (await admin.get('/api/roles')).body.data as Array<{ builtinKey: string; id: string }>;
  roleIds = Object.fromEntries(roles.map((r) => [r.builtinKey, r.id]));
  hrRoleId = (await admin.post('/api/roles', { name: '人資', permissions: ['accounts.manage', 'audit.read'] })).body.id;
  hr = (await activate('hr@hotel.example', { roleId: hrRoleId }, 'human resources 1')).client;
  hrTaipei = (await activate('hr-tpe@hotel.example', { roleId: hrRoleId, allProperties: false, propertyIds: [tenant.propertyIds[0]] }, 'human resources 2')).client;
  marketingId = (await admin.post('/api/accounts', { email: 'mkt@hotel.example', displayName: '行銷', roleId: roleIds.marketing })).body.id;
});
afterAll(() => env.close());

describe('nobody grants a permission they do not hold', () => {
  it('an account manager cannot edit its own role, not even its name', async () => {
    refused(await hr.patch(`/api/roles/${hrRoleId}`, { permissions: ['accounts.manage', 'audit.read', 'members.read', 'personal_data.unmasked'] }), 403, 'role.own_role');
    refused(await hr.patch(`/api/roles/${hrRoleId}`, { name: '人資主管' }), 403, 'role.own_role');
    const role = (await admin.get('/api/roles')).body.data.find((r: { id: string }) => r.id === hrRoleId);
    expect(role.permissions).toEqual(['accounts.manage', 'audit.read']);
    expect(role.name).toBe('人資');
  });

  it('creates roles only within its own permissions, and edits or deletes only roles within them', async () => {
    refused(await hr.post('/api/roles', { name: '全權', permissions: ['accounts.manage', 'members.read', 'personal_data.unmasked'] }), 403, 'role.permission_not_held');
    const auditor = await hr.post('/api/roles', { name: '稽核', permissions: ['audit.read'] });
    expect(auditor.status).toBe(201);
    refused(await hr.patch(`/api/roles/${auditor.body.id}`, { permissions: ['audit.read', 'members.read'] }), 403, 'role.permission_not_held');
    expect((await hr.patch(`/api/roles/${auditor.body.id}`, { name: '稽核員', permissions: [] })).status).toBe(200);

    const night = await admin.post('/api/roles', { name: '夜班', permissions: ['members.read'] });
    refused(await hr.patch(`/api/roles/${night.body.id}`, { permissions: [] }), 403, 'role.permission_not_held');
    refused(await hr.delete(`/api/roles/${night.body.id}`), 403, 'role.permission_not_held');
    expect((await hr.delete(`/api/roles/${auditor.body.id}`)).status).toBe(204);
  });

  it('assigns or invites with a role only within its own permissions, and never the administrator role', async () => {
    refused(await hr.post('/api/accounts', { email: 'x1@hotel.example', displayName: 'x', roleId: roleIds.administrator }), 403, 'account.administrators_only');
    refused(await hr.post('/api/accounts', { email: 'x2@hotel.example', displayName: 'x', roleId: roleIds.marketing }), 403, 'role.permission_not_held');
    const peer = await hr.post('/api/accounts', { email: 'peer@hotel.example', displayName: '人資二', roleId: hrRoleId });
    expect(peer.status).toBe(201);
    refused(await hr.patch(`/api/accounts/${peer.body.id}`, { roleId: roleIds.administrator }), 403, 'account.administrators_only');
    refused(await hr.patch(`/api/accounts/${peer.body.id}`, { roleId: roleIds.customer_service }), 403, 'role.permission_not_held');
    expect((await admin.get(`/api/accounts/${peer.body.id}`)).body.roleId).toBe(hrRoleId);
  });
});

describe('only administrators change administrators', () => {
  it('an account manager cannot disable, demote, rename or re-invite the administrator', async () => {
    refused(await hr.post(`/api/accounts/${adminId}/status`, { status: 'disabled' }), 403, 'account.administrators_only');
    refused(await hr.patch(`/api/accounts/${adminId}`, { roleId: hrRoleId }), 403, 'account.administrators_only');
    refused(await hr.patch(`/api/accounts/${adminId}`, { displayName: '前管理員' }), 403, 'account.administrators_only');
    refused(await hr.post(`/api/accounts/${adminId}/invitation`), 403, 'account.administrators_only');
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it('a custom role holding every permission still cannot assign the administrator role or touch an administrator', async () => {
    const all = (await admin.get('/api/roles')).body.data.find((r: { builtinKey: string }) => r.builtinKey === 'administrator').permissions;
    const deputyRole = await admin.post('/api/roles', { name: '副總', permissions: all });
    const deputy = (await activate('deputy@hotel.example', { roleId: deputyRole.body.id }, 'deputy passphrase 1')).client;
    refused(await deputy.post('/api/accounts', { email: 'x3@hotel.example', displayName: 'x', roleId: roleIds.administrator }), 403, 'account.administrators_only');
    refused(await deputy.post(`/api/accounts/${adminId}/status`, { status: 'disabled' }), 403, 'account.administrators_only');
    expect((await deputy.patch(`/api/accounts/${marketingId}`, { roleId: roleIds.customer_service })).status).toBe(200);
  });

  it('nobody changes an account that holds a permission they lack', async () => {
    refused(await hr.post(`/api/accounts/${marketingId}/status`, { status: 'disabled' }), 403, 'account.outranks_caller');
    refused(await hr.patch(`/api/accounts/${marketingId}`, { displayName: '改名' }), 403, 'account.outranks_caller');
  });

  it('an administrator may change another administrator', async () => {
    const second = await activate('boss2@hotel.example', { roleId: roleIds.administrator }, 'second boss passphrase');
    expect((await admin.post(`/api/accounts/${second.id}/status`, { status: 'disabled' })).status).toBe(200);
    expect((await admin.post(`/api/accounts/${second.id}/status`, { status: 'active' })).status).toBe(200);
  });
});

describe('nobody grants a property they do not have', () => {
  it('an account manager limited to Taipei invites and edits accounts for Taipei only', async () => {
    const [taipei, taichung] = tenant.propertyIds as [string, string];
    refused(await hrTaipei.post('/api/accounts', { email: 'all@hotel.example', displayName: '全館', roleId: hrRoleId }), 403, 'account.property_not_held');
    refused(await hrTaipei.post('/api/accounts', { email: 'txg@hotel.example', displayName: '台中', roleId: hrRoleId, allProperties: false, propertyIds: [taichung] }), 403, 'account.property_not_held');
    const tpe = await hrTaipei.post('/api/accounts', { email: 'tpe@hotel.example', displayName: '台北', roleId: hrRoleId, allProperties: false, propertyIds: [taipei] });
    expect(tpe.status).toBe(201);
    refused(await hrTaipei.patch(`/api/accounts/${tpe.body.id}`, { propertyIds: [taipei, taichung] }), 403, 'account.property_not_held');
    refused(await hrTaipei.patch(`/api/accounts/${tpe.body.id}`, { allProperties: true }), 403, 'account.property_not_held');
    expect((await hrTaipei.patch(`/api/accounts/${tpe.body.id}`, { displayName: '台北館人資' })).status).toBe(200);
    // An account with every property is out of its reach.
    const wide = await hr.post('/api/accounts', { email: 'wide@hotel.example', displayName: '全館人資', roleId: hrRoleId });
    refused(await hrTaipei.post(`/api/accounts/${wide.body.id}/status`, { status: 'disabled' }), 403, 'account.outranks_caller');
  });

  it('does not change the permissions of a role held by an account with properties it does not have', async () => {
    // A Taipei manager who may see unmasked data must not hand that to an all-properties account through its role:
    // the account would then read every property's guests' ID numbers.
    const taipei = tenant.propertyIds[0]!;
    const managerRole = (await admin.post('/api/roles', { name: '台北店長', permissions: ['accounts.manage', 'members.read', 'personal_data.unmasked'] })).body.id;
    const manager = (await activate('tpe-manager@hotel.example', { roleId: managerRole, allProperties: false, propertyIds: [taipei] }, 'taipei manager 1')).client;
    const deskRole = (await admin.post('/api/roles', { name: '全館櫃台', permissions: ['members.read'] })).body.id;
    const wideDesk = await activate('wide-desk@hotel.example', { roleId: deskRole }, 'wide front desk');
    refused(await manager.patch(`/api/roles/${deskRole}`, { permissions: ['members.read', 'personal_data.unmasked'] }), 403, 'account.outranks_caller');
    expect((await wideDesk.client.get('/api/auth/me')).body.permissions).toEqual(['members.read']);
    // A role held only by Taipei accounts (or by nobody) stays the manager's to change; a new name changes nobody's access.
    expect((await manager.patch(`/api/roles/${deskRole}`, { name: '全館櫃台人員' })).status).toBe(200);
    const taipeiDeskRole = (await admin.post('/api/roles', { name: '台北櫃台', permissions: ['members.read'] })).body.id;
    await activate('tpe-desk@hotel.example', { roleId: taipeiDeskRole, allProperties: false, propertyIds: [taipei] }, 'taipei front desk');
    expect((await manager.patch(`/api/roles/${taipeiDeskRole}`, { permissions: ['members.read', 'personal_data.unmasked'] })).status).toBe(200);
  });
});
