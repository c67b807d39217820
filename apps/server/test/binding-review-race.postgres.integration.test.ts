import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemContext as contextForSystem, type TenantContext } from '../src/core/context.ts';
import { newId } from '../src/core/ids.ts';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from './api-client.ts';
import type { TestEnv, TestTenant } from './harness.ts';

// Attack review (atk9): two staff resolving one binding review at once, on PostgreSQL (PGlite runs one request at a time).
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
const ids: Record<string, string> = {};

async function scopedAccount(email: string, roleKey: string, propertyIds: string[], allProperties = false): Promise<ApiClient> {
  const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
  const created = await admin.post('/api/accounts', { email, displayName: email, roleId: roles.find((r) => r.builtinKey === roleKey)!.id, allProperties, propertyIds });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

async function member(key: string, body: Record<string, unknown>) {
  const created = await admin.post('/api/members', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  ids[key] = created.body.id;
}

async function friend(key: string, propertyId: string | null) {
  const lineUserId = `U${newId().replace(/-/g, '')}`;
  const { member: row } = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    env.runtime.memberLine.recordFollow(contextForSystem(tx as TenantContext['db'], tenant.tenantId, 'line'), { lineUserId, propertyId, at: env.clock.now(), isUnblocked: false }),
  );
  ids[key] = row.id;
  return lineUserId;
}

/** A binding review as the LIFF binding leaves one, with a real (encrypted) submission. */
async function review(lineUserId: string, candidates: string[], mobile = '0911222333'): Promise<string> {
  const id = newId();
  const submitted = JSON.stringify({ lastName: '測', firstName: '試', mobile: `+886${mobile.slice(1)}`, email: null, birthday: null, identity: null });
  await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
    tx.execute(sql`insert into binding_reviews (tenant_id, id, channel_id, line_user_id, submitted_masked, submitted_encrypted, candidate_member_ids, reason)
                   values (${tenant.tenantId}, ${id}, ${newId()}, ${lineUserId}, '{}'::jsonb, ${env.runtime.keyring.encrypt(submitted)}, ${`{${candidates.join(',')}}`}::uuid[], 'ambiguous')`),
  );
  return id;
}

async function lineUserOf(id: string): Promise<string | null> {
  const rows = await env.runtime.db.withTenant(tenant.tenantId, (tx) => tx.execute(sql`select line_user_id, deleted_at, property_id from members where id = ${id}`));
  const row = (rows as unknown as { rows?: Array<{ line_user_id: string | null }> }).rows?.[0] ?? (rows as unknown as Array<{ line_user_id: string | null }>)[0];
  return row?.line_user_id ?? null;
}

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  // Started as every process starts it: linking and dismissing both queue the guest's LINE message.
  await env.runtime.queue.start({ work: true });
  // Property 0 is 台北館, property 1 台中館.
});
afterAll(() => env.close());

describe('binding reviews: two accounts resolving one review at once', () => {
  it('lets exactly one of a link and a dismiss win, and the review says which', async () => {
    const other = await scopedAccount('atk9-admin2@hotel.example', 'administrator', [], true);
    await member('raceTarget', { lastName: '競', firstName: '爭', propertyId: tenant.propertyIds[0] });
    const groupFriend = await friend('raceFriend', null);
    const id = await review(groupFriend, [ids.raceTarget!], '0911222777');
    const [linked, dismissed] = await Promise.all([admin.post(`/api/binding-reviews/${id}/link`, { memberId: ids.raceTarget }), other.post(`/api/binding-reviews/${id}/dismiss`, {})]);
    const outcomes = [linked.status, dismissed.status].sort();
    expect(outcomes, JSON.stringify([linked.body, dismissed.body])).toEqual([200, 409].sort());
    const closed = (await admin.get('/api/binding-reviews?status=' + (linked.status === 200 ? 'linked' : 'dismissed'))).body.data as Array<{ id: string }>;
    expect(closed.map((r) => r.id)).toContain(id);
    expect(await lineUserOf(ids.raceTarget!)).toBe(linked.status === 200 ? groupFriend : null);
  });
});

