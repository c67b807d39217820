import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../core/context.ts';
import { rows, startPmsTestEnv, type PmsTestEnv } from './pms-harness.ts';

/**
 * Two of everything at once (meaningful on PostgreSQL, TEST_DATABASE_URL; PGlite runs one transaction at a time):
 * two starts make one run, and two workers carrying the same run (a job the queue thought dead, retried while the
 * first still runs) apply every page once.
 */
let t: PmsTestEnv;
beforeAll(async () => {
  t = await startPmsTestEnv();
}, 120_000);
afterAll(() => t.close());

describe('concurrency', () => {
  it('two starts at once (the schedule and 立即同步) make one run', async () => {
    const { runtime } = t.env;
    const start = () => runtime.db.withTenant(t.tenant.tenantId, (tx) => runtime.pmsSync.startRun(systemContext(tx, t.tenant.tenantId, 'test'), t.connectionId, 'schedule', null));
    const [a, b] = await Promise.all([start(), start()]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const running = await rows<{ n: number }>(t, sql`select count(*)::int as n from pms_sync_runs where status = 'running'`);
    expect(running[0]!.n).toBe(1);
  });

  it('two workers on the same run: one carries it, the other stops at the cursor; every row is applied once', async () => {
    const { runtime } = t.env;
    const [run] = await rows<{ id: string }>(t, sql`select id from pms_sync_runs where status = 'running'`);
    await Promise.all([
      runtime.pmsSync.runSync(t.tenant.tenantId, run!.id, { retryCount: 0, lastAttempt: false }),
      runtime.pmsSync.runSync(t.tenant.tenantId, run!.id, { retryCount: 1, lastAttempt: false }),
    ]);
    const [done] = await rows<{ status: string; created: number; pulled_profiles: number; pulled_stays: number }>(t, sql`select status, created, pulled_profiles, pulled_stays from pms_sync_runs where id = ${run!.id}`);
    const data = t.pms.sim.data;
    expect(done).toEqual({ status: 'succeeded', created: data.profiles.length + data.stays.length, pulled_profiles: data.profiles.length, pulled_stays: data.stays.length });
    const [held] = await rows<{ profiles: number; stays: number }>(t, sql`select (select count(*)::int from pms_profiles) as profiles, (select count(*)::int from pms_stays) as stays`);
    expect(held).toEqual({ profiles: data.profiles.length, stays: data.stays.length });
    // Each linked stay is on its member once.
    const dupes = await rows<{ n: number }>(t, sql`select count(*)::int as n from (select external_id from member_stays where source = 'pms' group by property_id, external_id having count(*) > 1) d`);
    expect(dupes[0]!.n).toBe(0);
  });
});
