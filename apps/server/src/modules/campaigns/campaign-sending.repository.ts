import { sql } from 'drizzle-orm';
import { uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';

/** Each guest's campaign pushes LINE accepted since `since` (the weekly cap's count; the partial index serves it). */
export async function countAcceptedSince(tx: Tx, tenantId: TenantId, memberIds: readonly string[], since: Date): Promise<Map<string, number>> {
  if (memberIds.length === 0) return new Map();
  const rows = await queryRows<{ member_id: string; n: number }>(
    tx,
    sql`select member_id, count(*)::int as n from campaign_recipients
         where tenant_id = ${tenantId} and status = 'accepted' and member_id = any(${uuidArray(memberIds)}) and accepted_at > ${since}
         group by member_id`,
  );
  return new Map(rows.map((r) => [r.member_id, r.n]));
}
