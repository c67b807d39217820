import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';

/**
 * Two records of one guest merged: their campaign outcomes become the kept member's (the weekly cap and the campaign
 * statistics count the guest once). Where both were recipients of the same campaign the kept member's row stays.
 */
export async function moveRecipients(tx: Tx, tenantId: TenantId, mergedId: string, keepId: string): Promise<void> {
  await tx.execute(sql`
    update campaign_recipients r set member_id = ${keepId}, updated_at = now()
    where r.tenant_id = ${tenantId} and r.member_id = ${mergedId}
      and not exists (select 1 from campaign_recipients k where k.tenant_id = r.tenant_id and k.campaign_id = r.campaign_id and k.member_id = ${keepId})`);
  await tx.execute(sql`delete from campaign_recipients where tenant_id = ${tenantId} and member_id = ${mergedId}`);
  await tx.execute(sql`
    insert into campaign_test_recipients (tenant_id, campaign_id, member_id, sends, last_sent_at)
    select tenant_id, campaign_id, ${keepId}, sends, last_sent_at from campaign_test_recipients where tenant_id = ${tenantId} and member_id = ${mergedId}
    on conflict (tenant_id, campaign_id, member_id) do update set sends = campaign_test_recipients.sends + excluded.sends, last_sent_at = greatest(campaign_test_recipients.last_sent_at, excluded.last_sent_at)`);
  await tx.execute(sql`delete from campaign_test_recipients where tenant_id = ${tenantId} and member_id = ${mergedId}`);
}

/** A guest erased for good leaves no LINE user id behind in campaign outcomes (the counts lose them too). */
export async function deleteRecipientsOf(tx: Tx, tenantId: TenantId, memberId: string): Promise<void> {
  await tx.execute(sql`delete from campaign_recipients where tenant_id = ${tenantId} and member_id = ${memberId}`);
  await tx.execute(sql`delete from campaign_test_recipients where tenant_id = ${tenantId} and member_id = ${memberId}`);
}

/**
 * Records the guests a test send of the campaign reaches: how many distinct guests its test sends had reached before,
 * and have now. The campaign's row is locked first, so test sends of one campaign at once take turns and each counts
 * what the others wrote (no two squeezing past the limit together).
 */
export async function recordTestRecipients(tx: Tx, tenantId: TenantId, campaignId: string, memberIds: readonly string[], now: Date): Promise<{ before: number; after: number }> {
  await tx.execute(sql`select 1 from campaigns where tenant_id = ${tenantId} and id = ${campaignId} for update`);
  const count = async () => (await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from campaign_test_recipients where tenant_id = ${tenantId} and campaign_id = ${campaignId}`))[0]?.n ?? 0;
  const before = await count();
  if (memberIds.length === 0) return { before, after: before };
  await tx.execute(sql`
    insert into campaign_test_recipients (tenant_id, campaign_id, member_id, sends, last_sent_at)
    select ${tenantId}, ${campaignId}, m, 1, ${now} from unnest(${`{${memberIds.join(',')}}`}::uuid[]) m
    on conflict (tenant_id, campaign_id, member_id) do update set sends = campaign_test_recipients.sends + 1, last_sent_at = excluded.last_sent_at`);
  return { before, after: await count() };
}
