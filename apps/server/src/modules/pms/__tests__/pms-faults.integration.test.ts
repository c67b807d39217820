import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeanHttpConnector } from '../pms.connector.ts';
import { drain, falseLinks, rows, startPmsTestEnv, syncNow, type PmsTestEnv } from './pms-harness.ts';

/**
 * What goes wrong between Innkeeper and a 德安 agent: 5xx, timeouts, bodies cut short, short pages, a PMS that stays
 * down, a rejected key, a worker that dies mid-page, rows that make no sense. The end state must always be exactly
 * what the PMS holds, with nothing applied twice and nothing skipped.
 */
let t: PmsTestEnv | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Innkeeper holds exactly the simulator's current rows (by UPD_DAT), profiles and stays. */
async function expectInSync(env: PmsTestEnv) {
  const held = new Map((await rows<{ gcust_cod: string; upd_dat: string }>(env, sql`select gcust_cod, upd_dat from pms_profiles`)).map((r) => [r.gcust_cod, r.upd_dat]));
  expect(held.size).toBe(env.pms.sim.store.guests.rows.size);
  for (const row of env.pms.sim.store.guests.rows.values()) expect(held.get(row.GCUST_COD), row.GCUST_COD).toBe(row.UPD_DAT);
  const stays = new Map((await rows<{ stay_key: string; upd_dat: string }>(env, sql`select stay_key, upd_dat from pms_stays`)).map((r) => [r.stay_key, r.upd_dat]));
  expect(stays.size).toBe(env.pms.sim.store.stays.rows.size);
  for (const row of env.pms.sim.store.stays.rows.values()) expect(stays.get(row.STAY_KEY), row.STAY_KEY).toBe(row.UPD_DAT);
}

async function connection(env: PmsTestEnv) {
  return (await env.admin.get(`/api/pms/connections/${env.connectionId}`)).body;
}

describe('faults on the wire', () => {
  it('retries 500, 503, a timeout, a body cut in half and short pages, and ends exactly in sync', async () => {
    t = await startPmsTestEnv();
    const { sim } = t.pms;
    // Each failure is followed by a good answer or a short page: a request gets up to 4 attempts.
    sim.queueFault('error');
    sim.queueFault('partial');
    sim.queueFault('unavailable');
    sim.queueFault('partial');
    sim.queueFault('truncated');
    sim.queueFault('partial');
    sim.queueFault('timeout');
    const run = await syncNow(t);
    expect(run).toMatchObject({ status: 'succeeded', errors: [], rejected: 0, pulledProfiles: sim.data.profiles.length, pulledStays: sim.data.stays.length });
    expect(sim.faultCounters()).toMatchObject({ error: 1, unavailable: 1, truncated: 1, timeout: 1, partial: 3 });
    await expectInSync(t);
    expect(await falseLinks(t)).toEqual([]);
  }, 60_000);

  it('a PMS that stays down fails the run (recorded), backs off, alerts after three failures, and the next run catches up', async () => {
    t = await startPmsTestEnv();
    const { sim } = t.pms;
    sim.setFaults({ errorRate: 1 });
    for (let i = 1; i <= 3; i++) {
      const run = await syncNow(t);
      expect(run.status).toBe('failed');
      expect(run.errors.at(-1)).toMatchObject({ code: 'internal' });
      const c = await connection(t);
      expect(c.consecutiveFailures).toBe(i);
      // Backoff: 1, 2, 4 minutes (never longer than the schedule).
      expect(new Date(c.nextRunAt).getTime() - t.env.clock.now().getTime()).toBe(2 ** (i - 1) * 60_000);
      expect(c.alert === null).toBe(i < 3);
    }
    expect((await connection(t)).alert).toMatchObject({ code: 'internal' });
    const [nothing] = await rows<{ n: number }>(t, sql`select count(*)::int as n from pms_profiles`);
    expect(nothing!.n).toBe(0);

    // The PMS is back: the scheduler starts the run when its backoff is over, and the alert clears.
    sim.setFaults({ errorRate: 0 });
    const scheduled = () => t!.env.runtime.pmsSync.scheduleDue();
    expect(await scheduled()).toBe(0);
    t.env.clock.advanceMinutes(5);
    expect(await scheduled()).toBe(1);
    await drain(t);
    const c = await connection(t);
    expect(c).toMatchObject({ consecutiveFailures: 0, alert: null });
    const runs = (await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`)).body.data;
    expect(runs[0]).toMatchObject({ status: 'succeeded', trigger: 'schedule' });
    await expectInSync(t);
    // Next on the schedule: 15 minutes after that run started.
    expect(new Date(c.nextRunAt).getTime()).toBe(new Date(runs[0].startedAt).getTime() + 15 * 60_000);
  }, 60_000);

  it('a rejected key stops the run and alerts at once', async () => {
    t = await startPmsTestEnv();
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { apiKey: 'wrong-key-0000000000000000000000' })).status).toBe(200);
    const run = await syncNow(t);
    expect(run).toMatchObject({ status: 'failed', errors: [expect.objectContaining({ code: 'unauthorized' })] });
    expect((await connection(t)).alert).toMatchObject({ code: 'unauthorized' });
    const health = await t.admin.post(`/api/pms/connections/${t.connectionId}/test`, {});
    expect(health.body).toMatchObject({ ok: false, code: 'unauthorized' });
  }, 60_000);
});

describe('a worker that dies mid-run', () => {
  it('resumes from the last page applied: the page it died in is rolled back and read again, none is skipped or counted twice', async () => {
    let crashes = 0;
    const died: string[] = [];
    t = await startPmsTestEnv({
      sync: {
        onPageApplied: ({ stream, page }) => {
          // Once in each feed, inside the page's transaction after its writes: the process "dies" before commit.
          if ((stream === 'guests' && page === 3 && !died.includes('guests')) || (stream === 'stays' && page === 2 && !died.includes('stays'))) {
            died.push(stream);
            crashes++;
            throw new Error(`worker died in ${stream} page ${page}`);
          }
        },
      },
    });
    const before = t.pms.sim.ctx.requests;
    const started = await t.admin.post(`/api/pms/connections/${t.connectionId}/sync`, {});
    const report = await t.env.runtime.queue.drain();
    expect(report.failed).toEqual([]);
    expect(crashes).toBe(2);
    const runs = (await t.admin.get(`/api/pms/connections/${t.connectionId}/runs`)).body.data;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: started.body.id, status: 'succeeded', pulledProfiles: t.pms.sim.data.profiles.length, pulledStays: t.pms.sim.data.stays.length });
    const cursors = await rows<{ stream: string; walk_pages: number; walk_active: boolean }>(t, sql`select stream, walk_pages, walk_active from pms_sync_cursors order by stream`);
    expect(cursors.every((c) => !c.walk_active)).toBe(true);
    // Every page once, plus the two pages the dead worker had read and the two it had fetched ahead (each page's next
    // is fetched while it is applied): resumed after the checkpoint, not from the start.
    const pages = cursors.reduce((n, c) => n + c.walk_pages, 0);
    expect(t.pms.sim.ctx.requests - before).toBe(pages + 2 + 2);
    await expectInSync(t);
  }, 60_000);
});

describe('rows that make no sense', () => {
  it('are quarantined with their key and reason; the rest of the page applies and the run goes on', async () => {
    t = await startPmsTestEnv({
      sync: {
        // The real HTTP connector, with a few rows spoilt on their way in (as a broken agent would send them).
        connectorFor: (connection, apiKey) => {
          const real = createDeanHttpConnector({ baseUrl: connection.baseUrl, apiKey, sleep: async () => undefined, now: () => Date.now(), allowPrivateNetwork: true });
          let spoilt = false;
          let spoiltStay = false;
          return {
            ...real,
            async pullProfiles(request) {
              const page = await real.pullProfiles(request);
              if (spoilt) return page;
              spoilt = true;
              const rowsOf = page.rows as unknown as Array<Record<string, unknown>>;
              rowsOf[0] = { ...rowsOf[0], UPD_DAT: 'yesterday' };
              rowsOf[1] = { ...rowsOf[1], GCUST_COD: '' };
              rowsOf[2] = { ...rowsOf[2], ALT_NAM: '王\u0000'.repeat(400) };
              return page;
            },
            async pullStays(request) {
              const page = await real.pullStays(request);
              if (!spoiltStay && page.rows[2]) {
                page.rows[0] = { ...page.rows[0]!, CO_DAT: '1999-01-01' };
                // Party sizes no PMS means: a negative count and a fraction, as JSON numbers.
                page.rows[1] = { ...page.rows[1]!, CHILD_QNT: -1 };
                page.rows[2] = { ...page.rows[2]!, ADULT_QNT: 1.5 };
              }
              spoiltStay = true;
              return page;
            },
          };
        },
      },
    });
    const run = await syncNow(t);
    expect(run.status).toBe('succeeded');
    expect(run.rejected).toBe(5);
    expect(run.rejects).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stream: 'guests', reason: 'bad_upd_dat' }),
        expect.objectContaining({ stream: 'guests', reason: 'missing_gcust_cod' }),
        expect.objectContaining({ stream: 'stays', reason: 'dates_reversed' }),
      ]),
    );
    expect(run.rejects.filter((r: { reason: string }) => r.reason === 'bad_party_size')).toHaveLength(2);
    // The over-long name was dropped, not the profile.
    const [row] = await rows<{ n: number }>(t, sql`select count(*)::int as n from pms_profiles`);
    expect(row!.n).toBe(t.pms.sim.data.profiles.length - 2);
  }, 60_000);
});
