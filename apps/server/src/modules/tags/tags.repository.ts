import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { textArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import { nameKeyOf, nameKeySql } from '../../core/db/name-key.ts';
import type { TenantId } from '../../core/ids.ts';
import { memberTags, tags, type TagKind, type TagSource } from './tags.tables.ts';

export type TagRow = typeof tags.$inferSelect;

/** Assignments that count: not expired. */
export function activeAssignment(now: Date): SQL {
  return sql`(${memberTags.expiresAt} is null or ${memberTags.expiresAt} > ${now.toISOString()}::timestamptz)`;
}

/**
 * The tags with how many live members carry each (expired assignments not counted). The counts come from one grouped
 * query over the listed tags' assignments, instead of a correlated count re-run for every tag. `visible`: the caller's
 * member scope over `members m`, so a count never includes members the caller cannot see.
 */
export async function findTagsWithCounts(tx: Tx, tenantId: TenantId, filter: { kind?: TagKind | undefined; search?: string | undefined }, now: Date, visible: SQL) {
  const rows = await tx
    .select()
    .from(tags)
    .where(
      and(
        eq(tags.tenantId, tenantId),
        filter.kind ? eq(tags.kind, filter.kind) : undefined,
        // In any case and width, as names are compared (「vip」 finds 「Ｖｉｐ」).
        filter.search ? sql`(strpos(${nameKeySql(tags.name)}, ${nameKeyOf(filter.search)}) > 0 or strpos(${nameKeySql(tags.category)}, ${nameKeyOf(filter.search)}) > 0)` : undefined,
      ),
    )
    .orderBy(asc(tags.kind), asc(tags.category), asc(tags.name));
  if (rows.length === 0) return [];
  const counts = await queryRows<{ tag_id: string; members: number }>(
    tx,
    sql`select mt.tag_id, count(*)::int as members
        from member_tags mt
        join members m on m.tenant_id = mt.tenant_id and m.id = mt.member_id and m.deleted_at is null and ${visible}
        where mt.tenant_id = ${tenantId} and mt.tag_id = any(${uuidArray(rows.map((tag) => tag.id))})
          and (mt.expires_at is null or mt.expires_at > ${now.toISOString()}::timestamptz)
        group by mt.tag_id`,
  );
  const byTag = new Map(counts.map((c) => [c.tag_id, c.members]));
  return rows.map((tag) => ({ tag, memberCount: byTag.get(tag.id) ?? 0 }));
}

export async function findTag(tx: Tx, tenantId: TenantId, id: string): Promise<TagRow | undefined> {
  const [row] = await tx.select().from(tags).where(and(eq(tags.tenantId, tenantId), eq(tags.id, id)));
  return row;
}

/**
 * Locks tags for the rest of the transaction: `share` by whoever starts using them (a campaign approved, a rule
 * switched on), `update` by their deletion, so the two take turns and the later one sees the earlier's outcome (the
 * deletion then finds the use and refuses; the use then finds no tag). Returns the ids that still exist.
 */
export async function lockTags(tx: Tx, tenantId: TenantId, ids: readonly string[], mode: 'share' | 'update'): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`select id from tags where tenant_id = ${tenantId} and id = any(${uuidArray(ids)}) order by id ${mode === 'share' ? sql`for share` : sql`for update`}`,
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * The hotel's tag of this name in any case and width (the unique index on the folded name, migration 0064): the
 * database's own folding (nameKeySql), so the answer agrees with what the index refuses. `name` is cleaned by the
 * caller (cleanName).
 */
export async function findTagByName(tx: Tx, tenantId: TenantId, name: string): Promise<TagRow | undefined> {
  const [row] = await tx.select().from(tags).where(and(eq(tags.tenantId, tenantId), sql`${nameKeySql(tags.name)} = ${nameKeyOf(name)}`)).limit(1);
  return row;
}

/**
 * The hotel's tags of these names in any case and width, as findTagByName finds each (the database's folding, which is
 * what the unique index compares: JavaScript's differs on a final sigma, on 「İ」, and on characters its Unicode
 * version knows and the database's does not). Keyed by the name asked for; `names` are cleaned by the caller. One query
 * for a whole file's tag column.
 */
export async function findTagIdsByNames(tx: Tx, tenantId: TenantId, names: readonly string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await queryRows<{ name: string; id: string }>(
    tx,
    sql`select asked.name, t.id from unnest(${textArray(names)}) as asked(name) join tags t on t.tenant_id = ${tenantId} and ${nameKeySql(sql`t.name`)} = ${nameKeySql(sql`asked.name`)}`,
  );
  return new Map(rows.map((r) => [r.name, r.id]));
}

export async function insertTag(tx: Tx, row: typeof tags.$inferInsert): Promise<TagRow> {
  const [created] = await tx.insert(tags).values(row).returning();
  if (!created) throw new Error('insert returned no tag');
  return created;
}

export async function updateTag(tx: Tx, tenantId: TenantId, id: string, patch: Partial<typeof tags.$inferInsert>): Promise<TagRow | undefined> {
  const [row] = await tx.update(tags).set({ ...patch, updatedAt: new Date() }).where(and(eq(tags.tenantId, tenantId), eq(tags.id, id))).returning();
  return row;
}

export async function deleteTag(tx: Tx, tenantId: TenantId, id: string): Promise<void> {
  await tx.delete(tags).where(and(eq(tags.tenantId, tenantId), eq(tags.id, id)));
}

/**
 * Where a tag on a member came from: the source, what it refers to (`sourceRef`: a campaign's or rule's id first, then
 * `:<button id>` when a button gave it), its name (`sourceLabel`) and, for a button, the button's label (`sourceDetail`).
 */
export type Provenance = { source: TagSource; sourceRef: string; sourceLabel: string; sourceDetail?: string | undefined };

/**
 * How much later a re-add must make an assignment's expiry to write it. A campaign's guests tap its button again and
 * again within minutes, and each tap re-gives the tag: moving the expiry by those minutes rewrote the assignment row
 * every time (a new row version and entries in its three indexes, since expires_at is in two of them: the drain's
 * largest write per tap after the inbox's own, bench/README.md "LINE webhook intake"). So a re-add within the hour
 * keeps the expiry the earlier one gave: a tag lasts at least its validity from the first of those taps, and at most
 * an hour less than from the last.
 */
const EXPIRY_STEP = '1 hour';

/**
 * Adds the tag to every member the `members` subquery selects (it must yield a column `id`), in one statement.
 * Returns the members that did not carry it before (a re-add only extends an expiry, by at least EXPIRY_STEP), for
 * their history entries. Members whose assignment already lasts that long are left out before the insert, so their
 * rows are neither locked nor written (a concurrent first add still meets the conflict clause, as before).
 */
export async function assignTag(tx: Tx, input: { tenantId: TenantId; tagId: string; members: SQL; provenance: Provenance; now: Date; expiresAt: Date | null }): Promise<string[]> {
  const { tenantId, tagId, provenance, now, expiresAt } = input;
  const rows = await queryRows<{ member_id: string }>(
    tx,
    sql`with written as (
          insert into member_tags (tenant_id, tag_id, member_id, added_at, source, source_ref, source_label, source_detail, expires_at)
          select ${tenantId}, ${tagId}, selected.id, ${now.toISOString()}, ${provenance.source}, ${provenance.sourceRef}, ${provenance.sourceLabel}, ${provenance.sourceDetail ?? ''}, ${expiresAt?.toISOString() ?? null}::timestamptz
          from (${input.members}) as selected
          where not exists (
            select 1 from member_tags held
            where held.tenant_id = ${tenantId} and held.tag_id = ${tagId} and held.member_id = selected.id
              and (held.expires_at is null or (${expiresAt?.toISOString() ?? null}::timestamptz is not null and held.expires_at > ${expiresAt?.toISOString() ?? null}::timestamptz - ${EXPIRY_STEP}::interval))
          )
          on conflict (tenant_id, tag_id, member_id) do update set expires_at = excluded.expires_at
            where member_tags.expires_at is not null and (excluded.expires_at is null or excluded.expires_at > member_tags.expires_at)
          returning member_id, (xmax = 0) as inserted
        )
        select member_id from written where inserted`,
  );
  return rows.map((r) => r.member_id);
}

/** Removes the tag from the selected members; returns those that carried it. */
/** SQL selecting every member holding the tag (column `id`), for unassignTag. */
export function tagHolders(tenantId: TenantId, tagId: string): SQL {
  return sql`select member_id as id from member_tags where tenant_id = ${tenantId} and tag_id = ${tagId}`;
}

export async function unassignTag(tx: Tx, input: { tenantId: TenantId; tagId: string; members: SQL }): Promise<string[]> {
  const rows = await queryRows<{ member_id: string }>(
    tx,
    sql`delete from member_tags mt using (${input.members}) as selected
        where mt.tenant_id = ${input.tenantId} and mt.tag_id = ${input.tagId} and mt.member_id = selected.id
        returning mt.member_id`,
  );
  return rows.map((r) => r.member_id);
}

export function findMemberTags(tx: Tx, tenantId: TenantId, memberId: string, now: Date) {
  return tx
    .select({ tag: tags, addedAt: memberTags.addedAt, source: memberTags.source, sourceRef: memberTags.sourceRef, sourceLabel: memberTags.sourceLabel, sourceDetail: memberTags.sourceDetail, expiresAt: memberTags.expiresAt })
    .from(memberTags)
    .innerJoin(tags, and(eq(tags.tenantId, memberTags.tenantId), eq(tags.id, memberTags.tagId)))
    .where(and(eq(memberTags.tenantId, tenantId), eq(memberTags.memberId, memberId), activeAssignment(now)))
    .orderBy(asc(tags.kind), asc(tags.name));
}

export async function countTagMembers(tx: Tx, tenantId: TenantId, tagId: string, now: Date, visible: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from member_tags mt join members m on m.tenant_id = mt.tenant_id and m.id = mt.member_id and m.deleted_at is null and ${visible}
        where mt.tenant_id = ${tenantId} and mt.tag_id = ${tagId} and (mt.expires_at is null or mt.expires_at > ${now.toISOString()}::timestamptz)`,
  );
  return row?.n ?? 0;
}

/** Moves a merged-away member's tags onto the member that stays, keeping the earlier provenance where both had the tag. */
export async function moveMemberTags(tx: Tx, tenantId: TenantId, fromMemberId: string, toMemberId: string): Promise<void> {
  await tx.execute(sql`
    insert into member_tags (tenant_id, tag_id, member_id, added_at, source, source_ref, source_label, source_detail, expires_at)
    select tenant_id, tag_id, ${toMemberId}, added_at, source, source_ref, source_label, source_detail, expires_at
    from member_tags where tenant_id = ${tenantId} and member_id = ${fromMemberId}
    on conflict (tenant_id, tag_id, member_id) do nothing`);
  await tx.execute(sql`delete from member_tags where tenant_id = ${tenantId} and member_id = ${fromMemberId}`);
}

/** Tenants' expired assignments, oldest first, for the clean-up job. */
export function findExpiredAssignments(tx: Tx, tenantId: TenantId, now: Date, limit: number) {
  return queryRows<{ tag_id: string; member_id: string }>(
    tx,
    sql`select tag_id, member_id from member_tags where tenant_id = ${tenantId} and expires_at <= ${now.toISOString()}::timestamptz order by expires_at limit ${limit}`,
  );
}

/** id → name of the given tags (the audit log names its targets). */
export async function findTagNames(tx: Tx, tenantId: TenantId, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.select({ id: tags.id, name: tags.name }).from(tags).where(and(eq(tags.tenantId, tenantId), inArray(tags.id, [...ids])));
  return new Map(rows.map((r) => [r.id, r.name]));
}
