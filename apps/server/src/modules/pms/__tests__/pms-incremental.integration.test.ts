import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { systemContext } from '../../../core/context.ts';
import { findConnection } from '../pms.repository.ts';
import { rows, startPmsTestEnv, syncNow, type PmsTestEnv } from './pms-harness.ts';

/**
 * Incremental matching (pms.match-scope.ts, migration 0038): a sync decides again only the members around what changed
 * since the last match. The proof that this loses nothing: after each incremental sync, every member is decided again
 * on the same state (`full`) and nothing differs — not a link, not an open case, not a stored decision, not the report.
 */
let t: PmsTestEnv | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Snapshot = { links: unknown[]; cases: unknown[]; decisions: unknown[] };

async function snapshot(env: PmsTestEnv): Promise<Snapshot> {
  return {
    links: await rows(env, sql`select gcust_cod, member_id, link_tier, link_source from pms_profiles where member_id is not null order by gcust_cod`),
    cases: await rows(env, sql`select member_id, status, fingerprint, reasons, candidates from pms_review_cases order by member_id, status, fingerprint`),
    decisions: await rows(env, sql`select member_id, input_hash, claim, held, fingerprint, tally from pms_member_matches order by member_id`),
  };
}

/** Decides every member again on the state the last sync left; returns the report, without its time. */
async function matchEveryMember(env: PmsTestEnv) {
  const { runtime } = env.env;
  const { report, decided } = await runtime.db.withTenant(env.tenant.tenantId, async (tx) => {
    const connection = (await findConnection(tx, env.tenant.tenantId, env.connectionId))!;
    return runtime.pmsSync.matchConnection(systemContext(tx, env.tenant.tenantId, 'test'), connection, { full: true });
  });
  return { report: withoutTime(report), decided };
}

function withoutTime(report: Record<string, unknown>) {
  const { at: _at, decided: _decided, stays: _stays, staysOnMembers: _onMembers, fields: _fields, ...rest } = report;
  return rest;
}

async function expectSameAsFull(env: PmsTestEnv, run: { report: Record<string, unknown> }) {
  const incremental = await snapshot(env);
  const full = await matchEveryMember(env);
  expect(await snapshot(env)).toEqual(incremental);
  expect(full.report).toEqual(withoutTime(run.report));
  return full.decided;
}

describe('incremental matching', () => {
  it('decides only the members around changes, and decides them as deciding every member would', async () => {
    t = await startPmsTestEnv({ clockAt: new Date('2026-12-02T02:00:00Z') }); // 10:00 in Taipei
    const first = await syncNow(t);
    expect(first.status).toBe('succeeded');
    const [{ usable }] = (await rows<{ usable: number }>(t, sql`select count(*)::int as usable from pms_member_matches`)) as [{ usable: number }];
    expect(first.report.usableKey).toBe(usable);

    const guests = t.pms.sim.store.guests;
    let second = 0;
    const desk = (gcust: string, change: Record<string, string | null>) => {
      const row = guests.rows.get(gcust)!;
      Object.assign(row, change, { UPD_DAT: `2026-12-02 10:30:${String(second++).padStart(2, '0')}` });
      guests.upsert(row);
    };
    const linked = await rows<{ gcust_cod: string; member_id: string; link_tier: string }>(
      t,
      sql`select gcust_cod, member_id, link_tier from pms_profiles where member_id is not null and not deleted order by gcust_cod`,
    );
    const linkedCodes = new Set(linked.map((l) => l.gcust_cod));
    const unlinked = [...guests.rows.values()].filter((r) => !linkedCodes.has(r.GCUST_COD) && r.CO_DEL_STA !== 'Y' && !r.MCUST_COD && r.ALT_NAM);
    const byMobile = linked.filter((l) => l.link_tier === 'mobile_name');
    expect(byMobile.length).toBeGreaterThan(4);
    expect(unlinked.length).toBeGreaterThan(20);

    // 1. A mobile moves: a guest the PMS never held (a member's number no profile has) now appears on a profile under
    //    the member's name.
    const neverStayed = t.pms.sim.data.members.find((m) => m.mobile && m.lastName && m.firstName && !linked.some((l) => l.member_id === t!.memberIds.get(m.memberId)));
    expect(neverStayed).toBeDefined();
    desk(unlinked[0]!.GCUST_COD, { CONTACT1_RMK: neverStayed!.mobile, MOBILE_NOS: null, ALT_NAM: `${neverStayed!.lastName}${neverStayed!.firstName}` });
    // 2. A new hub: a linked guest's number typed on profiles of six other family names (an agency's line).
    const hubRow = guests.rows.get(byMobile[0]!.gcust_cod)!;
    const hubNumber = [hubRow.CONTACT1_RMK, hubRow.CONTACT2_RMK, hubRow.MOBILE_NOS].find((v) => v && /\d{8}/.test(v))!;
    const surnames = new Set<string>();
    for (const row of unlinked.slice(1)) {
      if (surnames.size === 6) break;
      const surname = row.ALT_NAM!.slice(0, 1);
      if (surnames.has(surname)) continue;
      surnames.add(surname);
      desk(row.GCUST_COD, { CONTACT2_RMK: hubNumber });
    }
    // 3. A linked profile deleted, another merged into a profile of someone else.
    desk(byMobile[1]!.gcust_cod, { CO_DEL_STA: 'Y' });
    desk(byMobile[2]!.gcust_cod, { MCUST_COD: unlinked.at(-1)!.GCUST_COD });
    // 4. A linked guest erased (their profiles are free again).
    expect((await t.admin.delete(`/api/members/${byMobile[3]!.member_id}`)).status).toBe(200);
    expect((await t.admin.post(`/api/members/${byMobile[3]!.member_id}/erase`, {})).status).toBeLessThan(300);
    expect(await rows(t, sql`select 1 from pms_member_matches where member_id = ${byMobile[3]!.member_id}`)).toEqual([]);
    // 5. Staff reject a review.
    const review = (await t.admin.get('/api/pms/reviews')).body.data[0] as { id: string; member: { id: string } };
    expect((await t.admin.post(`/api/pms/reviews/${review.id}/reject`, {})).status).toBe(200);

    const second_ = await syncNow(t);
    expect(second_.status).toBe('succeeded');
    const [decided] = await rows<{ decided: number }>(t, sql`select (report->>'decided')::int as decided from pms_sync_runs where id = ${second_.id}`);
    // Only the members around the changes were decided again (their number depends on the data, never all of them).
    expect(decided!.decided).toBeGreaterThan(0);
    expect(decided!.decided).toBeLessThan(usable / 2);
    expect(second_.report.unmatchedReasons.rejected_by_staff).toBeGreaterThanOrEqual(1);
    // (No ground-truth check here: the fixture's edits make persons the simulator's truth does not know.)
    expect(await expectSameAsFull(t, second_)).toBe(second_.report.usableKey);

    // 6. A rules change (link on an unverified mobile): every member is decided again.
    expect((await t.admin.patch(`/api/pms/connections/${t.connectionId}`, { linkUnverifiedMobile: true })).status).toBe(200);
    const third = await syncNow(t);
    const [all] = await rows<{ decided: number }>(t, sql`select (report->>'decided')::int as decided from pms_sync_runs where id = ${third.id}`);
    expect(all!.decided).toBe(third.report.usableKey);
    await expectSameAsFull(t, third);

    // 7. A quiet sync after that decides nobody.
    const quiet = await syncNow(t);
    const [none] = await rows<{ decided: number }>(t, sql`select (report->>'decided')::int as decided from pms_sync_runs where id = ${quiet.id}`);
    expect(none!.decided).toBe(0);
    await expectSameAsFull(t, quiet);
  }, 240_000);
});
