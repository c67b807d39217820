import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../core/db/database.ts';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
/** 客服: may create and edit members, may not see unmasked personal data. */
let desk: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string | null }>;
  await admin.post('/api/accounts', { email: 'desk@hotel.example', displayName: '櫃台', roleId: roles.find((r) => r.builtinKey === 'customer_service')!.id });
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, 'desk@hotel.example'), password: 'front desk passphrase' });
  desk = await signedInAs(env, 'desk@hotel.example', 'front desk passphrase');
});
afterAll(() => env.close());

describe('one live member per identity document', () => {
  it('[concurrency] four creates with the same national ID at once make one member; the others are told the ID is in use', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => admin.post('/api/members', { lastName: `同號${i}`, identity: { type: 'national_id', number: 'F131104093' } })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409)) expect(refused.body.error.code).toBe('member.duplicate_identity');
    const [row] = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      queryRows<{ n: number }>(tx, sql`select count(*)::int as n from members where deleted_at is null and id_number_masked like 'F13%'`),
    );
    expect(row!.n).toBe(1);
  });
});

describe('what a duplicate document tells the caller', () => {
  it('names the member holding the number only to an account that may see unmasked personal data', async () => {
    const holder = await admin.post('/api/members', { lastName: '持有人', identity: { type: 'national_id', number: 'G123456785' } });
    expect(holder.status).toBe(201);

    const byDesk = await desk.post('/api/members', { lastName: '試探', identity: { type: 'national_id', number: 'G123456785' } });
    expect(byDesk.status).toBe(409);
    expect(byDesk.body.error.code).toBe('member.duplicate_identity');
    expect(byDesk.body.error.details).toEqual({ field: 'identity' });

    const other = await desk.post('/api/members', { lastName: '另一位' });
    const editByDesk = await desk.patch(`/api/members/${other.body.id}`, { identity: { type: 'national_id', number: 'G123456785' } });
    expect(editByDesk.status).toBe(409);
    expect(editByDesk.body.error.details).toEqual({ field: 'identity' });
    expect(JSON.stringify(editByDesk.body)).not.toContain(holder.body.memberNo);

    const byAdmin = await admin.post('/api/members', { lastName: '管理員', identity: { type: 'national_id', number: 'G123456785' } });
    expect(byAdmin.body.error.details).toEqual({ field: 'identity', memberId: holder.body.id, memberNo: holder.body.memberNo });
  });

  it('refuses to restore a deleted member whose document a live member now holds', async () => {
    const first = await admin.post('/api/members', { lastName: '舊', identity: { type: 'national_id', number: 'H123456786' } });
    expect((await admin.delete(`/api/members/${first.body.id}`)).status).toBeLessThan(300);
    expect((await admin.post('/api/members', { lastName: '新', identity: { type: 'national_id', number: 'H123456786' } })).status).toBe(201);
    const restored = await admin.post(`/api/members/${first.body.id}/restore`);
    expect(restored.status).toBe(409);
    expect(restored.body.error.code).toBe('member.duplicate_identity');
  });
});
