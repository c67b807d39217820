import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type ApiClient } from './api-client.ts';
import type { TestEnv, TestTenant } from './harness.ts';

/**
 * A PATCH with nothing in it ({}: every field is optional) changes nothing and answers the resource as it is. Two
 * routes answered 500 ("No values to set" from the query builder): 館別 and the member area's custom buttons.
 */
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
});
afterAll(() => env.close());

describe('a change with no fields', () => {
  it('answers every PATCH route with the resource unchanged, never 500', async () => {
    const button = await admin.post('/api/member-portal/buttons', { label: '訂房', linkUrl: 'https://hotel.example/book' });
    const role = await admin.post('/api/roles', { name: '只讀', permissions: ['members.read'] });
    const member = await admin.post('/api/members', { lastName: '空白' });
    const tag = await admin.post('/api/tags', { name: '空白', kind: 'basic' });
    const segment = await admin.post('/api/segments', { name: '空白', definition: { type: 'group', op: 'and', conditions: [] } });
    const accounts = (await admin.get('/api/accounts')).body.data as Array<{ id: string }>;
    const campaign = await admin.post('/api/campaigns', { name: '空白' });
    const rule = await admin.post('/api/automation/rules', { name: '空白', trigger: { kind: 'friend_added' }, steps: [{ kind: 'wait', amount: 1, unit: 'hours' }] });
    const pms = await admin.post('/api/pms/connections', { name: '德安', baseUrl: 'https://pms.hotel.example/dean/v1', apiKey: 'empty-change-test-key-0000000000' });
    const mapping = await admin.post(`/api/pms/connections/${pms.body.id}/mappings`, { name: '其他 PMS', mapping: { guestKey: '客戶編號' } });
    const targets: Record<string, string> = {
      '/api/properties/{propertyId}': `/api/properties/${tenant.propertyIds[0]}`,
      '/api/member-portal/buttons/{buttonId}': `/api/member-portal/buttons/${button.body.id}`,
      '/api/roles/{roleId}': `/api/roles/${role.body.id}`,
      '/api/members/{memberId}': `/api/members/${member.body.id}`,
      '/api/tags/{tagId}': `/api/tags/${tag.body.id}`,
      '/api/segments/{segmentId}': `/api/segments/${segment.body.id}`,
      '/api/accounts/{accountId}': `/api/accounts/${accounts[0]!.id}`,
      '/api/campaigns/{campaignId}': `/api/campaigns/${campaign.body.id}`,
      '/api/automation/rules/{ruleId}': `/api/automation/rules/${rule.body.id}`,
      '/api/pms/connections/{connectionId}': `/api/pms/connections/${pms.body.id}`,
      '/api/pms/connections/{connectionId}/mappings/{mappingId}': `/api/pms/connections/${pms.body.id}/mappings/${mapping.body.id}`,
    };
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    // The LINE channel route needs a channel verified with LINE; its service already returns early on no change.
    const patchRoutes = Object.entries(doc.paths).filter(([path, methods]) => 'patch' in methods && !path.startsWith('/api/line/') && !path.startsWith('/api/liff/') && path !== '/api/auth/me');
    expect(patchRoutes.map(([path]) => path).sort()).toEqual(Object.keys(targets).sort());
    for (const [path] of patchRoutes) {
      const response = await admin.patch(targets[path]!, {});
      expect([path, response.status]).toEqual([path, 200]);
    }
    const unchanged = await admin.patch(`/api/member-portal/buttons/${button.body.id}`, {});
    expect(unchanged.body).toMatchObject({ id: button.body.id, label: '訂房', linkUrl: 'https://hotel.example/book' });
    const property = await admin.patch(`/api/properties/${tenant.propertyIds[0]}`, {});
    expect(property.body).toMatchObject({ id: tenant.propertyIds[0], code: 'TPE', name: '台北館' });
    expect((await admin.patch('/api/member-portal/buttons/01900000-0000-7000-8000-000000000001', {})).status).toBe(404);
    expect((await admin.patch(`/api/campaigns/${campaign.body.id}`, {})).body).toMatchObject({ name: '空白', version: 1 });
    expect((await admin.patch(`/api/automation/rules/${rule.body.id}`, {})).body).toMatchObject({ name: '空白', version: 1 });
    expect((await admin.patch(`/api/pms/connections/${pms.body.id}`, {})).body).toMatchObject({ name: '德安', updatedAt: pms.body.updatedAt, apiKeyHint: '0000' });
    expect((await admin.patch(`/api/pms/connections/${pms.body.id}/mappings/${mapping.body.id}`, {})).body).toMatchObject({ name: '其他 PMS', mapping: { guestKey: '客戶編號' } });
  });
});
