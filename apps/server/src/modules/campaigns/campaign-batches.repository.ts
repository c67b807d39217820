import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import type { JoinedLineUserIds } from '../line/index.ts';
import type { BatchRow } from './campaign-delivery.repository.ts';
import { campaignBatches } from './campaigns.tables.ts';

/**
 * Batches read and settled many at a time (campaign-batch-sending.ts): a worker runs the batch jobs of one fetch
 * together and settles the batches LINE accepted in one statement, instead of a handful of round trips per batch.
 */
export type BatchKey = { campaignId: string; batchNo: number };

/** The keys as a relation (campaign_id, batch_no), one parameter whatever their number. */
const keysOf = (keys: readonly BatchKey[]) =>
  sql`select k.campaign_id, k.batch_no from jsonb_to_recordset(${JSON.stringify(keys.map((k) => ({ campaign_id: k.campaignId, batch_no: k.batchNo })))}::jsonb) as k(campaign_id uuid, batch_no int)`;

export async function findBatches(tx: Tx, tenantId: TenantId, keys: readonly BatchKey[]): Promise<BatchRow[]> {
  if (keys.length === 0) return [];
  return tx
    .select()
    .from(campaignBatches)
    .where(sql`${campaignBatches.tenantId} = ${tenantId} and (${campaignBatches.campaignId}, ${campaignBatches.batchNo}) in (${keysOf(keys)})`);
}

/**
 * A batch's queued recipients as the send needs them: their LINE user ids in member order (a multicast's order is its
 * members'), joined by commas into one text (`lineUserIds`, `count` of them; a LINE user id is `U` and 32 hex digits,
 * never a comma), and the first one's member and own retry key (a push has one recipient). One text per batch, not an
 * array: PostgreSQL's array literal was parsed character by character (postgres-array: in a million-guest campaign
 * a fifth of the worker's CPU and most of its young-generation garbage, whose collections held up the departures), and
 * a batch waiting for its slot held 500 strings; the ids are split only when its request leaves (`JoinedLineUserIds`).
 */
export type BatchRecipients = { lineUserIds: JoinedLineUserIds; firstMemberId: string | null; firstRetryKey: string | null };

/**
 * The queued recipients of these batches, by batch ("campaignId:batchNo"); a batch with none is left out. A batch's
 * recipients are read through the recipients' primary key over its member range (migration 0055), its own batch_no
 * among them. The key's scan already yields them in member order, and the aggregates take them as they come (what
 * PostgreSQL does with a sorted subquery's rows; a multicast's guests are a set to LINE, so nothing depends on it): an
 * aggregate's own `order by` sorts its input again on PostgreSQL 15 (one sort per aggregate; 16 skips it), and three
 * such sorts were three quarters of this read (0.58 → 0.15 ms a batch of 500, 2,000 batches a million-guest campaign,
 * bench/README.md). The first member and its retry key are wanted for a push (one recipient) only, so a multicast's
 * 500 are not gathered into arrays for them.
 */
export async function findRecipientsOfBatches(tx: Tx, tenantId: TenantId, keys: readonly BatchKey[]): Promise<Map<string, BatchRecipients>> {
  if (keys.length === 0) return new Map();
  const rows = await queryRows<{ campaign_id: string; batch_no: number; line_user_ids: string | null; recipients: number; first_member_id: string; first_retry_key: string | null }>(
    tx,
    sql`select b.campaign_id, b.batch_no, r.line_user_ids, r.recipients, r.first_member_id, r.first_retry_key
          from campaign_batches b
          cross join lateral (
            select string_agg(s.line_user_id, ',') as line_user_ids, count(*)::int as recipients,
                   (array_agg(s.member_id::text) filter (where b.mode = 'push'))[1] as first_member_id,
                   (array_agg(s.retry_key::text) filter (where b.mode = 'push'))[1] as first_retry_key
              from (select r.line_user_id, r.member_id, r.retry_key from campaign_recipients r
                     where r.tenant_id = b.tenant_id and r.campaign_id = b.campaign_id and r.member_id between b.first_member_id and b.last_member_id
                       and r.batch_no = b.batch_no and r.status = 'queued'
                     order by r.member_id) s) r
         where b.tenant_id = ${tenantId} and (b.campaign_id, b.batch_no) in (${keysOf(keys)})`,
  );
  return new Map(rows.filter((r) => r.line_user_ids !== null).map((r) => [`${r.campaign_id}:${r.batch_no}`, { lineUserIds: { joined: r.line_user_ids!, count: r.recipients }, firstMemberId: r.first_member_id, firstRetryKey: r.first_retry_key }]));
}

export type AcceptedBatch = BatchKey & { message: string; lineRequestId: string | null };

/**
 * Settles batches LINE accepted in one statement (compare-and-set on each batch's status as settleBatch does: a batch
 * another worker settled first is left alone), and with them their recipients, whose outcome is their batch's
 * (migration 0055): one row written per batch, not five hundred. A batch accepted while its campaign was being
 * cancelled was sent all the same: the record says so. Returns the batches settled here.
 */
export async function settleAcceptedBatches(tx: Tx, tenantId: TenantId, batches: readonly AcceptedBatch[], now: Date): Promise<BatchKey[]> {
  if (batches.length === 0) return [];
  const rows = await queryRows<{ campaign_id: string; batch_no: number }>(
    tx,
    sql`update campaign_batches b set status = 'accepted', message = s.message, line_request_id = s.line_request_id, attempts = b.attempts + 1, settled_at = ${now}
          from jsonb_to_recordset(${JSON.stringify(batches.map((b) => ({ campaign_id: b.campaignId, batch_no: b.batchNo, message: b.message, line_request_id: b.lineRequestId })))}::jsonb)
            as s(campaign_id uuid, batch_no int, message text, line_request_id text)
         where b.tenant_id = ${tenantId} and b.campaign_id = s.campaign_id and b.batch_no = s.batch_no and b.status in ('queued', 'cancelled')
        returning b.campaign_id, b.batch_no`,
  );
  return rows.map((r) => ({ campaignId: r.campaign_id, batchNo: r.batch_no }));
}
