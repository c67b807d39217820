import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';

/**
 * The weekly cap is the database's (issue 11 review): every decision that a guest may get one more marketing push is
 * taken under a lock and recorded in the same transaction as a push that counts (a campaign's queued recipient, an
 * automated send stored before its first attempt), so two sends to one guest at once cannot both pass a cap that
 * only one fits. A campaign writing its recipients takes the tenant's cap lock exclusively (it decides for the whole
 * audience in one statement); a single send takes it shared plus the guest's own lock, so single sends to different
 * guests never wait for each other, two to one guest take turns, and a campaign and a single send take turns.
 * Transaction-scoped advisory locks: released at commit or rollback, nothing to clean up.
 */
const tenantKey = (tenantId: TenantId) => sql`hashtextextended(${`innkeeper.weekly-cap:${tenantId}`}, 0)`;

export async function lockWeeklyCapForCampaign(tx: Tx, tenantId: TenantId): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${tenantKey(tenantId)})`);
}

export async function lockWeeklyCapForGuest(tx: Tx, tenantId: TenantId, memberId: string): Promise<void> {
  // Tenant first, then guest: every holder takes them in this order, so no two wait for each other in a cycle.
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${tenantKey(tenantId)})`);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`innkeeper.weekly-cap:${tenantId}:${memberId}`}, 0))`);
}

/**
 * One member_id row per campaign push that counts toward the cap since `since`: accepted by LINE then, or queued now
 * (in flight: its batch may be accepted any moment; a failed or cancelled one stops counting). By the recipients'
 * outcomes (a queued row's is its batch's, migration 0055).
 */
export function campaignPushesSince(tenantId: TenantId, since: Date): SQL {
  return sql`select r.member_id from campaign_recipient_outcomes r
              where r.tenant_id = ${tenantId} and ((r.status = 'accepted' and r.accepted_at > ${since}) or r.status = 'queued')`;
}

/** How many pushes of the sources (each one member_id row per push) the guest has. */
export async function countPushesOf(tx: Tx, memberId: string, sources: readonly SQL[]): Promise<number> {
  const all = sql.join(sources.map((source) => sql`select s.member_id from (${source}) s where s.member_id = ${memberId}`), sql` union all `);
  const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from (${all}) p`);
  return row?.n ?? 0;
}
