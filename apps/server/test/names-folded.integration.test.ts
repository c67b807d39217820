import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient, type ApiResponse } from './api-client.ts';
import type { TestEnv, TestTenant } from './harness.ts';

/**
 * Segments, roles and saved PMS mappings are told apart by name, as tags and automation rules are: a name another one
 * has in another case or width (「VIP 常客」, 「ｖｉｐ 常客」) is refused at the name field (migration 0066), and a
 * rename to one's own name in another spelling is no clash with itself.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
}, 60_000);
afterAll(() => env.close());

const refusal = (r: ApiResponse) => [r.status, r.body.error?.code, r.body.error?.details?.field];
const definition = { type: 'group', op: 'and', conditions: [{ type: 'consent', optedIn: true }] };

describe('names alike but for case or width', () => {
  it('segments: 「ｖｉｐ 常客」 is 「VIP 常客」; renaming it to 「Vip 常客」 is its own name', async () => {
    const first = await admin.post('/api/segments', { name: 'VIP 常客', definition });
    expect(first.status).toBe(201);
    expect(refusal(await admin.post('/api/segments', { name: 'ｖｉｐ 常客', definition }))).toEqual([409, 'segment.name_taken', 'name']);
    const other = await admin.post('/api/segments', { name: '家庭客', definition });
    expect(refusal(await admin.patch(`/api/segments/${other.body.id}`, { name: 'vip 常客' }))).toEqual([409, 'segment.name_taken', 'name']);
    expect((await admin.patch(`/api/segments/${first.body.id}`, { name: 'Vip 常客' })).body.name).toBe('Vip 常客');
  });

  it('roles: 「ＮＩＧＨＴ ＳＨＩＦＴ」 is 「Night Shift」', async () => {
    expect((await admin.post('/api/roles', { name: 'Night Shift', permissions: ['members.read'] })).status).toBe(201);
    expect(refusal(await admin.post('/api/roles', { name: 'ＮＩＧＨＴ ＳＨＩＦＴ', permissions: ['members.read'] }))).toEqual([409, 'role.name_taken', 'name']);
  });

  it('saved PMS mappings: 「ＭＯＮＴＨＬＹ」 is 「Monthly」 in the same connection', async () => {
    const connection = await admin.post('/api/pms/connections', { name: '其他 PMS 匯出', kind: 'dean_file', defaultPropertyId: tenant.propertyIds[0] });
    expect(connection.status).toBe(201);
    const path = `/api/pms/connections/${connection.body.id}/mappings`;
    expect((await admin.post(path, { name: 'Monthly', mapping: { guestKey: '客戶編號' } })).status).toBe(201);
    expect(refusal(await admin.post(path, { name: 'ＭＯＮＴＨＬＹ', mapping: { guestKey: '客戶編號' } }))).toEqual([409, 'pms.mapping_name_taken', 'name']);
  });
});
