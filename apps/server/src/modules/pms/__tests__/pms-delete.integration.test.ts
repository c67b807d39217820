import { sql } from 'drizzle-orm';
import { DEMO_API_KEY } from '@innkeeper/pms-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { newId } from '../../../core/ids.ts';
import { systemContext } from '../../../core/context.ts';
import { rows, startPmsTestEnv, syncNow, type PmsTestEnv } from './pms-harness.ts';

/**
 * Deleting the PMS connection (decision 0010 "Deleting the connection"): syncing stops and Innkeeper's copy of the PMS
 * goes with the links; members keep the stays the sync gave them. pms.manage only, refused while a sync runs, audited.
 */
let t: PmsTestEnv;

beforeAll(async () => {
  t = await startPmsTestEnv();
  await syncNow(t);
}, 120_000);
afterAll(() => t.close());

const count = async (query: ReturnType<typeof sql>) => ((await rows<{ n: number }>(t, query))[0]?.n ?? -1);

describe('deleting the PMS connection', () => {
  it('is refused to an account that may only look at the PMS page', async () => {
    const role = await t.admin.post('/api/roles', { name: 'PMS 檢視', permissions: ['pms.view'] });
    await t.admin.post('/api/accounts', { email: 'viewer@pms-delete.example', displayName: 'viewer', roleId: role.body.id, allProperties: true, propertyIds: [] });
    await new ApiClient(t.env).post('/api/auth/set-password', { token: await latestLinkToken(t.env, 'viewer@pms-delete.example'), password: 'long enough passphrase' });
    const viewer = await signedInAs(t.env, 'viewer@pms-delete.example', 'long enough passphrase');
    expect((await viewer.delete(`/api/pms/connections/${t.connectionId}`)).status).toBe(403);
    expect((await t.admin.get('/api/pms/connections')).body.data).toHaveLength(1);
  });

  it('is refused while a sync runs, and nothing is removed', async () => {
    const runId = newId();
    await rows(t, sql`insert into pms_sync_runs (tenant_id, id, connection_id, trigger, status, started_at) values (${t.tenant.tenantId}, ${runId}, ${t.connectionId}, 'manual', 'running', now()) returning id`);
    const refused = await t.admin.delete(`/api/pms/connections/${t.connectionId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('pms.sync_running');
    expect(await count(sql`select count(*)::int as n from pms_profiles`)).toBeGreaterThan(0);
    await rows(t, sql`delete from pms_sync_runs where id = ${runId} returning id`);
  });

  it('stops syncing and removes the PMS copy and links; members keep their stays; audited; a new connection can be made', async () => {
    const linkedMembers = await count(sql`select count(distinct member_id)::int as n from pms_profiles where member_id is not null`);
    const profiles = await count(sql`select count(*)::int as n from pms_profiles`);
    const memberStays = await count(sql`select count(*)::int as n from member_stays where source = 'pms'`);
    expect(linkedMembers).toBeGreaterThan(0);
    expect(memberStays).toBeGreaterThan(0);

    const deleted = await t.admin.delete(`/api/pms/connections/${t.connectionId}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body).toEqual({ ok: true });

    expect((await t.admin.get('/api/pms/connections')).body.data).toEqual([]);
    for (const table of ['pms_profiles', 'pms_stays', 'pms_sync_runs', 'pms_sync_cursors', 'pms_review_cases', 'pms_outbox', 'pms_files']) {
      expect(await count(sql`select count(*)::int as n from ${sql.raw(table)}`), table).toBe(0);
    }
    // What the sync put on members is theirs.
    expect(await count(sql`select count(*)::int as n from member_stays where source = 'pms'`)).toBe(memberStays);
    // Nothing is scheduled for it any more: the scheduler finds no connection.
    expect((await t.admin.post(`/api/pms/connections/${t.connectionId}/sync`, {})).status).toBe(404);
    // The second click finds nothing.
    expect((await t.admin.delete(`/api/pms/connections/${t.connectionId}`)).status).toBe(404);

    const audit = await t.admin.get(`/api/audit-log?action=pms.connection_deleted&targetId=${t.connectionId}`);
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0].details).toMatchObject({ name: '德安 PMS', profiles, linkedMembers, pendingChanges: 0 });

    // One connection per hotel group: the slot is free again, and the new one reads everything from the start.
    const again = await t.admin.post('/api/pms/connections', { name: '德安 PMS', baseUrl: t.pms.url, apiKey: DEMO_API_KEY, propertyMap: { '01': t.tenant.propertyIds[0] } });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    t.connectionId = again.body.id;
    const run = await syncNow(t);
    expect(run.status).toBe('succeeded');
    expect(await count(sql`select count(distinct member_id)::int as n from pms_profiles where member_id is not null`)).toBeGreaterThan(0);
    // The stays come back onto the same member stays (same property and PMS key): none doubled.
    expect(await count(sql`select count(*)::int as n from member_stays where source = 'pms'`)).toBe(memberStays);
  }, 120_000);

  it('a run the scheduler starts for a connection deleted since its claim is not started (no foreign-key error)', async () => {
    const { runtime } = t.env;
    const gone = newId();
    const run = await runtime.db.withTenant(t.tenant.tenantId, (tx) => runtime.pmsSync.startRun(systemContext(tx, t.tenant.tenantId, 'test'), gone, 'schedule', null));
    expect(run).toBeNull();
    expect(await count(sql`select count(*)::int as n from pms_sync_runs where connection_id = ${gone}`)).toBe(0);
  });
});
