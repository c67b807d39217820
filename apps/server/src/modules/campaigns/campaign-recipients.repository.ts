import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';

/**
 * Two records of one guest merged: their campaign outcomes become the kept member's (the weekly cap and the campaign
 * statistics count the guest once). Where both were recipients of the same campaign the kept member's row stays.
 */
export async function moveRecipients(tx: Tx, tenantId: TenantId, mergedId: string, keepId: string): Promise<void> {
  // A batch's recipients are read over its member range (migration 0055): a queued recipient moved to the kept member
  // widens its batch's range to hold them, so the batch still sends to them. Before the move, under the same rule.
  await tx.execute(sql`
    update campaign_batches b set first_member_id = least(b.first_member_id, ${keepId}::uuid), last_member_id = greatest(b.last_member_id, ${keepId}::uuid)
      from campaign_recipients r
     where r.tenant_id = ${tenantId} and r.member_id = ${mergedId} and r.status = 'queued'
       and b.tenant_id = r.tenant_id and b.campaign_id = r.campaign_id and b.batch_no = r.batch_no and b.status = 'queued'
       and not exists (select 1 from campaign_recipients k where k.tenant_id = r.tenant_id and k.campaign_id = r.campaign_id and k.member_id = ${keepId})`);
  await tx.execute(sql`
    update campaign_recipients r set member_id = ${keepId}, updated_at = now()
    where r.tenant_id = ${tenantId} and r.member_id = ${mergedId}
      and not exists (select 1 from campaign_recipients k where k.tenant_id = r.tenant_id and k.campaign_id = r.campaign_id and k.member_id = ${keepId})`);
  await tx.execute(sql`delete from campaign_recipients where tenant_id = ${tenantId} and member_id = ${mergedId}`);
  await tx.execute(sql`
    insert into campaign_test_recipients (tenant_id, campaign_id, member_id, sends, last_sent_at, sent_by)
    select tenant_id, campaign_id, ${keepId}, sends, last_sent_at, sent_by from campaign_test_recipients where tenant_id = ${tenantId} and member_id = ${mergedId}
    on conflict (tenant_id, campaign_id, member_id) do update set sends = campaign_test_recipients.sends + excluded.sends, last_sent_at = greatest(campaign_test_recipients.last_sent_at, excluded.last_sent_at)`);
  await tx.execute(sql`delete from campaign_test_recipients where tenant_id = ${tenantId} and member_id = ${mergedId}`);
}

/** A guest erased for good leaves no LINE user id behind in campaign outcomes (the counts lose them too). */
export async function deleteRecipientsOf(tx: Tx, tenantId: TenantId, memberId: string): Promise<void> {
  await tx.execute(sql`delete from campaign_recipients where tenant_id = ${tenantId} and member_id = ${memberId}`);
  await tx.execute(sql`delete from campaign_test_recipients where tenant_id = ${tenantId} and member_id = ${memberId}`);
}

/** Advisory-lock namespace ('TSND') for an account's test sends, see recordTestRecipients. */
const TEST_SENDER_LOCK = 0x54534e44;

/**
 * Records the guests a test send of the campaign reaches, and counts: the distinct guests the campaign's test sends
 * had reached before and have now, and the distinct guests the account's test sends reached since `windowStart`,
 * before and now. The campaign's row and the account's lock are taken first, so test sends of one campaign or of one
 * account at once take turns and each counts what the others wrote (no two squeezing past a limit together).
 */
export async function recordTestRecipients(
  tx: Tx,
  tenantId: TenantId,
  input: { campaignId: string; memberIds: readonly string[]; sentBy: string; now: Date; windowStart: Date },
): Promise<{ campaign: { before: number; after: number }; account: { before: number; after: number } }> {
  const { campaignId, memberIds, sentBy, now, windowStart } = input;
  await tx.execute(sql`select 1 from campaigns where tenant_id = ${tenantId} and id = ${campaignId} for update`);
  await tx.execute(sql`select pg_advisory_xact_lock(${TEST_SENDER_LOCK}, hashtext(${sentBy}))`);
  const counts = async () => {
    const [row] = await queryRows<{ campaign: number; account: number }>(
      tx,
      sql`select count(*) filter (where campaign_id = ${campaignId})::int as campaign,
                 count(distinct member_id) filter (where sent_by = ${sentBy} and last_sent_at >= ${windowStart})::int as account
          from campaign_test_recipients where tenant_id = ${tenantId} and (campaign_id = ${campaignId} or sent_by = ${sentBy})`,
    );
    return { campaign: row?.campaign ?? 0, account: row?.account ?? 0 };
  };
  const before = await counts();
  if (memberIds.length === 0) return { campaign: { before: before.campaign, after: before.campaign }, account: { before: before.account, after: before.account } };
  await tx.execute(sql`
    insert into campaign_test_recipients (tenant_id, campaign_id, member_id, sends, last_sent_at, sent_by)
    select ${tenantId}, ${campaignId}, m, 1, ${now}, ${sentBy} from unnest(${`{${memberIds.join(',')}}`}::uuid[]) m
    on conflict (tenant_id, campaign_id, member_id) do update set sends = campaign_test_recipients.sends + 1, last_sent_at = excluded.last_sent_at, sent_by = excluded.sent_by`);
  const after = await counts();
  return { campaign: { before: before.campaign, after: after.campaign }, account: { before: before.account, after: after.account } };
}

export type ReceivedCampaignRow = { campaign_id: string; name: string; accepted_at: Date | string };

/**
 * The campaigns LINE accepted for a member, newest first, before the timeline's cursor (time, then id: the campaign's
 * id is the entry's). Read through the recipients' index by guest (tenant, member; migration 0037), each outcome by its
 * batch's when the row is still queued (campaign_recipient_outcomes, 0055).
 */
export function findReceivedCampaigns(tx: Tx, tenantId: TenantId, memberId: string, page: { before?: Date | undefined; beforeId?: string | undefined; limit: number }): Promise<ReceivedCampaignRow[]> {
  const cursor = page.before
    ? page.beforeId
      ? sql`and (r.accepted_at, r.campaign_id) < (${page.before.toISOString()}::timestamptz, ${page.beforeId}::uuid)`
      : sql`and r.accepted_at < ${page.before.toISOString()}::timestamptz`
    : sql``;
  return queryRows<ReceivedCampaignRow>(
    tx,
    sql`select r.campaign_id, c.name, r.accepted_at
          from campaign_recipient_outcomes r join campaigns c on c.tenant_id = r.tenant_id and c.id = r.campaign_id
         where r.tenant_id = ${tenantId} and r.member_id = ${memberId} and r.status = 'accepted' and r.accepted_at is not null ${cursor}
         order by r.accepted_at desc, r.campaign_id desc limit ${page.limit}`,
  );
}

/**
 * Whether the campaign was sent to the member: LINE accepted it for them, or staff chose them for one of its test sends
 * (a test recipient is recorded when chosen, before the push, whatever LINE then answers). A click by anyone else came
 * through a forwarded link. Two primary-key lookups (tenant, campaign, member); the first that finds a row answers.
 */
export async function wasSentTo(tx: Tx, tenantId: TenantId, campaignId: string, memberId: string): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    tx,
    sql`select 1 as one from campaign_recipient_outcomes where tenant_id = ${tenantId} and campaign_id = ${campaignId} and member_id = ${memberId} and status = 'accepted'
        union all
        select 1 from campaign_test_recipients where tenant_id = ${tenantId} and campaign_id = ${campaignId} and member_id = ${memberId}
        limit 1`,
  );
  return rows.length > 0;
}

/** Whether a test send of the campaign went to the member (a draft's only recipients). */
export async function wasTestSentTo(tx: Tx, tenantId: TenantId, campaignId: string, memberId: string): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(tx, sql`select 1 as one from campaign_test_recipients where tenant_id = ${tenantId} and campaign_id = ${campaignId} and member_id = ${memberId} limit 1`);
  return rows.length > 0;
}
