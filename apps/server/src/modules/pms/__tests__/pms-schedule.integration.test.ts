import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs } from '../../../../test/api-client.ts';
import { drain, rows, startPmsTestEnv, type PmsTestEnv } from './pms-harness.ts';

/**
 * The scheduler (decision 0010 "Scheduling"): one job for all hotel groups claims the due connections and starts their
 * runs — each connection on its own schedule — and once a night (03:00 in the group's zone) the run is a full walk,
 * which reads both feeds from the start and so brings in a row the incremental cursor missed.
 * On PGlite, and on PostgreSQL with TEST_DATABASE_URL (the claim raced by several workers: *.postgres.integration).
 */
let t: PmsTestEnv;

type Run = { id: string; trigger: string; status: string; pulledProfiles: number };
const runs = async (): Promise<Run[]> => (await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`)).body.data;
const connection = async () => (await t.admin.get(`/api/pms/connections/${t.connectionId}`)).body;

beforeAll(async () => {
  // 18:00 in Taipei: the night's full walk is nine hours away.
  t = await startPmsTestEnv({ clockAt: new Date('2026-12-05T10:00:00Z') });
}, 120_000);
afterAll(() => t.close());

describe('the PMS scheduler', () => {
  it('starts a due connection once, then again when its schedule comes round; the first load counts as the night’s full walk', async () => {
    expect((await connection()).lastFullAt).not.toBeNull();
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(1);
    // Claimed: a second pass in the same minute starts nothing.
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(0);
    await drain(t);
    const [first] = await runs();
    expect(first).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    expect(first!.pulledProfiles).toBe(t.pms.sim.data.profiles.length);
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(0);
    t.env.clock.advanceMinutes(15);
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(1);
    await drain(t);
    const [second] = await runs();
    // Incremental: only the overlap is read again.
    expect(second).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    expect(second!.pulledProfiles).toBeLessThan(t.pms.sim.data.profiles.length);
  }, 60_000);

  it('leaves a disabled connection alone, and one whose hotel group is suspended', async () => {
    t.env.clock.advanceMinutes(15);
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { enabled: false })).status).toBe(200);
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(0);
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { enabled: true })).status).toBe(200);
    await t.env.runtime.db.withPlatform((tx) => tx.execute(sql`update tenants set status = 'suspended' where id = ${t.tenant.tenantId}`));
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(0);
    await t.env.runtime.db.withPlatform((tx) => tx.execute(sql`update tenants set status = 'active' where id = ${t.tenant.tenantId}`));
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(1);
    await drain(t);
  }, 60_000);

  it('after 03:00 in the hotel group’s zone the next run is a full walk, which brings in a row the cursor missed', async () => {
    // A profile written with an UPD_DAT long before the cursor (a late commit, a PMS clock that was wrong): the
    // incremental walk asks for rows changed since the cursor and never sees it.
    const late = { ...t.pms.sim.data.profiles[5]!, GCUST_COD: 'LATE0001', ALT_NAM: '晚到', UPD_DAT: '2020-01-01 00:00:00' };
    t.pms.sim.store.guests.upsert(late);
    t.env.clock.advanceMinutes(15);
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(1);
    await drain(t);
    expect((await runs())[0]).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    expect(await rows(t, sql`select gcust_cod from pms_profiles where gcust_cod = 'LATE0001'`)).toEqual([]);

    // 03:05 in Taipei (staff sign in again: a session does not last the night).
    t.env.clock.current = new Date('2026-12-05T19:05:00Z');
    t.admin = await signedInAs(t.env, t.tenant.adminEmail, t.tenant.password);
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(1);
    // The full mode forgot the cursors in the run's own transaction: the walk starts from nothing.
    expect(await rows(t, sql`select stream from pms_sync_cursors`)).toEqual([]);
    await drain(t);
    const [full] = await runs();
    expect(full).toMatchObject({ trigger: 'full', status: 'succeeded' });
    expect(full!.pulledProfiles).toBe(t.pms.sim.store.guests.rows.size);
    expect(await rows(t, sql`select gcust_cod from pms_profiles where gcust_cod = 'LATE0001'`)).toEqual([{ gcust_cod: 'LATE0001' }]);
    expect(new Date((await connection()).lastFullAt).toISOString()).toBe('2026-12-05T19:05:00.000Z');
    // The cursor is where the walk ended: the next run is incremental again, and not a second full one that night.
    t.env.clock.advanceMinutes(15);
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(1);
    await drain(t);
    const [after] = await runs();
    expect(after).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    expect(after!.pulledProfiles).toBeLessThan(t.pms.sim.store.guests.rows.size);
  }, 90_000);

  it('a full walk waits for a run under way (sync now) and starts at the next schedule after it', async () => {
    // The next night, 03:01: a manual sync is running.
    t.env.clock.current = new Date('2026-12-06T19:01:00Z');
    t.admin = await signedInAs(t.env, t.tenant.adminEmail, t.tenant.password);
    const manual = await t.admin.post(`/api/pms/connections/${t.connectionId}/sync`, {});
    expect(manual.status).toBe(202);
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(0);
    await drain(t);
    // Its end sets the next run 15 minutes after it started; the night's full walk is still owed.
    t.env.clock.advanceMinutes(15);
    expect(await t.env.runtime.pmsSync.scheduleDue()).toBe(1);
    await drain(t);
    expect((await runs())[0]).toMatchObject({ trigger: 'full', status: 'succeeded' });
  }, 90_000);
});
