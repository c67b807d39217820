import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { textArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { members } from './members.tables.ts';

export type MemberRow = typeof members.$inferSelect;
export type NewMember = typeof members.$inferInsert;

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

/** Which of these members (live or deleted) match `visible`, a member-scope predicate over `m`. */
export async function findVisibleMemberIds(tx: Tx, tenantId: TenantId, ids: readonly string[], visible: SQL): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(tx, sql`select m.id from members m where m.tenant_id = ${tenantId} and m.id = any(${uuidArray(ids)}) and ${visible}`);
  return rows.map((r) => r.id);
}

/** SQL selecting the given live members (column `id`), for bulk statements in other modules. */
export function liveMemberSelection(tenantId: TenantId, ids: readonly string[]): SQL {
  return sql`select id from members where tenant_id = ${tenantId} and deleted_at is null and id = any(${uuidArray(ids)})`;
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

/** Number, names and home property of the given members, deleted ones included (the audit log names them too). */
export function findMemberLabels(tx: Tx, tenantId: TenantId, ids: readonly string[]) {
  return tx
    .select({ id: members.id, memberNo: members.memberNo, lastName: members.lastName, firstName: members.firstName, propertyId: members.propertyId })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), inArray(members.id, [...ids])));
}

/** The live member holding this LINE account, if any. */
export async function findMemberByLineUserId(tx: Tx, tenantId: TenantId, lineUserId: string): Promise<MemberRow | undefined> {
  const [row] = await tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.lineUserId, lineUserId), isNull(members.deletedAt)));
  return row;
}

/** The live members holding these LINE accounts, in one query. */
export function findMembersByLineUserIds(tx: Tx, tenantId: TenantId, lineUserIds: readonly string[]): Promise<MemberRow[]> {
  if (lineUserIds.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), sql`${members.lineUserId} = any(${textArray(lineUserIds)})`, isNull(members.deletedAt)));
}

// Batches (importers; later the PMS sync): a whole batch in a few statements, each with its rows as one parameter.

/** The keys a batch looks members up by. */
export type MemberKeyColumn = 'memberNo' | 'idNumberHash' | 'mobile' | 'email';

/** Live members whose `column` is one of `values`: one indexed query with the values as one array parameter. */
export async function findMembersWhereAny(tx: Tx, tenantId: TenantId, column: MemberKeyColumn, values: readonly string[]): Promise<MemberRow[]> {
  if (values.length === 0) return [];
  return tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), isNull(members.deletedAt), sql`${members[column]} = any(${textArray(values)})`));
}

/** The live members that `selection` (SQL selecting member ids) names, by member number. */
export function findMembersIn(tx: Tx, tenantId: TenantId, selection: SQL): Promise<MemberRow[]> {
  return tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), isNull(members.deletedAt), sql`${members.id} in (${selection})`))
    .orderBy(asc(members.memberNo));
}

/** New members of one batch in one statement; columns a row does not set get the table's defaults. */
export async function insertMemberBatch(tx: Tx, tenantId: TenantId, rows: ReadonlyArray<Partial<NewMember> & { id: string; memberNo: string }>, at: Date): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((m) => ({
    id: m.id,
    member_no: m.memberNo,
    property_id: m.propertyId ?? null,
    last_name: m.lastName ?? null,
    first_name: m.firstName ?? null,
    gender: m.gender ?? null,
    birthday: m.birthday ?? null,
    preferred_language: m.preferredLanguage ?? null,
    email: m.email ?? null,
    mobile: m.mobile ?? null,
    id_type: m.idType ?? null,
    id_number_encrypted: m.idNumberEncrypted ?? null,
    id_number_hash: m.idNumberHash ?? null,
    id_number_masked: m.idNumberMasked ?? null,
    passport_country: m.passportCountry ?? null,
    marketing_opt_in: m.marketingOptIn ?? null,
    opt_in_changed_at: m.optInChangedAt ? m.optInChangedAt.toISOString() : null,
    opt_in_source: m.optInSource ?? null,
    notes: m.notes ?? null,
  }));
  const now = at.toISOString();
  await tx.execute(sql`
    insert into members (tenant_id, id, member_no, property_id, last_name, first_name, gender, birthday, preferred_language, email, mobile,
                         id_type, id_number_encrypted, id_number_hash, id_number_masked, passport_country, marketing_opt_in, opt_in_changed_at,
                         opt_in_source, notes, joined_at, created_at, updated_at)
    select ${tenantId}, r.id, r.member_no, r.property_id, coalesce(r.last_name, ''), coalesce(r.first_name, ''), coalesce(r.gender, 'unknown'),
           r.birthday, coalesce(r.preferred_language, 'zh-TW'), r.email, r.mobile, r.id_type, r.id_number_encrypted, r.id_number_hash,
           r.id_number_masked, r.passport_country, coalesce(r.marketing_opt_in, false), r.opt_in_changed_at, coalesce(r.opt_in_source, ''),
           coalesce(r.notes, ''), ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
      id uuid, member_no text, property_id uuid, last_name text, first_name text, gender text, birthday date, preferred_language text,
      email text, mobile text, id_type text, id_number_encrypted text, id_number_hash text, id_number_masked text, passport_country text,
      marketing_opt_in boolean, opt_in_changed_at timestamptz, opt_in_source text, notes text)`);
}

/**
 * One UPDATE for the whole batch: each member gets only its changed columns (NULL in the record keeps the column). A
 * changed consent is stamped with `at` and `optInSource`.
 */
export async function updateMemberBatch(tx: Tx, tenantId: TenantId, updates: ReadonlyArray<{ id: string; patch: Partial<NewMember> }>, optInSource: string, at: Date): Promise<void> {
  if (updates.length === 0) return;
  const records = updates.map(({ id, patch }) => ({
    id,
    property_id: patch.propertyId ?? null,
    last_name: patch.lastName ?? null,
    first_name: patch.firstName ?? null,
    gender: patch.gender ?? null,
    birthday: patch.birthday ?? null,
    preferred_language: patch.preferredLanguage ?? null,
    email: patch.email ?? null,
    mobile: patch.mobile ?? null,
    notes: patch.notes ?? null,
    set_identity: patch.idNumberHash !== undefined,
    id_type: patch.idType ?? null,
    id_number_encrypted: patch.idNumberEncrypted ?? null,
    id_number_hash: patch.idNumberHash ?? null,
    id_number_masked: patch.idNumberMasked ?? null,
    passport_country: patch.passportCountry ?? null,
    marketing_opt_in: patch.marketingOptIn ?? null,
  }));
  const now = at.toISOString();
  await tx.execute(sql`
    update members m set
      property_id = coalesce(r.property_id, m.property_id),
      last_name = coalesce(r.last_name, m.last_name),
      first_name = coalesce(r.first_name, m.first_name),
      gender = coalesce(r.gender, m.gender),
      birthday = coalesce(r.birthday, m.birthday),
      preferred_language = coalesce(r.preferred_language, m.preferred_language),
      email = coalesce(r.email, m.email),
      mobile = coalesce(r.mobile, m.mobile),
      notes = coalesce(r.notes, m.notes),
      id_type = case when r.set_identity then r.id_type else m.id_type end,
      id_number_encrypted = case when r.set_identity then r.id_number_encrypted else m.id_number_encrypted end,
      id_number_hash = case when r.set_identity then r.id_number_hash else m.id_number_hash end,
      id_number_masked = case when r.set_identity then r.id_number_masked else m.id_number_masked end,
      passport_country = case when r.set_identity then r.passport_country else m.passport_country end,
      marketing_opt_in = coalesce(r.marketing_opt_in, m.marketing_opt_in),
      opt_in_changed_at = case when r.marketing_opt_in is null then m.opt_in_changed_at else ${now}::timestamptz end,
      opt_in_source = case when r.marketing_opt_in is null then m.opt_in_source else ${optInSource} end,
      updated_at = ${now}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
      id uuid, property_id uuid, last_name text, first_name text, gender text, birthday date, preferred_language text,
      email text, mobile text, notes text, set_identity boolean, id_type text, id_number_encrypted text, id_number_hash text,
      id_number_masked text, passport_country text, marketing_opt_in boolean)
    where m.tenant_id = ${tenantId} and m.id = r.id`);
}

/** What guest matching compares (the PMS sync): live members with an ID or a mobile, in id order, a page at a time. */
export type MatchKeyRow = {
  id: string;
  id_type: 'national_id' | 'resident_certificate' | 'passport' | null;
  id_number_hash: string | null;
  id_number_masked: string | null;
  passport_country: string | null;
  mobile: string | null;
  mobile_verified: boolean;
  last_name: string;
  first_name: string;
  birthday: string | null;
};

export function findMatchKeys(tx: Tx, tenantId: TenantId, afterId: string | null, limit: number): Promise<MatchKeyRow[]> {
  // A mobile counts as verified when the guest bound LINE with it (the binding proves it by SMS) and the LINE link
  // still holds; a number staff typed is not.
  return queryRows<MatchKeyRow>(
    tx,
    sql`select m.id, m.id_type, m.id_number_hash, m.id_number_masked, m.passport_country, m.mobile, m.last_name, m.first_name, m.birthday::text as birthday,
               (m.mobile is not null and m.line_user_id is not null and exists (
                  select 1 from member_interactions i where i.tenant_id = m.tenant_id and i.member_id = m.id and i.type = 'bound')) as mobile_verified
        from members m
        where m.tenant_id = ${tenantId} and m.deleted_at is null and (m.id_number_hash is not null or m.mobile is not null)
          and (${afterId}::uuid is null or m.id > ${afterId}::uuid)
        order by m.id
        limit ${limit}`,
  );
}

/** Of these ids, the live members (not deleted, not merged). */
export async function findLiveMemberIds(tx: Tx, tenantId: TenantId, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(tx, sql`select id from members where tenant_id = ${tenantId} and deleted_at is null and id = any(${uuidArray(ids)})`);
  return new Set(rows.map((r) => r.id));
}

export async function countLiveMembers(tx: Tx, tenantId: TenantId): Promise<number> {
  const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from members where tenant_id = ${tenantId} and deleted_at is null`);
  return row?.n ?? 0;
}
