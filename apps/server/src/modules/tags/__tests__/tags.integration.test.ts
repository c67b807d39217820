import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext as contextForSystem, type TenantContext } from '../../../core/context.ts';
import type { ApiClient} from '../../../../test/api-client.ts';
import { signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../core/db/database.ts';
import { findTagsWithCounts } from '../tags.repository.ts';
import { createTagsService } from '../tags.service.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
let memberIds: string[];

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  memberIds = [];
  for (const name of ['甲', '乙', '丙']) memberIds.push((await admin.post('/api/members', { lastName: name })).body.id);
});
afterAll(() => env.close());

function systemContext(tx: TenantContext['db']): TenantContext {
  return contextForSystem(tx, tenant.tenantId, 'rule');
}

describe('tags', () => {
  it('creates basic and campaign tags with group, colour, description and expiry; names are unique', async () => {
    const created = await admin.post('/api/tags', { name: '家庭旅遊', kind: 'basic', category: '旅遊型態', color: '#ff8800', description: '帶小孩入住', validityDays: 90 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '家庭旅遊', kind: 'basic', category: '旅遊型態', color: '#ff8800', validityDays: 90 });
    expect((await admin.post('/api/tags', { name: '家庭旅遊', kind: 'campaign' })).body.error.code).toBe('tag.name_taken');
    expect((await admin.post('/api/tags', { name: '', kind: 'unknown' })).status).toBe(400);
    const listed = await admin.get('/api/tags?kind=basic');
    expect(listed.body.data.map((t: { name: string }) => t.name)).toContain('家庭旅遊');
  });

  it('records who added a tag and keeps removals in the history', async () => {
    const tag = (await admin.post('/api/tags', { name: '商務客', kind: 'campaign' })).body;
    expect((await admin.post(`/api/tags/${tag.id}/members`, { memberIds })).body.changed).toBe(3);
    expect((await admin.post(`/api/tags/${tag.id}/members`, { memberIds })).body.changed).toBe(0);
    const assigned = (await admin.get(`/api/members/${memberIds[0]}/tags`)).body.data[0];
    expect(assigned).toMatchObject({ name: '商務客', source: 'staff', sourceRef: expect.any(String), sourceLabel: tenant.adminEmail });

    expect((await admin.post(`/api/tags/${tag.id}/members/remove`, { memberIds: [memberIds[0]] })).body.changed).toBe(1);
    expect((await admin.get(`/api/members/${memberIds[0]}/tags`)).body.data).toEqual([]);
    const history = (await admin.get(`/api/members/${memberIds[0]}/timeline`)).body.data.filter((e: { tagId: string }) => e.tagId === tag.id);
    expect(history.map((e: { type: string }) => e.type)).toEqual(['tag_removed', 'tag_added']);
    expect((await admin.get('/api/tags')).body.data.find((t: { id: string }) => t.id === tag.id).memberCount).toBe(2);
    expect((await admin.post(`/api/tags/${tag.id}/members`, { memberIds: ['01900000-0000-7000-8000-000000000abc'] })).status).toBe(404);
  });

  it('shows the impact of deleting a tag, then deletes it and records the removal for every member', async () => {
    const tag = (await admin.post('/api/tags', { name: '將刪除', kind: 'basic' })).body;
    await admin.post(`/api/tags/${tag.id}/members`, { memberIds });
    const segment = await admin.post('/api/segments', { name: '用到將刪除', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tag.id }] } });
    const impact = await admin.get(`/api/tags/${tag.id}/impact`);
    expect(impact.body).toMatchObject({ memberCount: 3, usages: [{ kind: 'segment', id: segment.body.id, blocking: false }] });
    expect((await admin.delete(`/api/tags/${tag.id}`)).status).toBe(204);
    expect((await admin.get(`/api/tags/${tag.id}/impact`)).status).toBe(404);
    const history = (await admin.get(`/api/members/${memberIds[2]}/timeline`)).body.data.find((e: { tagId: string; type: string }) => e.tagId === tag.id && e.type === 'tag_removed');
    expect(history.details).toMatchObject({ reason: 'tag_deleted', tagName: '將刪除' });
    const audit = await admin.get(`/api/audit-log?action=tag.deleted&targetId=${tag.id}`);
    expect(audit.body.data[0].details.membersAffected).toBe(3);
  });

  it('refuses to delete a tag while something blocking still needs it', async () => {
    const tag = (await admin.post('/api/tags', { name: '排程活動用', kind: 'campaign' })).body;
    const service = createTagsService({
      clock: env.clock,
      members: env.runtime.members,
      usageProviders: () => [async () => [{ kind: 'campaign', id: 'c1', name: '週末商務優惠（已排程）', blocking: true }]],
    });
    await expect(env.runtime.db.withTenant(tenant.tenantId, (tx) => service.deleteTag(systemContext(tx), tag.id))).rejects.toMatchObject({ code: 'tag.in_use' });
    expect((await admin.get(`/api/tags/${tag.id}/impact`)).status).toBe(200);
  });

  it('lets tags with a validity lapse: expired ones no longer count and the clean-up records their removal', async () => {
    const tag = (await admin.post('/api/tags', { name: '限時興趣', kind: 'campaign', validityDays: 7 })).body;
    await admin.post(`/api/tags/${tag.id}/members`, { memberIds: [memberIds[1]] });
    env.clock.advanceMinutes(8 * 24 * 60);
    admin = await signedInAs(env, tenant.adminEmail, tenant.password);
    expect((await admin.get(`/api/members/${memberIds[1]}/tags`)).body.data.map((t: { name: string }) => t.name)).not.toContain('限時興趣');
    const count = await admin.post('/api/members/count', { definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tag.id }] } });
    expect(count.body.count).toBe(0);
    const removed = await env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.tags.removeExpiredAssignments(systemContext(tx)));
    expect(removed).toBe(1);
    const history = (await admin.get(`/api/members/${memberIds[1]}/timeline`)).body.data.find((e: { tagId: string; type: string }) => e.tagId === tag.id && e.type === 'tag_removed');
    expect(history.details.reason).toBe('expired');
  });

  it('extends an expiry on a re-add only when it moves by at least an hour: a tap minutes later leaves the assignment as it was', async () => {
    const tag = (await admin.post('/api/tags', { name: '反覆點擊', kind: 'campaign', validityDays: 7 })).body;
    const expiry = async () => (await admin.get(`/api/members/${memberIds[2]}/tags`)).body.data.find((t: { id: string }) => t.id === tag.id)?.expiresAt as string;
    await admin.post(`/api/tags/${tag.id}/members`, { memberIds: [memberIds[2]] });
    const first = await expiry();
    expect(Date.parse(first)).toBe(env.clock.now().getTime() + 7 * 86_400_000);
    env.clock.advanceMinutes(30);
    admin = await signedInAs(env, tenant.adminEmail, tenant.password);
    await admin.post(`/api/tags/${tag.id}/members`, { memberIds: [memberIds[2]] });
    expect(await expiry()).toBe(first);
    env.clock.advanceMinutes(31);
    admin = await signedInAs(env, tenant.adminEmail, tenant.password);
    await admin.post(`/api/tags/${tag.id}/members`, { memberIds: [memberIds[2]] });
    expect(Date.parse(await expiry())).toBe(env.clock.now().getTime() + 7 * 86_400_000);
  });

  it('lists tags with live-member counts from one pass over the assignments, not one count per tag', async () => {
    const created: string[] = [];
    for (let i = 0; i < 12; i++) created.push((await admin.post('/api/tags', { name: `計數${i}`, kind: 'basic', category: '計數' })).body.id);
    await admin.post(`/api/tags/${created[0]}/members`, { memberIds });
    await admin.post(`/api/tags/${created[1]}/members`, { memberIds: [memberIds[0]] });
    const shortLived = (await admin.post('/api/tags', { name: '計數短期', kind: 'basic', category: '計數', validityDays: 1 })).body.id;
    await admin.post(`/api/tags/${shortLived}/members`, { memberIds: [memberIds[0]] });
    const gone = (await admin.post('/api/members', { lastName: '已刪' })).body.id;
    await admin.post(`/api/tags/${created[1]}/members`, { memberIds: [gone] });
    await admin.delete(`/api/members/${gone}`);
    env.clock.advanceMinutes(2 * 24 * 60);
    admin = await signedInAs(env, tenant.adminEmail, tenant.password);

    const listed = (await admin.get('/api/tags?search=計數')).body.data as Array<{ id: string; memberCount: number }>;
    const countOf = (id: string) => listed.find((t) => t.id === id)!.memberCount;
    expect([countOf(created[0]!), countOf(created[1]!), countOf(created[2]!), countOf(shortLived)]).toEqual([3, 1, 0, 0]);

    // The transaction's own scan counters (pg_stat_xact_*, on both engines): how often member_tags was read to list
    // the tags. A per-tag count reads it once more for every tag; a grouped one as its plan needs for the assignments,
    // whatever the number of tags. So twenty more tags without members must not add twenty reads.
    const scansToList = () =>
      env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
        const rows = await findTagsWithCounts(tx, tenant.tenantId, {}, env.clock.now(), sql`true`);
        const [stat] = await queryRows<{ scans: number }>(tx, sql`select (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int as scans from pg_stat_xact_user_tables where relname = 'member_tags'`);
        return { scans: stat!.scans, tagCount: rows.length };
      });
    const before = await scansToList();
    for (let i = 0; i < 20; i++) await admin.post('/api/tags', { name: `空標籤${i}`, kind: 'basic', category: '計數' });
    const after = await scansToList();
    expect(after.tagCount).toBe(before.tagCount + 20);
    expect(after.scans - before.scans).toBeLessThan(10);
  });
});
