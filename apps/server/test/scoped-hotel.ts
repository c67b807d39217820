import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemContext, type TenantContext } from '../src/core/context.ts';
import { newId } from '../src/core/ids.ts';
import { ApiClient, latestLinkToken, signedInAs } from './api-client.ts';
import type { TestEnv, TestTenant } from './harness.ts';

/**
 * Set-up for tests of who a property-limited account may see and decide (decision 0006): accounts limited to some
 * properties, members, LINE friends as the worker records them, binding reviews as the LIFF binding leaves them.
 * `hotel` is read when a helper runs (the test's beforeAll starts it); `ids` collects each record under its key.
 */
export function scopedHotelHelpers(hotel: () => { env: TestEnv; tenant: TestTenant; admin: ApiClient }, ids: Record<string, string>) {
  async function scopedAccount(email: string, roleKey: string, propertyIds: string[], allProperties = false): Promise<ApiClient> {
    const { env, admin } = hotel();
    const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string }>;
    const created = await admin.post('/api/accounts', { email, displayName: email, roleId: roles.find((r) => r.builtinKey === roleKey)!.id, allProperties, propertyIds });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
    return signedInAs(env, email, 'long enough passphrase');
  }

  async function member(key: string, body: Record<string, unknown>): Promise<void> {
    const created = await hotel().admin.post('/api/members', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids[key] = created.body.id;
  }

  /** A LINE friend as the worker records one: through the group's channel (null) or a property's channel. */
  async function friend(key: string, propertyId: string | null): Promise<string> {
    const { env, tenant } = hotel();
    const lineUserId = `U${newId().replace(/-/g, '')}`;
    const { member: row } = await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      env.runtime.memberLine.recordFollow(systemContext(tx as TenantContext['db'], tenant.tenantId, 'line'), { lineUserId, propertyId, at: env.clock.now(), isUnblocked: false }),
    );
    ids[key] = row.id;
    return lineUserId;
  }

  /** A binding review as the LIFF binding leaves one, with a real (encrypted) submission. */
  async function review(lineUserId: string, candidates: string[], mobile = '0911222333'): Promise<string> {
    const { env, tenant } = hotel();
    const id = newId();
    const submitted = JSON.stringify({ lastName: '測', firstName: '試', mobile: `+886${mobile.slice(1)}`, email: null, birthday: null, identity: null });
    await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      tx.execute(sql`insert into binding_reviews (tenant_id, id, channel_id, line_user_id, submitted_masked, submitted_encrypted, candidate_member_ids, reason)
                     values (${tenant.tenantId}, ${id}, ${newId()}, ${lineUserId}, '{}'::jsonb, ${env.runtime.keyring.encrypt(submitted)}, ${`{${candidates.join(',')}}`}::uuid[], 'ambiguous')`),
    );
    return id;
  }

  async function lineUserOf(id: string): Promise<string | null> {
    const { env, tenant } = hotel();
    const rows = await env.runtime.db.withTenant(tenant.tenantId, (tx) => tx.execute(sql`select line_user_id from members where id = ${id}`));
    const row = (rows as unknown as { rows?: Array<{ line_user_id: string | null }> }).rows?.[0] ?? (rows as unknown as Array<{ line_user_id: string | null }>)[0];
    return row?.line_user_id ?? null;
  }

  return { scopedAccount, member, friend, review, lineUserOf };
}
