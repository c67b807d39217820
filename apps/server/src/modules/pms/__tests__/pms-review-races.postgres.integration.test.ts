import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPmsTestEnv, syncNow, type PmsTestEnv } from './pms-harness.ts';

/**
 * A staff decision in 綁定審核 raced by another link of the same PMS profile (a colleague deciding another case that
 * offers it, or a sync), on PostgreSQL (TEST_DATABASE_URL) where the two transactions really overlap.
 */
let t: PmsTestEnv;

/** Waits for another transaction to reach a lock (not a timed assertion: it only waits for the request to get there). */
async function waitForLockWait(): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const waiting = await t.env.runtime.db.ownerTransaction((owner) => owner.query<{ n: number }>(`select count(*)::int as n from pg_locks where not granted and locktype = 'transactionid'`));
    if (waiting[0]!.n > 0) return;
    if (Date.now() > until) throw new Error('the link request never waited for the held profile');
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Review = { id: string; member: { id: string }; candidates: Array<{ profiles: Array<{ gcustCod: string; linkedMemberId: string | null }> }> };

beforeAll(async () => {
  t = await startPmsTestEnv();
  expect(t.env.engine).toBe('postgres');
  await syncNow(t);
}, 120_000);
afterAll(() => t.close());

describe('a PMS review decided while its profile is being linked elsewhere', () => {
  it('is refused as taken and stays open when the profile went to another member first (not recorded as linked)', async () => {
    const open = (await t.admin.get('/api/pms/reviews?pageSize=100')).body.data as Review[];
    const review = open.find((r) => r.candidates.some((c) => c.profiles.some((p) => p.linkedMemberId === null)))!;
    expect(review).toBeDefined();
    const profile = review.candidates.flatMap((c) => c.profiles).find((p) => p.linkedMemberId === null)!.gcustCod;
    const other = [...t.memberIds.values()].find((id) => id !== review.member.id)!;

    // The other decision holds the profile's row, linked to another member, uncommitted, while staff press 連結.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const otherLink = t.env.runtime.db.ownerTransaction(async (owner) => {
      await owner.query(`update pms_profiles set member_id = $1, link_tier = 'staff', link_source = 'staff' where tenant_id = $2 and gcust_cod = $3`, [other, t.tenant.tenantId, profile]);
      held();
      await released;
    });
    await holding;
    const decided = t.admin.post(`/api/pms/reviews/${review.id}/link`, { profileIds: [profile] });
    await waitForLockWait();
    release();
    await otherLink;

    const answer = await decided;
    expect(answer.status, JSON.stringify(answer.body)).toBe(409);
    expect(answer.body.error.code).toBe('pms.profile_taken');
    const still = (await t.admin.get('/api/pms/reviews?pageSize=100')).body.data as Review[];
    expect(still.map((r) => r.id)).toContain(review.id);
  }, 60_000);
});
