import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { drain, rows, startPmsTestEnv, syncNow, type PmsTestEnv } from './pms-harness.ts';

/**
 * Push-back over HTTP to the simulator (contract §6): a linked member's edit of a synced field goes out once, with its
 * stored Idempotency-Key, through faults; the later change wins a conflict; a read-only PMS gets a change file.
 */
let t: PmsTestEnv | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function linkedMember(env: PmsTestEnv): Promise<{ memberId: string; profiles: string[] }> {
  const [row] = await rows<{ member_id: string }>(env, sql`select member_id from pms_profiles where member_id is not null and not deleted group by member_id order by count(*) desc, member_id limit 1`);
  const profiles = (await rows<{ gcust_cod: string }>(env, sql`select gcust_cod from pms_profiles where member_id = ${row!.member_id} and not deleted order by gcust_cod`)).map((r) => r.gcust_cod);
  return { memberId: row!.member_id, profiles };
}

async function outbox(env: PmsTestEnv) {
  return rows<{ gcust_cod: string; status: string; attempts: number; set_columns: Record<string, string>; result: Record<string, unknown> | null }>(env, sql`select gcust_cod, status, attempts, set_columns, result from pms_outbox order by gcust_cod`);
}

describe('push-back', () => {
  it('sends a linked member’s new e-mail to every linked profile once, through a 500, and never again', async () => {
    // Innkeeper's clock after the PMS's rows: the edit is the later change.
    t = await startPmsTestEnv({ clockAt: new Date('2026-12-02T02:00:00Z') });
    await syncNow(t);
    const { memberId, profiles } = await linkedMember(t);
    t.pms.sim.queueFault('error');
    expect((await t.admin.patch(`/api/members/${memberId}`, { email: 'new.address@example.com' })).status).toBe(200);
    await drain(t);
    const sent = await outbox(t);
    expect(sent.map((o) => o.gcust_cod)).toEqual(profiles);
    for (const o of sent) expect(o).toMatchObject({ status: 'applied', set_columns: { E_MAIL: 'new.address@example.com' } });
    for (const gcust of profiles) expect(t.pms.sim.store.guests.rows.get(gcust)!.E_MAIL).toBe('new.address@example.com');
    // Run again (a job the queue thought lost): the change is settled, nothing is sent.
    const requests = t.pms.sim.ctx.requests;
    const [first] = await rows<{ id: string }>(t, sql`select id from pms_outbox limit 1`);
    await t.env.runtime.pmsPush.push(t.tenant.tenantId, first!.id);
    expect(t.pms.sim.ctx.requests).toBe(requests);
    // The same edit again changes nothing and queues nothing.
    await t.admin.patch(`/api/members/${memberId}`, { email: 'new.address@example.com' });
    expect(await outbox(t)).toHaveLength(profiles.length);
    const report = await t.admin.get(`/api/pms/connections/${t.connectionId}/report`);
    expect(report.body.pushBack).toMatchObject({ applied: profiles.length });
    // Erasing the guest takes the queued changes (their new values) with them.
    expect((await t.admin.delete(`/api/members/${memberId}`)).status).toBe(200);
    expect((await t.admin.post(`/api/members/${memberId}/erase`, {})).status).toBeLessThan(300);
    expect(await outbox(t)).toEqual([]);
    expect(await rows(t, sql`select gcust_cod from pms_profiles where member_id = ${memberId}`)).toEqual([]);
  }, 60_000);

  it('the later change wins: an older PMS edit is overwritten, a newer one is kept and the conflict recorded', async () => {
    t = await startPmsTestEnv({ clockAt: new Date('2026-12-02T02:00:00Z') }); // 10:00 in Taipei
    await syncNow(t);
    const { memberId, profiles } = await linkedMember(t);
    const [gcust] = profiles;
    const row = t.pms.sim.store.guests.rows.get(gcust!)!;
    // The front desk changed the profile after the last sync but before the CRM edit.
    row.E_MAIL = 'desk.earlier@example.com';
    row.UPD_DAT = '2026-12-02 09:00:00';
    t.pms.sim.store.guests.upsert(row);
    await t.admin.patch(`/api/members/${memberId}`, { email: 'crm.later@example.com' });
    await drain(t);
    const first = (await outbox(t)).find((o) => o.gcust_cod === gcust)!;
    expect(first.status).toBe('applied');
    expect(first.result).toMatchObject({ conflictResolved: { theirs: '2026-12-02 09:00:00', rule: 'later_change_wins' } });
    expect(t.pms.sim.store.guests.rows.get(gcust!)!.E_MAIL).toBe('crm.later@example.com');

    // Now the front desk edits after the CRM's next edit was made: the PMS keeps its value.
    const after = t.pms.sim.store.guests.rows.get(gcust!)!;
    after.E_MAIL = 'desk.newer@example.com';
    after.UPD_DAT = '2026-12-02 23:00:00';
    t.pms.sim.store.guests.upsert(after);
    await t.admin.patch(`/api/members/${memberId}`, { email: 'crm.second@example.com' });
    await drain(t);
    const second = (await outbox(t)).filter((o) => o.gcust_cod === gcust).find((o) => o.set_columns['E_MAIL'] === 'crm.second@example.com')!;
    expect(second.status).toBe('conflict');
    expect(t.pms.sim.store.guests.rows.get(gcust!)!.E_MAIL).toBe('desk.newer@example.com');
  }, 60_000);

  it('a read-only PMS (501) gets the change in the front desk’s change file; an opt-out goes as DM_FLAG=N', async () => {
    t = await startPmsTestEnv({ sim: { writable: [] }, clockAt: new Date('2026-12-02T02:00:00Z') });
    await syncNow(t);
    const { memberId, profiles } = await linkedMember(t);
    await t.admin.patch(`/api/members/${memberId}`, { marketingOptIn: true });
    await t.admin.patch(`/api/members/${memberId}`, { marketingOptIn: false, lastName: '測試' });
    await drain(t);
    const queued = await outbox(t);
    // Consent is never pushed as DM_FLAG=Y (德安's default); the opt-out is.
    expect(queued.every((o) => o.set_columns['DM_FLAG'] !== 'Y')).toBe(true);
    const optOut = queued.filter((o) => o.set_columns['DM_FLAG'] === 'N');
    expect(optOut.map((o) => o.gcust_cod)).toEqual(profiles);
    for (const o of optOut) expect(o).toMatchObject({ status: 'change_file', set_columns: { DM_FLAG: 'N', LAST_NAM: '測試' } });
    const file = await t.env.app.inject({ method: 'GET', url: `/api/pms/connections/${t.connectionId}/changes.csv`, headers: { cookie: t.admin.cookie ?? '' } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    const lines = file.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('idempotency_key,GCUST_COD,column,old_value,new_value,requested_at,origin');
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`,${profiles[0]},DM_FLAG,,N,2026-12-02 10:00:\\d\\d,staff$`)), expect.stringMatching(new RegExp(`,${profiles[0]},LAST_NAM,[^,]+,測試,`))]));
    // Nothing was written to the PMS.
    for (const gcust of profiles) expect(t.pms.sim.store.guests.rows.get(gcust)!.DM_FLAG).not.toBe('N');
    // Contact details in full: the download is audited, and an account with pms.manage alone is refused it.
    expect((await t.admin.get(`/api/audit-log?action=pms.change_file_downloaded&targetId=${t.connectionId}`)).body.data).toHaveLength(1);
    const role = await t.admin.post('/api/roles', { name: 'PMS 管理（遮罩）', permissions: ['pms.view', 'pms.manage'] });
    await t.admin.post('/api/accounts', { email: 'pms-manager@pms-push.example', displayName: 'pms', roleId: role.body.id, allProperties: true, propertyIds: [] });
    await new ApiClient(t.env).post('/api/auth/set-password', { token: await latestLinkToken(t.env, 'pms-manager@pms-push.example'), password: 'long enough passphrase' });
    const manager = await signedInAs(t.env, 'pms-manager@pms-push.example', 'long enough passphrase');
    expect((await manager.get(`/api/pms/connections/${t.connectionId}/changes.csv`)).status).toBe(403);
  }, 60_000);
});
