import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs } from '../../../../test/api-client.ts';
import { createTestTenant } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';
import { falseLinks, rows, startPmsTestEnv, syncNow, type PmsTestEnv } from './pms-harness.ts';

/**
 * The PMS match reviews (decided in 綁定審核 like LINE bindings): approve or pick the profiles, reject; what a later
 * sync does with staff's decisions; who may see and do what; and tenant isolation of the PMS tables.
 */
let t: PmsTestEnv;
let frontDesk: ApiClient;
let marketing: ApiClient;

async function account(email: string, builtinKey: string): Promise<ApiClient> {
  const roleId = ((await t.admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>).find((r) => r.builtinKey === builtinKey)!.id;
  const created = await t.admin.post('/api/accounts', { email, displayName: email, roleId, allProperties: true, propertyIds: [] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(t.env).post('/api/auth/set-password', { token: await latestLinkToken(t.env, email), password: 'long enough passphrase' });
  return signedInAs(t.env, email, 'long enough passphrase');
}

beforeAll(async () => {
  t = await startPmsTestEnv();
  await syncNow(t);
  frontDesk = await account('desk@pms-reviews.example', 'customer_service');
  marketing = await account('marketing@pms-reviews.example', 'marketing');
}, 120_000);
afterAll(() => t.close());

type Review = { id: string; reasons: string[]; member: { id: string; mobile: string | null }; candidates: Array<{ personId: string; profiles: Array<{ gcustCod: string; mobiles: string[]; identity: { masked: string } | null; linkedMemberId: string | null }> }> };

describe('PMS match reviews', () => {
  let open: Review[];

  it('lists the open cases with the member and each candidate’s profiles, masked', async () => {
    const list = await frontDesk.get('/api/pms/reviews');
    expect(list.status).toBe(200);
    open = list.body.data;
    expect(open.length).toBeGreaterThan(1);
    for (const review of open) {
      expect(review.reasons.length).toBeGreaterThan(0);
      expect(review.candidates.length).toBeGreaterThan(0);
      for (const c of review.candidates) for (const p of c.profiles) for (const m of p.mobiles) expect(m).toContain('*');
    }
  });

  it('links the member to the profiles staff pick; the case closes once (compare-and-set)', async () => {
    const review = open.find((r) => r.candidates.some((c) => c.profiles.every((p) => p.linkedMemberId === null)))!;
    const candidate = review.candidates.find((c) => c.profiles.every((p) => p.linkedMemberId === null))!;
    const picked = [candidate.profiles[0]!.gcustCod];
    const done = await frontDesk.post(`/api/pms/reviews/${review.id}/link`, { profileIds: picked });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toEqual({ ok: true, linkedProfiles: 1 });
    const again = await frontDesk.post(`/api/pms/reviews/${review.id}/link`, { profileIds: picked });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('pms.review_closed');
    const [link] = await rows<{ member_id: string; link_source: string }>(t, sql`select member_id, link_source from pms_profiles where gcust_cod = ${picked[0]}`);
    expect(link).toEqual({ member_id: review.member.id, link_source: 'staff' });
    // The next sync keeps the staff's link, does not reopen the case and brings the profile's stays to the member.
    const run = await syncNow(t);
    expect(run.status).toBe('succeeded');
    const [still] = await rows<{ member_id: string }>(t, sql`select member_id from pms_profiles where gcust_cod = ${picked[0]}`);
    expect(still!.member_id).toBe(review.member.id);
    const reopened = (await frontDesk.get('/api/pms/reviews')).body.data.filter((r: Review) => r.member.id === review.member.id);
    expect(reopened).toEqual([]);
    const expectedStays = t.pms.sim.data.stays.filter((s) => s.GCUST_COD === picked[0]).length;
    const stays = (await t.admin.get(`/api/members/${review.member.id}/stays`)).body.data.filter((s: { source: string }) => s.source === 'pms');
    expect(stays.length).toBeGreaterThanOrEqual(expectedStays);
  });

  it('refuses a profile that is not one of the case’s candidates', async () => {
    const review = (await frontDesk.get('/api/pms/reviews')).body.data[0] as Review;
    const outsider = (await rows<{ gcust_cod: string }>(t, sql`select gcust_cod from pms_profiles where not (gcust_cod = any(${`{${review.candidates.flatMap((c) => c.profiles.map((p) => p.gcustCod)).join(',')}}`}::text[])) limit 1`))[0]!;
    const refused = await frontDesk.post(`/api/pms/reviews/${review.id}/link`, { profileIds: [outsider.gcust_cod] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('pms.profile_not_candidate');
  });

  it('a rejected case is not opened again for the same candidates', async () => {
    const review = (await frontDesk.get('/api/pms/reviews')).body.data[0] as Review;
    expect((await frontDesk.post(`/api/pms/reviews/${review.id}/reject`, {})).status).toBe(200);
    const run = await syncNow(t);
    expect(run.report.unmatchedReasons.rejected_by_staff).toBeGreaterThanOrEqual(1);
    const reopened = (await frontDesk.get('/api/pms/reviews')).body.data.filter((r: Review) => r.member.id === review.member.id);
    expect(reopened).toEqual([]);
    const handled = (await frontDesk.get('/api/pms/reviews?status=rejected')).body.data;
    expect(handled.map((r: Review) => r.id)).toContain(review.id);
    expect(await falseLinks(t)).toHaveLength(0);
  });

  it('a case reopened by a sync that read the rejections just before one was made is superseded when rejected again, not a 500', async () => {
    const review = (await frontDesk.get('/api/pms/reviews')).body.data[0] as Review;
    // What that race leaves: the same candidates (fingerprint) rejected once already, and open again.
    await t.env.runtime.db.withTenant(t.tenant.tenantId, (tx) =>
      tx.execute(sql`insert into pms_review_cases (tenant_id, id, connection_id, member_id, candidates, reasons, fingerprint, status)
                     select tenant_id, gen_random_uuid(), connection_id, member_id, candidates, reasons, fingerprint, 'rejected' from pms_review_cases where id = ${review.id}`),
    );
    const again = await frontDesk.post(`/api/pms/reviews/${review.id}/reject`, {});
    expect([again.status, again.body]).toEqual([200, { ok: true, linkedProfiles: 0 }]);
    const [row] = await rows<{ status: string }>(t, sql`select status from pms_review_cases where id = ${review.id}`);
    expect(row!.status).toBe('superseded');
  });
});

describe('permissions', () => {
  it('the PMS page needs pms.view, its settings and sync pms.manage: the front desk and marketing have neither', async () => {
    for (const client of [frontDesk, marketing]) {
      expect((await client.get('/api/pms/connections')).status).toBe(403);
      expect((await client.get(`/api/pms/connections/${t.connectionId}/runs`)).status).toBe(403);
      expect((await client.post(`/api/pms/connections/${t.connectionId}/sync`, {})).status).toBe(403);
      expect((await client.patch(`/api/pms/connections/${t.connectionId}`, { scheduleMinutes: 5 })).status).toBe(403);
    }
  });

  it('the reviews are for those who decide bindings (members.edit): not marketing', async () => {
    expect((await marketing.get('/api/pms/reviews')).status).toBe(403);
    expect((await frontDesk.get('/api/pms/reviews')).status).toBe(200);
  });

  it('a custom role with pms.view sees the page but may not change it', async () => {
    const role = await t.admin.post('/api/roles', { name: 'PMS 檢視', permissions: ['pms.view'] });
    expect(role.status).toBe(201);
    await t.admin.post('/api/accounts', { email: 'viewer@pms-reviews.example', displayName: 'viewer', roleId: role.body.id, allProperties: true, propertyIds: [] });
    await new ApiClient(t.env).post('/api/auth/set-password', { token: await latestLinkToken(t.env, 'viewer@pms-reviews.example'), password: 'long enough passphrase' });
    const viewer = await signedInAs(t.env, 'viewer@pms-reviews.example', 'long enough passphrase');
    const list = await viewer.get('/api/pms/connections');
    expect(list.status).toBe(200);
    expect(list.body.data[0]).toMatchObject({ id: t.connectionId, scheduleMinutes: 15 });
    expect(JSON.stringify(list.body)).not.toContain('dean-demo-key');
    expect((await viewer.get(`/api/pms/connections/${t.connectionId}/report`)).status).toBe(200);
    expect((await viewer.patch(`/api/pms/connections/${t.connectionId}`, { scheduleMinutes: 30 })).status).toBe(403);
  });

  it('the administrator changes the schedule; the key is stored encrypted and only its last 4 characters shown', async () => {
    const changed = await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { scheduleMinutes: 60 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ scheduleMinutes: 60, apiKeyHint: '5b1a' });
    const [stored] = await rows<{ api_key_encrypted: string }>(t, sql`select api_key_encrypted from pms_connections`);
    expect(stored!.api_key_encrypted).not.toContain('dean-demo-key');
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { scheduleMinutes: 2 })).status).toBe(400);
    // 稽核紀錄 records the change (field names only) and names the connection.
    const audit = await t.admin.get(`/api/audit-log?pageSize=100&targetType=pms_connection&targetId=${t.connectionId}`);
    expect(audit.body.data.find((e: { action: string }) => e.action === 'pms.connection_updated')).toMatchObject({ targetLabel: '德安 PMS', details: { fields: ['scheduleMinutes'] } });
  });
});

describe('tenant isolation', () => {
  it('another hotel group sees none of this one’s PMS connection, runs, profiles or reviews', async () => {
    const other = await createTestTenant(t.env);
    const otherAdmin = await signedInAs(t.env, other.adminEmail, other.password);
    expect((await otherAdmin.get('/api/pms/connections')).body.data).toEqual([]);
    expect((await otherAdmin.get('/api/pms/reviews')).body.data).toEqual([]);
    expect((await otherAdmin.get(`/api/pms/connections/${t.connectionId}`)).status).toBe(404);
    expect((await otherAdmin.post(`/api/pms/connections/${t.connectionId}/sync`, {})).status).toBe(404);
    const review = (await t.admin.get('/api/pms/reviews')).body.data[0] as Review;
    expect((await otherAdmin.post(`/api/pms/reviews/${review.id}/reject`, {})).status).toBe(404);
    const [counts] = await t.env.runtime.db.withTenant(other.tenantId, (tx) =>
      queryRows<{ n: number }>(tx, sql`select ((select count(*) from pms_profiles) + (select count(*) from pms_stays) + (select count(*) from pms_sync_runs) + (select count(*) from pms_review_cases))::int as n`),
    );
    expect(counts!.n).toBe(0);
  });
});
