import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, startPmsTestEnv, syncNow, type PmsTestEnv } from './pms-harness.ts';

/**
 * A far-future UPD_DAT (2099-12-31, a PMS clock set wrong) must not lock a profile nor move the cursor past the
 * changes still to come: such a row is set aside (`upd_dat_in_future`), the walk's watermark stops at now, and a
 * version or a cursor stored before this rule no longer outranks what comes next. The PMS clock here agrees with
 * Innkeeper's (the default window: one day ahead at most).
 */
let t: PmsTestEnv;
const at = (iso: string) => (t.env.clock.current = new Date(iso));

beforeAll(async () => {
  // 10:00 in Taipei on 2026-12-02, after the simulator's data (2026-12-01 09:00); the window is the default.
  t = await startPmsTestEnv({ clockAt: new Date('2026-12-02T02:00:00Z'), sync: { pmsClockAheadSeconds: 0 } });
  expect((await syncNow(t)).status).toBe('succeeded');
}, 120_000);
afterAll(() => t.close());

const profileRow = (gcust: string) => t.pms.sim.store.guests.rows.get(gcust)!;
function edit(gcust: string, changes: Record<string, string>) {
  const row = { ...profileRow(gcust), ...changes };
  t.pms.sim.store.guests.upsert(row as never);
}
const stored = async (gcust: string) =>
  (await rows<{ upd_dat: string; name: string }>(t, sql`select upd_dat, profile->>'registeredName' as name from pms_profiles where gcust_cod = ${gcust}`))[0];
const since = async () => (await rows<{ since: string }>(t, sql`select since from pms_sync_cursors where stream = 'guests'`))[0]!.since;

describe('UPD_DAT beyond a day ahead of now', () => {
  it('is set aside with its reason; the cursor stays at now and a later real change is taken', async () => {
    const [first, second] = [...t.pms.sim.store.guests.rows.keys()];
    edit(first!, { ALT_NAM: '未來時', UPD_DAT: '2099-12-31 23:59:59' });
    // A day ahead is clock skew, still taken.
    edit(second!, { ALT_NAM: '時鐘快', UPD_DAT: '2026-12-03 09:00:00' });
    at('2026-12-02T02:10:00Z');
    const run = await syncNow(t);
    expect(run.status).toBe('succeeded');
    expect(run.rejects).toEqual(expect.arrayContaining([{ stream: 'guests', key: first, reason: 'upd_dat_in_future' }]));
    expect((await stored(first!))!.name).not.toBe('未來時');
    expect((await stored(second!))!.name).toBe('時鐘快');
    // The watermark (2099, then 12-03 09:00) stops at now (10:10) less the overlap.
    expect(await since()).toBe('2026-12-02 10:08:00');

    // The front desk corrects the time: the row is taken.
    at('2026-12-02T02:20:00Z');
    edit(first!, { ALT_NAM: '改正後', UPD_DAT: '2026-12-02 10:15:00' });
    expect((await syncNow(t)).rejected).toBe(0);
    expect(await stored(first!)).toEqual({ upd_dat: '2026-12-02 10:15:00', name: '改正後' });
  }, 60_000);

  it('a version stored with a far-future time (before the rule) is replaced by the next real one', async () => {
    const gcust = [...t.pms.sim.store.guests.rows.keys()][5]!;
    await rows(t, sql`update pms_profiles set upd_dat = '2099-12-31 23:59:59' where gcust_cod = ${gcust}`);
    at('2026-12-02T02:30:00Z');
    edit(gcust, { ALT_NAM: '解鎖', UPD_DAT: '2026-12-02 10:25:00' });
    const run = await syncNow(t);
    expect(run.updated).toBeGreaterThanOrEqual(1);
    expect(await stored(gcust)).toEqual({ upd_dat: '2026-12-02 10:25:00', name: '解鎖' });
  }, 60_000);

  it('a cursor stored past now walks again from the start (rows read again change nothing) and is back at now', async () => {
    await rows(t, sql`update pms_sync_cursors set since = '2099-12-31 23:57:59' where stream = 'guests'`);
    const gcust = [...t.pms.sim.store.guests.rows.keys()][7]!;
    at('2026-12-02T02:40:00Z');
    edit(gcust, { ALT_NAM: '游標後', UPD_DAT: '2026-12-02 10:35:00' });
    const run = await syncNow(t);
    expect(run.pulledProfiles).toBe(t.pms.sim.store.guests.rows.size);
    expect(run.updated).toBe(1);
    expect((await stored(gcust))!.name).toBe('游標後');
    // Back at now less the overlap (the connector's paced requests move the test clock on by a few seconds).
    const back = await since();
    expect(back >= '2026-12-02 10:33:00' && back < '2026-12-02 10:45:00', back).toBe(true);
  }, 60_000);
});
