import { sql } from 'drizzle-orm';
import type { Tx } from '../../core/db/database.ts';
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
}

/** A guest erased for good leaves no LINE user id behind in campaign outcomes (the counts lose them too). */
export async function deleteRecipientsOf(tx: Tx, tenantId: TenantId, memberId: string): Promise<void> {
  await tx.execute(sql`delete from campaign_recipients where tenant_id = ${tenantId} and member_id = ${memberId}`);
}
