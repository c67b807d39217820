import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
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

export type BatchRecipient = { campaignId: string; batchNo: number; memberId: string; lineUserId: string | null; retryKey: string | null };

/** The queued recipients of these batches, by batch and member (a multicast's order is its members'). */
export async function findRecipientsOfBatches(tx: Tx, tenantId: TenantId, keys: readonly BatchKey[]): Promise<BatchRecipient[]> {
  if (keys.length === 0) return [];
  const rows = await queryRows<{ campaign_id: string; batch_no: number; member_id: string; line_user_id: string | null; retry_key: string | null }>(
    tx,
    sql`select r.campaign_id, r.batch_no, r.member_id, r.line_user_id, r.retry_key from campaign_recipients r
         where r.tenant_id = ${tenantId} and (r.campaign_id, r.batch_no) in (${keysOf(keys)}) and r.status = 'queued'
         order by r.campaign_id, r.batch_no, r.member_id`,
  );
  return rows.map((r) => ({ campaignId: r.campaign_id, batchNo: r.batch_no, memberId: r.member_id, lineUserId: r.line_user_id, retryKey: r.retry_key }));
}

export type AcceptedBatch = BatchKey & { message: string; lineRequestId: string | null };

/**
 * Settles batches LINE accepted, and their recipients, in one statement (compare-and-set on each batch's status as
 * settleBatch does: a batch another worker settled first is left alone, and so are its recipients). A batch accepted
 * while its campaign was being cancelled was sent all the same: the record says so. Returns the batches settled here.
 */
export async function settleAcceptedBatches(tx: Tx, tenantId: TenantId, batches: readonly AcceptedBatch[], now: Date): Promise<BatchKey[]> {
  if (batches.length === 0) return [];
  const rows = await queryRows<{ campaign_id: string; batch_no: number }>(
    tx,
    sql`with s as (
          select * from jsonb_to_recordset(${JSON.stringify(batches.map((b) => ({ campaign_id: b.campaignId, batch_no: b.batchNo, message: b.message, line_request_id: b.lineRequestId })))}::jsonb)
            as s(campaign_id uuid, batch_no int, message text, line_request_id text)),
        settled as (
          update campaign_batches b set status = 'accepted', message = s.message, line_request_id = s.line_request_id, attempts = b.attempts + 1, settled_at = ${now}
            from s
           where b.tenant_id = ${tenantId} and b.campaign_id = s.campaign_id and b.batch_no = s.batch_no and b.status in ('queued', 'cancelled')
          returning b.campaign_id, b.batch_no),
        recipients as (
          update campaign_recipients r set status = 'accepted', reason = '', accepted_at = ${now}, updated_at = ${now}
            from settled
           where r.tenant_id = ${tenantId} and r.campaign_id = settled.campaign_id and r.batch_no = settled.batch_no
             and (r.status = 'queued' or (r.status = 'skipped' and r.reason = 'cancelled'))
          returning 1)
        select campaign_id, batch_no from settled`,
  );
  return rows.map((r) => ({ campaignId: r.campaign_id, batchNo: r.batch_no }));
}
