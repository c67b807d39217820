import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, latestLinkToken, signedInAs, startSignedIn } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';

// Who reads which audit entries (decision 0006, "The audit log"): an account limited to some properties reads what
// accounts limited to those properties did, itself included; group-level staff's and the system's entries (which may
// name any property's guests in their details) stay with group-level accounts.
let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;
const actors: Record<string, ApiClient> = {};

type Entry = { actorEmail: string; action: string; details: Record<string, unknown> };

async function accountWith(email: string, builtinKey: string, propertyIds?: string[]): Promise<ApiClient> {
  const roles = (await admin.get('/api/roles')).body.data as Array<{ id: string; builtinKey: string | null }>;
  const scope = propertyIds ? { allProperties: false, propertyIds } : {};
  const created = await admin.post('/api/accounts', { email, displayName: email, roleId: roles.find((r) => r.builtinKey === builtinKey)!.id, ...scope });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await new ApiClient(env).post('/api/auth/set-password', { token: await latestLinkToken(env, email), password: 'long enough passphrase' });
  return signedInAs(env, email, 'long enough passphrase');
}

async function exportedBy(client: ApiClient, q: string): Promise<void> {
  const response = await client.post('/api/members/export', { audience: { q }, format: 'csv' });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

async function exportsSeenBy(client: ApiClient): Promise<string[]> {
  const response = await client.get('/api/audit-log?action=member.exported&pageSize=100');
  expect(response.status).toBe(200);
  return (response.body.data as Entry[]).map((e) => `${e.actorEmail} ${String((e.details.audience as { q?: string } | undefined)?.q)}`).sort();
}

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  const [taipei, taichung] = tenant.propertyIds as [string, string];
  actors.taipeiMarketing = await accountWith('mkt.tpe@hotel.example', 'marketing', [taipei]);
  actors.taichungMarketing = await accountWith('mkt.txg@hotel.example', 'marketing', [taichung]);
  actors.bothMarketing = await accountWith('mkt.both@hotel.example', 'marketing', [taipei, taichung]);
  actors.taipeiManager = await accountWith('mgr.tpe@hotel.example', 'management', [taipei]);
  actors.bothManager = await accountWith('mgr.both@hotel.example', 'management', [taipei, taichung]);
  actors.groupManager = await accountWith('mgr.group@hotel.example', 'management');
  await exportedBy(admin, '台中館的客人');
  await exportedBy(actors.taipeiMarketing, '台北');
  await exportedBy(actors.taichungMarketing, '台中');
  await exportedBy(actors.bothMarketing, '兩館');
  await exportedBy(actors.taipeiManager, '店長');
});
afterAll(() => env.close());

describe('audit log by property scope', () => {
  it('shows a limited manager the entries of accounts limited to its properties only', async () => {
    expect(await exportsSeenBy(actors.taipeiManager!)).toEqual(['mgr.tpe@hotel.example 店長', 'mkt.tpe@hotel.example 台北']);
    expect(await exportsSeenBy(actors.bothManager!)).toEqual([
      'mgr.tpe@hotel.example 店長', 'mkt.both@hotel.example 兩館', 'mkt.tpe@hotel.example 台北', 'mkt.txg@hotel.example 台中',
    ]);
  });

  it('shows group-level accounts every entry', async () => {
    const everything = [
      `${tenant.adminEmail} 台中館的客人`, 'mgr.tpe@hotel.example 店長', 'mkt.both@hotel.example 兩館', 'mkt.tpe@hotel.example 台北', 'mkt.txg@hotel.example 台中',
    ].sort();
    expect(await exportsSeenBy(actors.groupManager!)).toEqual(everything);
    expect(await exportsSeenBy(admin)).toEqual(everything);
  });

  it('applies the rule to the count and to every filter, not only to the page', async () => {
    for (const query of ['', `actor=${encodeURIComponent(tenant.adminEmail)}`, 'action=member.', 'targetType=member']) {
      const response = await actors.taipeiManager!.get(`/api/audit-log?pageSize=100&${query}`);
      expect(response.status).toBe(200);
      const emails = new Set((response.body.data as Entry[]).map((e) => e.actorEmail));
      expect([...emails].every((e) => e === 'mgr.tpe@hotel.example' || e === 'mkt.tpe@hotel.example'), `${query}: ${[...emails].join(', ')}`).toBe(true);
      expect(response.body.total).toBe(response.body.data.length);
    }
  });

  it('keeps the acting account’s properties as they were when it acted', async () => {
    const rows = await env.runtime.db.ownerTransaction((owner) =>
      owner.query<{ actor_email: string; actor_property_ids: string[] | null }>(
        `select actor_email, actor_property_ids from audit_log where tenant_id = $1 and action = 'member.exported'`,
        [tenant.tenantId],
      ),
    );
    const byEmail = new Map(rows.map((r) => [r.actor_email, r.actor_property_ids]));
    expect(byEmail.get(tenant.adminEmail)).toBeNull();
    expect(byEmail.get('mkt.tpe@hotel.example')).toEqual([tenant.propertyIds[0]]);
    expect([...(byEmail.get('mkt.both@hotel.example') ?? [])].sort()).toEqual([...tenant.propertyIds.slice(0, 2)].sort());
  });

  it('reads a limited account’s page through the partial index of limited actors’ entries', async () => {
    const plan = await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const rows = await queryRows<{ 'QUERY PLAN': string }>(
        tx,
        sql`explain select * from audit_log where tenant_id = ${tenant.tenantId} and actor_property_ids is not null and actor_property_ids <@ ${`{${tenant.propertyIds[0]}}`}::uuid[] order by occurred_at desc limit 20`,
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/audit_log_scoped_time_idx/);
  });
});
