import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { segments } from './segments.tables.ts';

export type SegmentRow = typeof segments.$inferSelect;

export type MemberSort = 'recent' | 'joined' | 'member_no' | 'name';

const ORDER: Record<MemberSort, SQL> = {
  recent: sql`m.last_interaction_at desc nulls last, m.id`,
  joined: sql`m.joined_at desc, m.id`,
  member_no: sql`m.member_no`,
  name: sql`m.last_name, m.first_name, m.id`,
};

/** The base of every audience query: the tenant's live members matching `where`. */
export function selectMemberIds(tenantId: TenantId, where: SQL): SQL {
  return sql`select m.id from members m where m.tenant_id = ${tenantId} and m.deleted_at is null and (${where})`;
}

/**
 * A member no LINE push can reach because they never were the account's friend (no LINE user, or never followed):
 * the one definition of 未加入 LINE 好友 for the estimate, the send's skips and the "all LINE friends" audience.
 */
export const NOT_LINE_FRIEND = sql`(m.line_user_id is null or m.line_status = 'never')`;

/**
 * The audience as a marketing push sees it: each member's LINE user and why a push cannot reach them (`skip`: no_line,
 * blocked, no_consent; NULL when it can), and the values of a personalised text's placeholders. The same classes as
 * `countReach`, for a campaign's recipients.
 */
export function selectDeliveryAudience(tenantId: TenantId, where: SQL): SQL {
  return sql`select m.id as member_id, m.line_user_id,
                    case when ${NOT_LINE_FRIEND} then 'no_line'
                         when m.line_status = 'blocked' then 'blocked'
                         when m.line_status <> 'following' or not m.marketing_opt_in then 'no_consent' end as skip,
                    jsonb_build_object('firstName', m.first_name, 'lastName', m.last_name, 'displayName', coalesce(m.line_display_name, ''), 'memberNo', m.member_no) as placeholders
               from members m where m.tenant_id = ${tenantId} and m.deleted_at is null and (${where})`;
}

export type MemberListRow = {
  id: string;
  member_no: string;
  last_name: string;
  first_name: string;
  email: string | null;
  mobile: string | null;
  property_id: string | null;
  marketing_opt_in: boolean;
  line_status: 'following' | 'blocked' | 'never';
  line_display_name: string | null;
  line_picture_url: string | null;
  joined_at: Date | string;
  last_interaction_at: Date | string | null;
  tags: Array<{ id: string; name: string; color: string; kind: string }> | null;
};

/**
 * One page of members, sorted; one row more than asked tells the caller there is a next page.
 *
 * A deferred join: the inner query finds the page's ids alone (for the sorts with an index, an index-only walk over
 * the skipped rows), then only the page's rows are read in full and get their tags. Selecting the columns and the
 * per-row tags subquery in the sorted scan itself would compute them for every skipped row too (20,000 at page 1,000).
 */
export function findMemberPage(tx: Tx, tenantId: TenantId, where: SQL, sort: MemberSort, page: { offset: number; limit: number }, now: Date) {
  return queryRows<MemberListRow>(
    tx,
    sql`select m.id, m.member_no, m.last_name, m.first_name, m.email, m.mobile, m.property_id, m.marketing_opt_in, m.line_status,
               m.line_display_name, m.line_picture_url, m.joined_at, m.last_interaction_at,
               (select json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color, 'kind', t.kind) order by t.kind, t.name)
                  from member_tags mt join tags t on t.tenant_id = mt.tenant_id and t.id = mt.tag_id
                 where mt.tenant_id = m.tenant_id and mt.member_id = m.id and (mt.expires_at is null or mt.expires_at > ${now.toISOString()}::timestamptz)) as tags
        from (select m.id
                from members m
               where m.tenant_id = ${tenantId} and m.deleted_at is null and (${where})
               order by ${ORDER[sort]}
              offset ${page.offset} limit ${page.limit + 1}) as page
        join members m on m.tenant_id = ${tenantId} and m.id = page.id
        order by ${ORDER[sort]}`,
  );
}

/**
 * Up to `limit` ids of the tenant's live members whose search text is LIKE lower(`pattern`), found through the trigram
 * index: member_search_ids (migration 0053) runs as the table's owner, because under the tenant policy PostgreSQL
 * will not use that index for LIKE, and confines itself to the transaction's tenant as the policy does.
 */
export async function findSearchMatches(tx: Tx, pattern: string, limit: number): Promise<string[]> {
  const [row] = await queryRows<{ ids: string[] }>(tx, sql`select member_search_ids(${pattern}, ${limit}) as ids`);
  return row?.ids ?? [];
}

export async function countMembers(tx: Tx, tenantId: TenantId, where: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from members m where m.tenant_id = ${tenantId} and m.deleted_at is null and (${where})`);
  return row?.n ?? 0;
}

/** One pass over the audience, each member counted once under the first thing that stops a marketing push. */
export async function countReach(tx: Tx, tenantId: TenantId, where: SQL): Promise<{ total: number; noLine: number; blocked: number; noConsent: number; reachable: number }> {
  const [row] = await queryRows<{ total: number; no_line: number; blocked: number; no_consent: number; reachable: number }>(
    tx,
    sql`select count(*)::int as total,
               count(*) filter (where ${NOT_LINE_FRIEND})::int as no_line,
               count(*) filter (where m.line_user_id is not null and m.line_status = 'blocked')::int as blocked,
               count(*) filter (where m.line_user_id is not null and m.line_status = 'following' and not m.marketing_opt_in)::int as no_consent,
               count(*) filter (where m.line_user_id is not null and m.line_status = 'following' and m.marketing_opt_in)::int as reachable
          from members m where m.tenant_id = ${tenantId} and m.deleted_at is null and (${where})`,
  );
  return { total: row?.total ?? 0, noLine: row?.no_line ?? 0, blocked: row?.blocked ?? 0, noConsent: row?.no_consent ?? 0, reachable: row?.reachable ?? 0 };
}

export function findSegments(tx: Tx, tenantId: TenantId): Promise<SegmentRow[]> {
  return tx.select().from(segments).where(eq(segments.tenantId, tenantId)).orderBy(asc(segments.name));
}

export async function findSegment(tx: Tx, tenantId: TenantId, id: string): Promise<SegmentRow | undefined> {
  const [row] = await tx.select().from(segments).where(and(eq(segments.tenantId, tenantId), eq(segments.id, id)));
  return row;
}

export async function insertSegment(tx: Tx, row: typeof segments.$inferInsert): Promise<SegmentRow> {
  const [created] = await tx.insert(segments).values(row).returning();
  if (!created) throw new Error('insert returned no segment');
  return created;
}

export async function updateSegment(tx: Tx, tenantId: TenantId, id: string, patch: Partial<typeof segments.$inferInsert>): Promise<SegmentRow | undefined> {
  const [row] = await tx.update(segments).set({ ...patch, updatedAt: new Date() }).where(and(eq(segments.tenantId, tenantId), eq(segments.id, id))).returning();
  return row;
}

export async function deleteSegment(tx: Tx, tenantId: TenantId, id: string): Promise<void> {
  await tx.delete(segments).where(and(eq(segments.tenantId, tenantId), eq(segments.id, id)));
}

/** Saved segments whose definition mentions the tag at any depth. */
export function findSegmentsUsingTag(tx: Tx, tenantId: TenantId, tagId: string) {
  return tx
    .select({ id: segments.id, name: segments.name })
    .from(segments)
    .where(and(eq(segments.tenantId, tenantId), sql`jsonb_path_exists(${segments.definition}, '$.** ? (@.tagId == $tag)', jsonb_build_object('tag', ${tagId}::text))`));
}

/** id → name of the given segments (the audit log names its targets). */
export async function findSegmentNames(tx: Tx, tenantId: TenantId, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.select({ id: segments.id, name: segments.name }).from(segments).where(and(eq(segments.tenantId, tenantId), inArray(segments.id, [...ids])));
  return new Map(rows.map((r) => [r.id, r.name]));
}
