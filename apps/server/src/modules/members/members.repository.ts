import { and, desc, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { textArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { memberInteractions, members, memberStays } from './members.tables.ts';

export type MemberRow = typeof members.$inferSelect;
export type NewMember = typeof members.$inferInsert;
export type StayRow = typeof memberStays.$inferSelect;
export type InteractionRow = typeof memberInteractions.$inferSelect;
export type NewInteraction = typeof memberInteractions.$inferInsert;

/** Reserves `count` consecutive numbers of a per-tenant counter in one statement; returns the first. */
export async function reserveCounter(tx: Tx, tenantId: TenantId, name: string, count: number): Promise<number> {
  const [row] = await queryRows<{ value: string | number }>(
    tx,
    sql`insert into tenant_counters (tenant_id, name, value) values (${tenantId}, ${name}, ${count})
        on conflict (tenant_id, name) do update set value = tenant_counters.value + ${count}
        returning value`,
  );
  return Number(row!.value) - count + 1;
}

export async function insertMembers(tx: Tx, rows: NewMember[]): Promise<MemberRow[]> {
  if (rows.length === 0) return [];
  return tx.insert(members).values(rows).returning();
}

export async function findMember(tx: Tx, tenantId: TenantId, id: string, options: { includeDeleted?: boolean } = {}): Promise<MemberRow | undefined> {
  const [row] = await tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.id, id), options.includeDeleted ? undefined : isNull(members.deletedAt)));
  return row;
}

export async function findMembersByIds(tx: Tx, tenantId: TenantId, ids: string[]): Promise<MemberRow[]> {
  if (ids.length === 0) return [];
  return tx.select().from(members).where(and(eq(members.tenantId, tenantId), inArray(members.id, ids), isNull(members.deletedAt)));
}

export async function updateMember(tx: Tx, tenantId: TenantId, id: string, patch: Partial<NewMember>): Promise<MemberRow | undefined> {
  const [row] = await tx.update(members).set({ ...patch, updatedAt: new Date() }).where(and(eq(members.tenantId, tenantId), eq(members.id, id))).returning();
  return row;
}

/**
 * Takes the member row's lock for the rest of the transaction, so a restore and an erasure (or two erasures) of the
 * same member run one after the other and each reads the row as the previous one left it.
 */
export async function lockMember(tx: Tx, tenantId: TenantId, id: string): Promise<void> {
  await lockMembers(tx, tenantId, [id]);
}

/** The same for several members, always in id order, so two requests locking overlapping sets cannot deadlock. */
export async function lockMembers(tx: Tx, tenantId: TenantId, ids: readonly string[]): Promise<void> {
  await tx.execute(sql`select 1 from members where tenant_id = ${tenantId} and id = any(${uuidArray(ids)}) order by id for update`);
}

export async function deleteMemberRow(tx: Tx, tenantId: TenantId, id: string): Promise<void> {
  await tx.delete(members).where(and(eq(members.tenantId, tenantId), eq(members.id, id)));
}

/** Live members that share an identity document, mobile or email: the candidates a new record would duplicate. */
export async function findMembersByIdentity(tx: Tx, tenantId: TenantId, keys: { idNumberHash?: string | null; mobile?: string | null; email?: string | null; memberNo?: string | null; lineUserId?: string | null }) {
  const conditions = [
    keys.idNumberHash ? eq(members.idNumberHash, keys.idNumberHash) : undefined,
    keys.mobile ? eq(members.mobile, keys.mobile) : undefined,
    keys.email ? eq(members.email, keys.email) : undefined,
    keys.memberNo ? eq(members.memberNo, keys.memberNo) : undefined,
    keys.lineUserId ? eq(members.lineUserId, keys.lineUserId) : undefined,
  ].filter((c) => c !== undefined);
  if (conditions.length === 0) return [];
  return tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), isNull(members.deletedAt), sql`(${sql.join(conditions, sql` or `)})`));
}

/** Soft-deleted members whose restore window has passed. */
export async function findMembersDeletedBefore(tx: Tx, tenantId: TenantId, before: Date, limit: number) {
  return tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), isNotNull(members.deletedAt), lt(members.deletedAt, before)))
    .limit(limit);
}

export function findDeletedMembers(tx: Tx, tenantId: TenantId, limit: number): Promise<MemberRow[]> {
  return tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), isNotNull(members.deletedAt), isNull(members.mergedIntoId)))
    .orderBy(desc(members.deletedAt))
    .limit(limit);
}

export async function touchLastInteraction(tx: Tx, tenantId: TenantId, memberIds: string[], at: Date): Promise<void> {
  if (memberIds.length === 0) return;
  await tx
    .update(members)
    .set({ lastInteractionAt: sql`greatest(coalesce(${members.lastInteractionAt}, ${at.toISOString()}::timestamptz), ${at.toISOString()}::timestamptz)` })
    .where(and(eq(members.tenantId, tenantId), inArray(members.id, memberIds)));
}

/** Transaction-scoped advisory locks on LINE users, taken in one order (see MemberLineService.lockLineUsers). */
export async function lockLineUsers(tx: Tx, tenantId: TenantId, lineUserIds: readonly string[]): Promise<void> {
  const keys = [...new Set(lineUserIds)].sort().map((id) => `line-user:${tenantId}:${id}`);
  if (keys.length === 0) return;
  await tx.execute(sql`select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from (select k from unnest(${textArray(keys)}) as k order by k) as ordered`);
}

/** Each member's last interaction moves to its own time (never backwards), for many members in one statement. */
export async function touchLastInteractions(tx: Tx, tenantId: TenantId, latest: ReadonlyMap<string, Date>): Promise<void> {
  if (latest.size === 0) return;
  const ids = [...latest.keys()];
  const times = ids.map((id) => latest.get(id)!.toISOString());
  await tx.execute(sql`
    update members m set last_interaction_at = greatest(coalesce(m.last_interaction_at, t.at), t.at)
    from unnest(${uuidArray(ids)}, ${textArray(times)}::timestamptz[]) as t(id, at)
    where m.tenant_id = ${tenantId} and m.id = t.id`);
}

// Stays

export async function insertStay(tx: Tx, row: typeof memberStays.$inferInsert): Promise<StayRow> {
  const [created] = await tx.insert(memberStays).values(row).returning();
  if (!created) throw new Error('insert returned no stay');
  return created;
}

/** Inserts or updates a stay identified by property + external (PMS) id; returns whether it was new or changed. */
export async function upsertStayByExternalId(tx: Tx, row: typeof memberStays.$inferInsert): Promise<'created' | 'updated' | 'unchanged'> {
  const [result] = await queryRows<{ inserted: boolean } | undefined>(
    tx,
    sql`insert into member_stays (tenant_id, id, member_id, property_id, source, external_id, check_in, check_out, room_type, rate_code, channel, amount, currency, status)
        values (${row.tenantId}, ${row.id}, ${row.memberId}, ${row.propertyId}, ${row.source}, ${row.externalId}, ${row.checkIn}, ${row.checkOut},
                ${row.roomType ?? ''}, ${row.rateCode ?? ''}, ${row.channel ?? ''}, ${row.amount ?? null}, ${row.currency ?? 'TWD'}, ${row.status ?? 'stayed'})
        on conflict (tenant_id, property_id, external_id) where external_id is not null do update set
          member_id = excluded.member_id, check_in = excluded.check_in, check_out = excluded.check_out, room_type = excluded.room_type,
          rate_code = excluded.rate_code, channel = excluded.channel, amount = excluded.amount, currency = excluded.currency,
          status = excluded.status, updated_at = now()
        where (member_stays.member_id, member_stays.check_in, member_stays.check_out, member_stays.room_type, member_stays.rate_code,
               member_stays.channel, member_stays.amount, member_stays.currency, member_stays.status)
          is distinct from (excluded.member_id, excluded.check_in, excluded.check_out, excluded.room_type, excluded.rate_code,
               excluded.channel, excluded.amount, excluded.currency, excluded.status)
        returning (xmax = 0) as inserted`,
  );
  if (!result) return 'unchanged';
  return result.inserted ? 'created' : 'updated';
}

export function findStays(tx: Tx, tenantId: TenantId, memberId: string): Promise<StayRow[]> {
  return tx.select().from(memberStays).where(and(eq(memberStays.tenantId, tenantId), eq(memberStays.memberId, memberId))).orderBy(desc(memberStays.checkIn));
}

export async function moveStays(tx: Tx, tenantId: TenantId, fromMemberId: string, toMemberId: string): Promise<number> {
  const rows = await tx.update(memberStays).set({ memberId: toMemberId }).where(and(eq(memberStays.tenantId, tenantId), eq(memberStays.memberId, fromMemberId))).returning({ id: memberStays.id });
  return rows.length;
}

// Interactions

export async function insertInteractions(tx: Tx, rows: NewInteraction[]): Promise<void> {
  if (rows.length > 0) await tx.insert(memberInteractions).values(rows);
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

/** Number, names and home property of the given members, deleted ones included (the audit log names them too). */
export function findMemberLabels(tx: Tx, tenantId: TenantId, ids: readonly string[]) {
  return tx
    .select({ id: members.id, memberNo: members.memberNo, lastName: members.lastName, firstName: members.firstName, propertyId: members.propertyId })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), inArray(members.id, [...ids])));
}
