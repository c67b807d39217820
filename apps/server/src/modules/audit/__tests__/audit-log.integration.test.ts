import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../core/db/database.ts';
import { startSignedIn, type ApiClient } from '../../../../test/api-client.ts';
import type { TestEnv, TestTenant } from '../../../../test/harness.ts';
import { AUDIT_ACTIONS } from '../audit-actions.ts';
import { AUDIT_COUNT_LIMIT } from '../audit.repository.ts';

let env: TestEnv;
let tenant: TestTenant;
let admin: ApiClient;

beforeAll(async () => {
  ({ env, tenant, admin } = await startSignedIn());
  // A long history: more entries than are counted, each of 50 members touched alike; planner statistics refreshed.
  await env.runtime.db.ownerTransaction(async (owner) => {
    await owner.query(
      `insert into audit_log (tenant_id, id, occurred_at, actor_email, action, target_type, target_id)
       select $1, gen_random_uuid(), now() - make_interval(secs => g), 'bulk@hotel.example', 'member.updated', 'member', 'm' || (g % 50)
       from generate_series(1, $2::int) g`,
      [tenant.tenantId, AUDIT_COUNT_LIMIT + 50],
    );
    await owner.exec('analyze audit_log');
  });
});
afterAll(() => env.close());

/** The plan PostgreSQL picks for a filter's count when it may not read the whole table. */
async function planOf(where: ReturnType<typeof sql>): Promise<string> {
  return env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const rows = await queryRows<{ 'QUERY PLAN': string }>(tx, sql`explain select count(*) from audit_log where tenant_id = ${tenant.tenantId} and ${where}`);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

describe('audit log reads', () => {
  it('offers the catalogue of actions as filters, not a DISTINCT over the log', async () => {
    const response = await admin.get('/api/audit-log/actions');
    expect(response.status).toBe(200);
    expect(response.body.actions).toEqual([...AUDIT_ACTIONS].sort());
    // Offered before it ever happened in this tenant.
    expect(response.body.actions).toContain('member_import.failed');
  });

  it('counts at most AUDIT_COUNT_LIMIT entries; pages and filters still work', async () => {
    const all = await admin.get('/api/audit-log?pageSize=20');
    expect([all.status, all.body.total, all.body.data.length]).toEqual([200, AUDIT_COUNT_LIMIT, 20]);
    const one = await admin.get('/api/audit-log?targetType=member&targetId=m7&pageSize=5');
    expect([one.body.total, one.body.data.length]).toEqual([Math.floor((AUDIT_COUNT_LIMIT + 50) / 50), 5]);
    expect(one.body.data.every((e: { targetId: string }) => e.targetId === 'm7')).toBe(true);
    const nobody = await admin.get('/api/audit-log?actor=nobody-here');
    expect([nobody.body.total, nobody.body.data]).toEqual([0, []]);
  });

  it('has indexes for the target filters', async () => {
    expect(await planOf(sql`target_id = 'm7'`)).toMatch(/audit_log_target_idx/);
    expect(await planOf(sql`target_type = 'account'`)).toMatch(/audit_log_target_type_idx/);
  });
});
