import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

type Entry = { action: string; targetType: string; targetId: string; targetLabel: string | null };

async function accountWith(email: string, roleId: string, propertyIds?: string[]): Promise<ApiClient> {
  const scope = propertyIds ? { allProperties: false, propertyIds } : {};
  expect((await admin.post('/api/accounts', { email, displayName: email, roleId, ...scope })).status).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

async function entries(client: ApiClient, query: string): Promise<Entry[]> {
  const response = await client.get(`/api/audit-log?pageSize=100&${query}`);
  expect(response.status).toBe(200);
  return response.body.data as Entry[];
}

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
});
afterAll(() => env.close());

describe('audit log target labels', () => {
  it('names members by number and name, accounts by email, tags, segments and roles by name', async () => {
    const member = (await admin.post('/api/members', { lastName: '王', firstName: '小明', propertyId: tenant.propertyIds[0] })).body;
    const western = (await admin.post('/api/members', { lastName: 'Chen', firstName: 'Emma' })).body;
    const tag = (await admin.post('/api/tags', { name: '商務客', kind: 'basic' })).body;
    const segment = (await admin.post('/api/segments', { name: '台北常客', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tag.id }] } })).body;
    const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string | null }>;
    const staff = (await admin.post('/api/accounts', { email: 'front.desk@hotel.example', displayName: '櫃台', roleId: roles.find((r) => r.builtinKey === 'customer_service')!.id })).body;
    // (Browser review: a role's entries read 「角色 …3cf62987」.)
    const nightShift = (await admin.post('/api/roles', { name: '夜班櫃台', permissions: ['members.read'] })).body;

    const labels = new Map((await entries(admin, '')).map((e) => [`${e.targetType}:${e.targetId}`, e.targetLabel]));
    expect(labels.get(`member:${member.id}`)).toBe(`${member.memberNo} 王小明`);
    expect(labels.get(`member:${western.id}`)).toBe(`${western.memberNo} Emma Chen`);
    expect(labels.get(`tag:${tag.id}`)).toBe('商務客');
    expect(labels.get(`segment:${segment.id}`)).toBe('台北常客');
    expect(labels.get(`account:${staff.id}`)).toBe('front.desk@hotel.example');
    expect(labels.get(`role:${nightShift.id}`)).toBe('夜班櫃台');

    // A renamed target reads as it is now; a deleted tag (its row is gone) has no label.
    await admin.patch(`/api/members/${member.id}`, { firstName: '大明' });
    await admin.delete(`/api/tags/${tag.id}`);
    const after = new Map((await entries(admin, `targetId=${member.id}`)).map((e) => [e.targetId, e.targetLabel]));
    expect(after.get(member.id)).toBe(`${member.memberNo} 王大明`);
    const tagEntries = await entries(admin, `targetType=tag&targetId=${tag.id}`);
    expect(tagEntries.length).toBeGreaterThan(0);
    for (const entry of tagEntries) expect(entry.targetLabel).toBeNull();
  });

  it('gives a viewer without members.read, or outside the member\'s properties, the member number only', async () => {
    const member = (await admin.post('/api/members', { lastName: '林', firstName: '美玲', propertyId: tenant.propertyIds[0] })).body;
    const auditor = (await admin.post('/api/roles', { name: '稽核', permissions: ['audit.read'] })).body;
    const onlyAudit = await accountWith('auditor@hotel.example', auditor.id);
    const [seen] = await entries(onlyAudit, `targetType=member&targetId=${member.id}`);
    expect(seen!.targetLabel).toBe(member.memberNo);

    // A limited account reads the entries of accounts limited to its properties (decision 0006): a 台北館 desk edits the
    // member, then the member moves to 台中館: the 台北館 manager still reads the desk's entry, with the number only.
    const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string | null }>;
    const desk = await accountWith('desk.tpe@hotel.example', roles.find((r) => r.builtinKey === 'customer_service')!.id, [tenant.propertyIds[0]!]);
    expect((await desk.patch(`/api/members/${member.id}`, { notes: '喜歡高樓層' })).status).toBe(200);
    const manager = (await admin.post('/api/roles', { name: '分館主管', permissions: ['audit.read', 'members.read'] })).body;
    const here = await accountWith('here@hotel.example', manager.id, [tenant.propertyIds[0]!]);
    const [own] = await entries(here, `targetType=member&targetId=${member.id}`);
    expect(own!.targetLabel).toBe(`${member.memberNo} 林美玲`);
    expect((await admin.patch(`/api/members/${member.id}`, { propertyId: tenant.propertyIds[1] })).status).toBe(200);
    const moved = await entries(here, `targetType=member&targetId=${member.id}`);
    expect(moved.map((e) => [e.action, e.targetLabel])).toEqual([['member.updated', member.memberNo]]);
  });

  it('leaves targets of a kind without a labeler unnamed (the page names them from the entry)', async () => {
    const property = (await admin.post('/api/properties', { code: 'KHH', name: '高雄館' })).body;
    const rows = await entries(admin, `targetType=property&targetId=${property.id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.targetLabel).toBeNull();
  });
});
