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
 * outcomes (a queued row's is its batch's, migration 0055). For one guest (filtered by member: their rows through the
 * guest index, a batch probe each); many guests at once read campaignPushesInWeek.
 */
export function campaignPushesSince(tenantId: TenantId, since: Date): SQL {
  return sql`select r.member_id from campaign_recipient_outcomes r
              where r.tenant_id = ${tenantId} and ((r.status = 'accepted' and r.accepted_at > ${since}) or r.status = 'queued')`;
}

/**
 * The same pushes for many guests at once (an audience chunk's cap, the estimate's count), read from the batches
 * instead of from every recipient row: a recipient row stays `queued` for good (0055), so the view above looks up
 * the batch of every row the tenant ever had (a hotel that sends weekly to a million guests: millions of probes for
 * each chunk, growing with its history). Only the week's batches can count (still queued, or accepted since `since`;
 * migration 0056 indexes the accepted ones by time), and each one's recipients are read over its member range through
 * the recipients' primary key, as the send reads them, so the cost follows the week's sends, not the history. `range`
 * (a chunk's members, (after, upto]) narrows both the batches and each range scan. Rows settled on their own (releases
 * before 0055) are read through their own partial index (0056), empty for rows written since.
 */
export function campaignPushesInWeek(tenantId: TenantId, since: Date, range?: { after: string | null; upto: string | null }): SQL {
  const batchRange = sql.join([range?.after ? sql` and b.last_member_id > ${range.after}::uuid` : sql``, range?.upto ? sql` and b.first_member_id <= ${range.upto}::uuid` : sql``], sql``);
  const memberRange = sql.join([range?.after ? sql` and r.member_id > ${range.after}::uuid` : sql``, range?.upto ? sql` and r.member_id <= ${range.upto}::uuid` : sql``], sql``);
  return sql`select r.member_id from (
                select b.tenant_id, b.campaign_id, b.batch_no, b.first_member_id, b.last_member_id from campaign_batches b
                 where b.tenant_id = ${tenantId} and b.status = 'queued'${batchRange}
                union all
                select b.tenant_id, b.campaign_id, b.batch_no, b.first_member_id, b.last_member_id from campaign_batches b
                 where b.tenant_id = ${tenantId} and b.status = 'accepted' and b.settled_at > ${since}${batchRange}) b
              cross join lateral (
                select r.member_id from campaign_recipients r
                 where r.tenant_id = b.tenant_id and r.campaign_id = b.campaign_id
                   -- The batch's range, narrowed to the chunk's: one bound each side (a second member_id bound beside
                   -- the batch's left the scan running on to the campaign's end).
                   and r.member_id >= greatest(b.first_member_id, ${range?.after ?? null}::uuid) and r.member_id <= least(b.last_member_id, ${range?.upto ?? null}::uuid)
                   and r.batch_no = b.batch_no and r.status = 'queued'
                -- Not flattened into a join: without statistics on the recipients (a campaign's rows written seconds
                -- ago) that join read every recipient of the tenant; kept per batch, it reads the batch's range.
                offset 0) r
             union all
             select r.member_id from campaign_recipients r
              where r.tenant_id = ${tenantId} and r.status = 'accepted' and r.accepted_at > ${since}${memberRange}`;
}

/** How many pushes of the sources (each one member_id row per push) the guest has. */
export async function countPushesOf(tx: Tx, memberId: string, sources: readonly SQL[]): Promise<number> {
  const all = sql.join(sources.map((source) => sql`select s.member_id from (${source}) s where s.member_id = ${memberId}`), sql` union all `);
  const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from (${all}) p`);
  return row?.n ?? 0;
}
