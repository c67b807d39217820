import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, startTestEnv, type TestEnv } from '../../../../test/harness.ts';
import { queryRows } from '../../../core/db/database.ts';
import { newId, type TenantId } from '../../../core/ids.ts';
import { claimDueConnections } from '../pms.repository.ts';

/**
 * The scheduler's claim on PostgreSQL (TEST_DATABASE_URL), where workers' transactions really overlap: several claims
 * at once take disjoint sets whose union is every due connection, and a connection another worker holds is skipped,
 * not waited for.
 */
let env: TestEnv;
const tenants: TenantId[] = [];
const options = { limit: 3, leaseMs: 5 * 60_000, nightlyHour: 3 };

beforeAll(async () => {
  env = await startTestEnv();
  expect(env.engine).toBe('postgres');
  // One connection per hotel group: twelve groups, all due.
  for (let i = 0; i < 12; i++) {
    const tenant = await createTestTenant(env);
    tenants.push(tenant.tenantId);
    await env.runtime.db.withTenant(tenant.tenantId, (tx) =>
      tx.execute(sql`insert into pms_connections (tenant_id, id, name, kind, base_url, next_run_at, last_full_at, created_at, updated_at)
                     values (${tenant.tenantId}, ${newId()}, '德安 PMS', 'dean_http', 'https://pms.example', now() - interval '1 minute', now(), now(), now())`),
    );
  }
}, 120_000);
afterAll(() => env.close());

const dueAgain = () => env.runtime.db.withPlatform((tx) => tx.execute(sql`update pms_connections set next_run_at = now() - interval '1 minute'`));

describe('claiming due PMS connections', () => {
  it('four workers claiming at once take each due connection exactly once', async () => {
    for (let round = 0; round < 5; round++) {
      await dueAgain();
      const now = new Date();
      const worker = async () => {
        const mine: string[] = [];
        for (;;) {
          const claimed = await env.runtime.db.withPlatform((tx) => claimDueConnections(tx, now, options));
          mine.push(...claimed.map((c) => `${c.tenantId}/${c.id}`));
          if (claimed.length < options.limit) return mine;
        }
      };
      const claims = (await Promise.all([worker(), worker(), worker(), worker()])).flat();
      expect(claims).toHaveLength(tenants.length);
      expect(new Set(claims).size).toBe(tenants.length);
      // Claimed means moved on: nothing is due any more.
      expect(await env.runtime.db.withPlatform((tx) => claimDueConnections(tx, now, options))).toEqual([]);
    }
  }, 60_000);

  it('skips a connection another worker holds instead of waiting for it', async () => {
    await dueAgain();
    const now = new Date();
    let held = '';
    let others: Array<{ id: string }> = [];
    await env.runtime.db.withPlatform(async (tx) => {
      const [row] = await queryRows<{ id: string }>(tx, sql`select id from pms_connections order by id limit 1 for update`);
      held = row!.id;
      // Another worker's claim while this transaction holds the row: it returns (no wait) without it.
      others = await env.runtime.db.withPlatform((other) => claimDueConnections(other, now, { ...options, limit: 100 }));
    });
    expect(others).toHaveLength(tenants.length - 1);
    expect(others.map((c) => c.id)).not.toContain(held);
    // Released: the next claim takes it.
    const later = await env.runtime.db.withPlatform((tx) => claimDueConnections(tx, now, { ...options, limit: 100 }));
    expect(later.map((c) => c.id)).toEqual([held]);
  }, 60_000);

  it('the platform scope may move a connection’s next run and nothing else of it', async () => {
    const refusal = (query: ReturnType<typeof sql>) =>
      env.runtime.db.withPlatform((tx) => tx.execute(query)).then(
        () => 'allowed',
        (error: Error & { cause?: unknown }) => String(error.cause ?? error),
      );
    expect(await refusal(sql`update pms_connections set base_url = 'https://evil.example'`)).toMatch(/permission denied/);
    expect(await refusal(sql`select api_key_encrypted from pms_connections`)).toMatch(/permission denied/);
    expect(await refusal(sql`delete from pms_connections`)).toMatch(/permission denied/);
  });
});
