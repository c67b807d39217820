import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { signedInAs } from '../../../../test/api-client.ts';
import { rows, startPmsTestEnv, syncNow, type PmsTestEnv } from './pms-harness.ts';

/**
 * PMS → member field sync (decision 0010 "Field sync"): a PMS opt-out opts the linked member out (source pms, with its
 * evidence) unless the member's opt-in is provably later; DM_FLAG=Y opts nobody in; contact fields fill blanks and the
 * later change wins a conflict, which is recorded on the run's report and the member's history.
 */
let t: PmsTestEnv | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function linkedMember(env: PmsTestEnv): Promise<{ memberId: string; gcust: string }> {
  const [row] = await rows<{ member_id: string; gcust_cod: string }>(
    env,
    sql`select member_id, min(gcust_cod) as gcust_cod from pms_profiles where member_id is not null and not deleted and merged_into is null group by member_id having count(*) = 1 order by member_id limit 1`,
  );
  return { memberId: row!.member_id, gcust: row!.gcust_cod };
}

/** Moves Innkeeper's clock (and signs in again: hours pass between the steps). */
async function at(env: PmsTestEnv, iso: string) {
  env.env.clock.current = new Date(iso);
  env.admin = await signedInAs(env.env, env.tenant.adminEmail, env.tenant.password);
}

function desk(env: PmsTestEnv, gcust: string, change: Record<string, string>) {
  const row = env.pms.sim.store.guests.rows.get(gcust)!;
  Object.assign(row, change);
  env.pms.sim.store.guests.upsert(row);
}

async function member(env: PmsTestEnv, id: string) {
  const [row] = await rows<{ marketingOptIn: boolean; optInSource: string; email: string | null }>(env, sql`select marketing_opt_in as "marketingOptIn", opt_in_source as "optInSource", email from members where id = ${id}`);
  return row!;
}

/** The field sync's part of a run's report. */
async function fieldsOf(env: PmsTestEnv, run: { id: string }) {
  const [row] = await rows<{ fields: unknown }>(env, sql`select report->'fields' as fields from pms_sync_runs where id = ${run.id}`);
  return row!.fields;
}

async function history(env: PmsTestEnv, id: string, type: string) {
  return rows<{ details: Record<string, unknown>; actor_type: string }>(env, sql`select details, actor_type from member_interactions where member_id = ${id} and type = ${type} order by occurred_at, id`);
}

describe('PMS → member fields', () => {
  it('a PMS opt-out opts the member out once, with its evidence; a later CRM opt-in stands; DM_FLAG=Y opts nobody in', async () => {
    t = await startPmsTestEnv({ clockAt: new Date('2026-12-02T02:00:00Z') }); // 10:00 in Taipei
    await syncNow(t);
    const { memberId, gcust } = await linkedMember(t);
    desk(t, gcust, { DM_FLAG: 'Y', UPD_DAT: '2026-12-02 10:30:00' });
    await syncNow(t);
    expect((await member(t, memberId)).marketingOptIn).toBe(false); // DM_FLAG=Y is 德安's default, not consent

    expect((await t.admin.patch(`/api/members/${memberId}`, { marketingOptIn: true })).status).toBe(200); // at 10:00
    await at(t, '2026-12-02T04:00:00Z'); // 12:00
    desk(t, gcust, { DM_FLAG: 'N', UPD_DAT: '2026-12-02 11:00:00' });
    const run = await syncNow(t);
    expect(await member(t, memberId)).toMatchObject({ marketingOptIn: false, optInSource: 'pms' });
    const [optedOut] = await history(t, memberId, 'opted_out');
    expect(optedOut).toMatchObject({ actor_type: 'pms', details: { source: 'pms', gcustCod: gcust, updDat: '2026-12-02 11:00:00', connectionId: t.connectionId } });
    expect(await fieldsOf(t, run)).toMatchObject({ optedOut: 1 });
    // Nothing is pushed back for a value that came from the PMS.
    expect(await rows(t, sql`select id from pms_outbox where member_id = ${memberId}`)).toEqual([]);

    // The guest opts in again (13:00); the front desk then edits the address only: the old opt-out is not applied again.
    await at(t, '2026-12-02T05:00:00Z');
    await t.admin.patch(`/api/members/${memberId}`, { marketingOptIn: true });
    desk(t, gcust, { ADDRESS: '台北市中山區', UPD_DAT: '2026-12-02 13:30:00' });
    await syncNow(t);
    expect((await member(t, memberId)).marketingOptIn).toBe(true);

    // The PMS says Y, then N again (13:40), and the sync sees it only after the guest opted in once more in LIFF (14:00,
    // written straight): UPD_DAT is the latest the opt-out can have been made, so the guest's opt-in is later and stands.
    desk(t, gcust, { DM_FLAG: 'Y', UPD_DAT: '2026-12-02 13:35:00' });
    await syncNow(t);
    desk(t, gcust, { DM_FLAG: 'N', UPD_DAT: '2026-12-02 13:40:00' });
    await rows(t, sql`update members set opt_in_changed_at = '2026-12-02T06:00:00Z', opt_in_source = 'liff' where id = ${memberId}`);
    await at(t, '2026-12-02T06:10:00Z');
    const kept = await syncNow(t);
    expect((await member(t, memberId)).marketingOptIn).toBe(true);
    expect(await fieldsOf(t, kept)).toMatchObject({ optedOut: 0, keptCrm: 1, conflicts: [{ memberId, gcustCod: gcust, field: 'marketingOptIn', outcome: 'kept_crm' }] });
    const listed = (await t.admin.get(`/api/pms/connections/${t.connectionId}/conflicts?field=marketingOptIn&pageSize=200`)).body.data as Array<{ member: { id: string } }>;
    expect(listed.filter((c) => c.member.id === memberId)).toMatchObject([{ member: { id: memberId }, field: 'marketingOptIn', pmsValue: 'opt_out', crmValue: 'opt_in', kept: 'crm', crmChangedAt: '2026-12-02T06:00:00.000Z' }]);
    expect(await history(t, memberId, 'opted_out')).toHaveLength(1);
  }, 90_000);

  it('contact fields: a blank is filled, the later change wins, the conflict is recorded', async () => {
    t = await startPmsTestEnv({ clockAt: new Date('2026-12-02T02:00:00Z') });
    await syncNow(t);
    const { memberId, gcust } = await linkedMember(t);
    // The member has no e-mail: the PMS's fills it.
    await rows(t, sql`update members set email = null, updated_at = '2026-12-02T02:00:00Z' where id = ${memberId}`);
    await at(t, '2026-12-02T04:00:00Z');
    desk(t, gcust, { E_MAIL: 'desk.first@example.com', UPD_DAT: '2026-12-02 11:00:00' });
    const filled = await syncNow(t);
    expect((await member(t, memberId)).email).toBe('desk.first@example.com');
    expect(await fieldsOf(t, filled)).toMatchObject({ filled: 1 });

    // The PMS changes it after the member last changed (12:00): the PMS's change is later and wins, recorded.
    desk(t, gcust, { E_MAIL: 'desk.second@example.com', UPD_DAT: '2026-12-02 12:30:00' });
    await rows(t, sql`update members set email = 'guest.typed@example.com', updated_at = '2026-12-02T04:00:00Z' where id = ${memberId}`);
    await at(t, '2026-12-02T05:00:00Z');
    const taken = await syncNow(t);
    expect((await member(t, memberId)).email).toBe('desk.second@example.com');
    expect(await fieldsOf(t, taken)).toMatchObject({ takenFromPms: 1, conflicts: [{ memberId, field: 'email', outcome: 'taken_from_pms' }] });

    // The guest types a new one in LIFF at 13:00 (no push: written straight), the PMS's next change is stamped 12:45.
    await rows(t, sql`update members set email = 'guest.liff@example.com', updated_at = '2026-12-02T05:00:00Z' where id = ${memberId}`);
    desk(t, gcust, { E_MAIL: 'desk.third@example.com', UPD_DAT: '2026-12-02 12:45:00' });
    const kept = await syncNow(t);
    expect((await member(t, memberId)).email).toBe('guest.liff@example.com');
    expect(await fieldsOf(t, kept)).toMatchObject({ keptCrm: 1, conflicts: [{ memberId, field: 'email', outcome: 'kept_crm' }] });
    const edits = await history(t, memberId, 'edited');
    expect(edits.filter((e) => e.actor_type === 'pms').map((e) => e.details['conflicts'])).toEqual([[], [{ field: 'email', kept: 'pms' }], [{ field: 'email', kept: 'crm' }]]);

    // The PMS page lists both conflicts (a fill is none), newest first: the member, the field, both values masked,
    // which side won and when each side changed.
    const list = await t.admin.get(`/api/pms/connections/${t.connectionId}/conflicts?pageSize=200`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 200 });
    const all = list.body.data as Array<Record<string, any>>;
    // The first load's own conflicts (the sample's members typed other numbers than the front desk) are there too.
    expect(list.body.total).toBe(all.length);
    const mine = all.filter((c) => c.member.id === memberId);
    expect(mine).toHaveLength(2);
    const [newest, older] = mine;
    expect(newest).toMatchObject({ member: { id: memberId }, gcustCod: gcust, field: 'email', kept: 'crm', pmsChangedAt: '2026-12-02T04:45:00.000Z', crmChangedAt: '2026-12-02T05:00:00.000Z' });
    expect(older).toMatchObject({ member: { id: memberId }, field: 'email', kept: 'pms', pmsChangedAt: '2026-12-02T04:30:00.000Z', crmChangedAt: '2026-12-02T04:00:00.000Z' });
    // Newest first.
    expect(all.map((c) => c.recordedAt)).toEqual([...all.map((c) => c.recordedAt)].sort().reverse());
    // Masked, never the address itself (the list needs pms.view, not personal_data.unmasked).
    expect(JSON.stringify(list.body)).not.toMatch(/desk\.third@|guest\.liff@|desk\.second@|guest\.typed@/);
    expect(newest!.pmsValue).toMatch(/\*/);
    expect(newest!.crmValue).toMatch(/\*/);
    expect(newest!.pmsValue).not.toBe(newest!.crmValue);
    // Paged on the server: pages of one are the same rows in the same order.
    const total = list.body.total as number;
    expect((await t.admin.get(`/api/pms/connections/${t.connectionId}/conflicts?pageSize=1&page=2`)).body).toMatchObject({ total, data: [{ id: all[1]!.id }] });
    // By field.
    const emails = (await t.admin.get(`/api/pms/connections/${t.connectionId}/conflicts?field=email&pageSize=200`)).body;
    expect(emails.data.every((c: { field: string }) => c.field === 'email')).toBe(true);
    expect(emails.data.filter((c: { member: { id: string } }) => c.member.id === memberId)).toHaveLength(2);
    expect((await t.admin.get(`/api/pms/connections/${t.connectionId}/conflicts?field=name`)).status).toBe(400);
    // Erasing the guest (deleted, then erased) takes their conflicts with them.
    expect((await t.admin.delete(`/api/members/${memberId}`)).status).toBeLessThan(300);
    expect((await t.admin.post(`/api/members/${memberId}/erase`)).status).toBe(204);
    expect(await rows(t, sql`select id from pms_field_conflicts where member_id = ${memberId}`)).toEqual([]);
  }, 90_000);
});
