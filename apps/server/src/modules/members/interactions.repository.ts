import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { textArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import { newId, type TenantId } from '../../core/ids.ts';
import { memberInteractions, type InteractionActor, type InteractionType } from './members.tables.ts';

export type InteractionRow = typeof memberInteractions.$inferSelect;
export type NewInteraction = typeof memberInteractions.$inferInsert;
/** An entry without its member (and id): what one statement writes for many members. */
export type InteractionEntry = Pick<NewInteraction, 'type' | 'actorType' | 'actorRef' | 'actorLabel' | 'campaignId' | 'actionId' | 'tagId' | 'details'> & { occurredAt: Date };

export async function insertInteractions(tx: Tx, rows: NewInteraction[]): Promise<void> {
  if (rows.length > 0) await tx.insert(memberInteractions).values(rows);
}

/** The same entry for each of many members, in one statement however many members there are. */
export async function insertInteractionForMembers(
  tx: Tx,
  tenantId: TenantId,
  ids: readonly string[],
  memberIds: readonly string[],
  entry: InteractionEntry,
): Promise<void> {
  // One row per member from two arrays (ids, members): two parameters however many members there are. The ids are
  // newId()'s time-ordered UUIDs, so they land at the end of the primary key's index, not on random pages of it.
  await tx.execute(sql`
    insert into member_interactions (tenant_id, id, member_id, occurred_at, type, actor_type, actor_ref, actor_label, campaign_id, action_id, tag_id, details)
    select ${tenantId}, entry.id, entry.member_id, ${entry.occurredAt.toISOString()}, ${entry.type}, ${entry.actorType}, ${entry.actorRef}, ${entry.actorLabel},
           ${entry.campaignId ?? null}::uuid, ${entry.actionId ?? null}, ${entry.tagId ?? null}::uuid, ${JSON.stringify(entry.details ?? {})}::jsonb
    from unnest(${uuidArray(ids)}, ${uuidArray(memberIds)}) as entry(id, member_id)`);
}

/**
 * Many members' entries by one actor at one moment (an import batch: field names only, never values), in one statement
 * (a JSON record set: one parameter however many rows).
 */
export async function insertInteractionBatch(
  tx: Tx,
  tenantId: TenantId,
  entries: ReadonlyArray<{ memberId: string; type: InteractionType; details: Record<string, unknown> }>,
  actor: { type: InteractionActor; ref: string; label: string },
  at: Date,
): Promise<void> {
  if (entries.length === 0) return;
  const records = entries.map((e) => ({ id: newId(), member_id: e.memberId, type: e.type, details: e.details }));
  await tx.execute(sql`
    insert into member_interactions (tenant_id, id, member_id, occurred_at, type, actor_type, actor_ref, actor_label, details)
    select ${tenantId}, r.id, r.member_id, ${at.toISOString()}::timestamptz, r.type, ${actor.type}, ${actor.ref}, ${actor.label}, r.details
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(id uuid, member_id uuid, type text, details jsonb)`);
}

/** Newest first; `before` (+ `beforeId` for entries sharing a timestamp) continues after the last entry seen. */
export function findInteractions(tx: Tx, tenantId: TenantId, memberId: string, page: { before?: Date | undefined; beforeId?: string | undefined; limit: number }) {
  const cursor = page.before
    ? page.beforeId
      ? sql`(${memberInteractions.occurredAt}, ${memberInteractions.id}) < (${page.before.toISOString()}::timestamptz, ${page.beforeId}::uuid)`
      : lt(memberInteractions.occurredAt, page.before)
    : undefined;
  return tx
    .select()
    .from(memberInteractions)
    .where(and(eq(memberInteractions.tenantId, tenantId), eq(memberInteractions.memberId, memberId), cursor))
    .orderBy(desc(memberInteractions.occurredAt), desc(memberInteractions.id))
    .limit(page.limit);
}

export async function moveInteractions(tx: Tx, tenantId: TenantId, fromMemberId: string, toMemberId: string): Promise<number> {
  const rows = await tx
    .update(memberInteractions)
    .set({ memberId: toMemberId })
    .where(and(eq(memberInteractions.tenantId, tenantId), eq(memberInteractions.memberId, fromMemberId)))
    .returning({ id: memberInteractions.id });
  return rows.length;
}

// Friend events (封鎖紀錄): follows and blocks of live members; `visible` is the caller's member-scope predicate over `m`.

export type FriendEventRow = {
  id: string;
  occurred_at: Date | string;
  type: string;
  details: Record<string, unknown>;
  member_id: string;
  member_no: string;
  line_display_name: string | null;
  line_picture_url: string | null;
  last_name: string;
  first_name: string;
  line_status: string;
};

/** One page of follows/blocks, newest first, with one row more than the page when there are more. */
export function findFriendEvents(tx: Tx, tenantId: TenantId, visible: SQL, filter: { from: Date; to: Date; types: readonly string[]; offset: number; limit: number }) {
  return queryRows<FriendEventRow>(
    tx,
    sql`select i.id, i.occurred_at, i.type, i.details, m.id as member_id, m.member_no, m.line_display_name, m.line_picture_url, m.last_name, m.first_name, m.line_status
        from member_interactions i join members m on m.tenant_id = i.tenant_id and m.id = i.member_id
        where i.tenant_id = ${tenantId} and m.deleted_at is null and ${visible} and i.type = any(${textArray(filter.types)}) and i.occurred_at >= ${filter.from.toISOString()}::timestamptz and i.occurred_at < ${filter.to.toISOString()}::timestamptz
        order by i.occurred_at desc, i.id desc
        offset ${filter.offset} limit ${filter.limit}`,
  );
}

/** Daily counts of new friends, unblocks and blocks in the given time zone. */
export function countFriendEventsByDay(tx: Tx, tenantId: TenantId, visible: SQL, filter: { from: Date; to: Date; timezone: string }) {
  return queryRows<{ day: string; followed: number; unblocked: number; blocked: number }>(
    tx,
    sql`select to_char((i.occurred_at at time zone ${filter.timezone})::date, 'YYYY-MM-DD') as day,
               count(*) filter (where i.type = 'followed' and coalesce((i.details->>'isUnblocked')::boolean, false) = false)::int as followed,
               count(*) filter (where i.type = 'followed' and coalesce((i.details->>'isUnblocked')::boolean, false))::int as unblocked,
               count(*) filter (where i.type = 'blocked')::int as blocked
        from member_interactions i
        where i.tenant_id = ${tenantId} and i.type in ('followed', 'blocked')
          and exists (select 1 from members m where m.tenant_id = i.tenant_id and m.id = i.member_id and m.deleted_at is null and ${visible})
          and i.occurred_at >= ${filter.from.toISOString()}::timestamptz and i.occurred_at < ${filter.to.toISOString()}::timestamptz
        group by 1 order by 1`,
  );
}

/**
 * Taps on some of a campaign's buttons, per button: every tap (repeats included) and distinct members, from the
 * history entries the LINE worker writes for them. One index-only scan per button of the partial index
 * member_interactions_taps_idx (migration 0065), read in member order, so a campaign with 100,000 taps reads that
 * index's pages and no table row, and needs no sort; a button nobody tapped is a row of zeros.
 */
export function buttonTapsQuery(tenantId: TenantId, campaignId: string, actionIds: readonly string[]): SQL {
  return sql`select button.action_id, taps.taps, taps.guests
               from unnest(${textArray(actionIds)}) with ordinality as button(action_id, n)
               cross join lateral (
                 select coalesce(sum(per_guest.taps), 0)::int as taps, count(*)::int as guests
                   from (select i.member_id, count(*) as taps
                           from member_interactions i
                          where i.tenant_id = ${tenantId} and i.campaign_id = ${campaignId}::uuid and i.type = 'clicked'
                            and i.action_id is not null and i.action_id = button.action_id
                          group by i.member_id) as per_guest
               ) as taps
              order by button.n`;
}

export function countButtonTaps(tx: Tx, tenantId: TenantId, campaignId: string, actionIds: readonly string[]) {
  if (actionIds.length === 0) return Promise.resolve([]);
  return queryRows<{ action_id: string; taps: number; guests: number }>(tx, buttonTapsQuery(tenantId, campaignId, actionIds));
}
