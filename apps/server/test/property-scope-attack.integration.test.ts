import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from './api-client.ts';
import type { TestEnv, TestTenant } from './harness.ts';
import { csvText, uploadAndCheck } from '../src/modules/member-transfer/__tests__/transfer-helpers.ts';

// An account limited to 台北館 that holds every member permission, aiming each member-id route (and the tag and
// export routes that take member ids) at a 台中館 member: every one is refused as not found and changes nothing.
// Guards the explicit property scope of issue 12 (a context built with scope 'all' by mistake would pass).
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let lead: ApiClient;
let taichungMember: string;
let taichungDeleted: string;
let taipeiMember: string;
let tagId: string;

async function create(body: Record<string, unknown>): Promise<string> {
  const response = await admin.post('/api/members', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id as string;
}

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  taipeiMember = await create({ lastName: '台北', firstName: '本館', propertyId: tenant.propertyIds[0], mobile: '0912345678' });
  taichungMember = await create({ lastName: '台中', firstName: '本館', propertyId: tenant.propertyIds[1], mobile: '0922333444', identity: { type: 'national_id', number: 'A123456789' } });
  taichungDeleted = await create({ lastName: '台中', firstName: '已刪', propertyId: tenant.propertyIds[1] });
  expect((await admin.delete(`/api/members/${taichungDeleted}`)).status).toBe(200);
  tagId = (await admin.post('/api/tags', { name: '攻擊', kind: 'basic' })).body.id;
  const role = await admin.post('/api/roles', { name: '台北全權', permissions: ['members.read', 'members.edit', 'personal_data.unmasked', 'tags.edit', 'reports.download'] });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const email = 'tpe-lead@hotel.example';
  expect((await admin.post('/api/accounts', { email, displayName: email, roleId: role.body.id, allProperties: false, propertyIds: [tenant.propertyIds[0]] })).status).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  lead = await signedInAs(env, email, 'long enough passphrase');
});
afterAll(() => env.close());

describe('a property-limited account aiming at another property’s member', () => {
  it('is told not found by every member-id route', async () => {
    const id = taichungMember;
    const attempts = [
      await lead.get(`/api/members/${id}`),
      await lead.get(`/api/members/${id}/stays`),
      await lead.get(`/api/members/${id}/tags`),
      await lead.get(`/api/members/${id}/timeline`),
      await lead.post(`/api/members/${id}/personal-data`, {}),
      await lead.patch(`/api/members/${id}`, { notes: '被改' }),
      await lead.post(`/api/members/${id}/stays`, { propertyId: tenant.propertyIds[0], checkIn: '2026-10-01', checkOut: '2026-10-02' }),
      await lead.post(`/api/members/${taipeiMember}/merge`, { mergedMemberId: id }),
      await lead.post(`/api/members/${id}/merge`, { mergedMemberId: taipeiMember }),
      await lead.delete(`/api/members/${id}`),
      await lead.post(`/api/members/${taichungDeleted}/restore`, {}),
      await lead.post(`/api/members/${taichungDeleted}/erase`, {}),
    ];
    // The index names the attempt that failed.
    for (const [index, response] of attempts.entries()) expect([index, response.status, response.body.error?.code]).toEqual([index, 404, 'member.not_found']);
    // Nothing changed: the member is live, unmerged, with its notes and no stay, and the deleted one is still there.
    const after = await admin.get(`/api/members/${id}`);
    expect(after.status).toBe(200);
    expect(after.body.notes).not.toBe('被改');
    expect((await admin.get(`/api/members/${id}/stays`)).body.data).toEqual([]);
    expect((await admin.post(`/api/members/${taichungDeleted}/restore`, {})).status).toBe(200);
  });

  it('cannot tag or untag the member, by tag route or by audience, and its export leaves the member out', async () => {
    const tagged = await lead.post(`/api/tags/${tagId}/members`, { memberIds: [taichungMember] });
    expect(tagged.status).toBe(404);
    const bulk = await lead.post('/api/members/bulk-tag', { audience: { memberIds: [taichungMember, taipeiMember] }, tagId, change: 'add' });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body.changed).toBe(1);
    expect((await admin.get(`/api/members/${taichungMember}/tags`)).body.data).toEqual([]);
    expect((await admin.post(`/api/tags/${tagId}/members`, { memberIds: [taichungMember] })).status).toBeLessThan(300);
    expect((await lead.post(`/api/tags/${tagId}/members/remove`, { memberIds: [taichungMember] })).status).toBe(404);
    const removed = await lead.post('/api/members/bulk-tag', { audience: { memberIds: [taichungMember] }, tagId, change: 'remove' });
    expect(removed.body.changed ?? 0).toBe(0);
    expect((await admin.get(`/api/members/${taichungMember}/tags`)).body.data.map((t: { id: string }) => t.id)).toEqual([tagId]);

    const headers = { 'content-type': 'application/json', cookie: lead.cookie ?? '', 'x-csrf-token': lead.csrfToken ?? '' };
    const exported = await lead.app.inject({ method: 'POST', url: '/api/members/export', headers, payload: JSON.stringify({ audience: { memberIds: [taichungMember, taipeiMember] }, format: 'csv', columns: ['memberNo', 'mobile', 'identity'] }) });
    expect(exported.statusCode, exported.body).toBe(200);
    const rows = parse(exported.rawPayload, { bom: true, columns: false }) as string[][];
    expect(rows.length).toBe(2);
    expect(exported.body).not.toContain('0922333444');
    expect(exported.body).not.toContain('A123456789');
  });

  it('finds no such member by searching its mobile or ID number', async () => {
    for (const q of ['0922333444', 'A123456789']) {
      const found = await lead.post('/api/members/search', { q, pageSize: 100 });
      expect(found.status).toBe(200);
      expect(found.body.data.map((m: { id: string }) => m.id)).not.toContain(taichungMember);
    }
  });
});

describe('a property-limited account and the tenant’s imports', () => {
  it('sees only imports made within its properties: a group-level import (other properties’ members in its rows) is not found', async () => {
    const groupImport = await uploadAndCheck(admin, '全集團.csv', csvText([['姓', '名', '手機'], ['台中', '會員', '0922000111']]));
    const ownImport = await uploadAndCheck(lead, '台北.csv', csvText([['姓', '名', '手機'], ['台北', '會員', '0912000111']]));

    const listed = await lead.get('/api/member-imports');
    expect(listed.status).toBe(200);
    const ids = listed.body.data.map((i: { id: string }) => i.id);
    expect(ids).toContain(ownImport.id);
    expect(ids).not.toContain(groupImport.id);
    expect(listed.body.total).toBe(ids.length);
    for (const url of [`/api/member-imports/${groupImport.id}`, `/api/member-imports/${groupImport.id}/rows`]) expect((await lead.get(url)).status).toBe(404);
    expect((await lead.post(`/api/member-imports/${groupImport.id}/commit`)).status).toBe(404);

    // Group-level staff still see both.
    const all = (await admin.get('/api/member-imports')).body.data.map((i: { id: string }) => i.id);
    expect(all).toEqual(expect.arrayContaining([groupImport.id, ownImport.id]));

    // Uploading the group import's file again names earlier imports of it only where the account may see them.
    const groupFile = csvText([['姓', '名', '手機'], ['台中', '會員', '0922000111']]);
    const leadAgain = await uploadAndCheck(lead, '全集團-副本.csv', groupFile);
    expect(leadAgain.uploaded.previousImports).toEqual([]);
    const adminAgain = await uploadAndCheck(admin, '全集團-副本.csv', groupFile);
    expect(adminAgain.uploaded.previousImports.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([groupImport.id, leadAgain.id]));
  });
});
