import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { textArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Database, type Tx } from '../../core/db/database.ts';
import { refreshStatistics } from '../../core/db/maintenance.ts';
import { markProfilesDirty } from './pms.match-state.repository.ts';
import type { TenantId } from '../../core/ids.ts';
import {
  pmsConnections,
  pmsOutbox,
  pmsReviewCases,
  pmsSyncCursors,
  pmsSyncRuns,
  type PmsStayStatus,
  type PmsStream,
  type ReviewCandidate,
  type ReviewCaseStatus,
  pmsFieldConflicts,
} from './pms.tables.ts';

export type ConnectionRow = typeof pmsConnections.$inferSelect;
export type RunRow = typeof pmsSyncRuns.$inferSelect;
export type CursorRow = typeof pmsSyncCursors.$inferSelect;
export type ReviewCaseRow = typeof pmsReviewCases.$inferSelect;

// ---- connections ----

export async function insertConnection(tx: Tx, row: typeof pmsConnections.$inferInsert): Promise<ConnectionRow> {
  const [created] = await tx.insert(pmsConnections).values(row).returning();
  if (!created) throw new Error('insert returned no connection');
  return created;
}

export function findConnections(tx: Tx, tenantId: TenantId): Promise<ConnectionRow[]> {
  return tx.select().from(pmsConnections).where(eq(pmsConnections.tenantId, tenantId)).orderBy(pmsConnections.createdAt);
}

export async function findConnection(tx: Tx, tenantId: TenantId, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await tx.select().from(pmsConnections).where(and(eq(pmsConnections.tenantId, tenantId), eq(pmsConnections.id, id)));
  return row;
}

/**
 * The connection, its row held (key share) until the transaction ends, before anything is written for it (a run, a
 * file, a mapping): a delete under way is waited for (then: none, not a foreign-key error), and a delete after it
 * waits for the request and, a run started, refuses. Edits of the connection (no key update) are not held up.
 */
export async function holdConnection(tx: Tx, tenantId: TenantId, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await tx.select().from(pmsConnections).where(and(eq(pmsConnections.tenantId, tenantId), eq(pmsConnections.id, id))).for('key share');
  return row;
}

export async function updateConnection(tx: Tx, tenantId: TenantId, id: string, patch: Partial<typeof pmsConnections.$inferInsert>, at: Date): Promise<ConnectionRow | undefined> {
  const [row] = await tx.update(pmsConnections).set({ ...patch, updatedAt: at }).where(and(eq(pmsConnections.tenantId, tenantId), eq(pmsConnections.id, id))).returning();
  return row;
}

/**
 * Deletes a connection with everything held for it (its copy of the PMS's profiles and stays with their links to
 * members, cursors, runs, review cases, unsent changes, file records and saved mappings: the tables cascade), unless a
 * sync is under way (compare-and-set: null then). What the sync put on members (their stays, fields and history) is
 * the members' and stays. Returns what was removed, counted in the same statement's snapshot.
 */
export async function deleteConnection(tx: Tx, tenantId: TenantId, id: string): Promise<{ name: string; profiles: number; linkedMembers: number; pendingChanges: number } | null> {
  // Lock the row first, in its own statement: a run being started holds a key-share lock on it (its foreign key) until
  // it commits, so this waits for it, and the delete below, a new statement, sees that run and refuses. Without the
  // lock the delete would wait on the row itself and then go ahead on its older snapshot, cascading over the new run.
  await tx.execute(sql`select 1 from pms_connections where tenant_id = ${tenantId} and id = ${id} for update`);
  const [row] = await queryRows<{ name: string; profiles: number; linked_members: number; pending_changes: number }>(
    tx,
    sql`with gone as (
          delete from pms_connections c where c.tenant_id = ${tenantId} and c.id = ${id}
            and not exists (select 1 from pms_sync_runs r where r.tenant_id = c.tenant_id and r.connection_id = c.id and r.status = 'running')
          returning c.name)
        select gone.name,
               (select count(*)::int from pms_profiles p where p.tenant_id = ${tenantId} and p.connection_id = ${id}) as profiles,
               (select count(distinct p.member_id)::int from pms_profiles p where p.tenant_id = ${tenantId} and p.connection_id = ${id} and p.member_id is not null) as linked_members,
               (select count(*)::int from pms_outbox o where o.tenant_id = ${tenantId} and o.connection_id = ${id} and o.status = 'pending') as pending_changes
        from gone`,
  );
  return row ? { name: row.name, profiles: row.profiles, linkedMembers: row.linked_members, pendingChanges: row.pending_changes } : null;
}

export type ClaimedConnection = { tenantId: TenantId; id: string; full: boolean };

/**
 * The scheduler's claim, in the platform scope (migration 0040 lets it read and move next_run_at, nothing else): up
 * to `limit` enabled connections of active hotel groups whose next run is due, oldest due first. Each is claimed by
 * moving its next_run_at on by `leaseMs` in the same statement (compare-and-set: the row is locked and the due test
 * re-checked on its newest version), and rows another worker's claim holds are skipped (SKIP LOCKED): two workers at
 * once claim disjoint sets and never the same connection twice. The run's end sets next_run_at again; the lease only
 * matters when the claimer dies before starting the run (the connection is due again when it runs out).
 * `full`: the connection's last full walk started before the latest `nightlyHour` o'clock in its hotel group's zone.
 */
export function claimDueConnections(tx: Tx, now: Date, options: { limit: number; leaseMs: number; nightlyHour: number }): Promise<ClaimedConnection[]> {
  const at = now.toISOString();
  const hour = `${options.nightlyHour} hours`;
  return queryRows<ClaimedConnection>(
    tx,
    sql`with due as (
          select c.tenant_id, c.id,
                 (c.last_full_at is null
                   or c.last_full_at < ((date_trunc('day', (${at}::timestamptz at time zone t.timezone) - ${hour}::interval) + ${hour}::interval) at time zone t.timezone)) as full
          from pms_connections c join tenants t on t.id = c.tenant_id
          where c.enabled and t.status = 'active' and (c.next_run_at is null or c.next_run_at <= ${at}::timestamptz)
          order by c.next_run_at nulls first, c.tenant_id, c.id
          limit ${options.limit}
          for update of c skip locked)
        update pms_connections c set next_run_at = ${new Date(now.getTime() + options.leaseMs).toISOString()}::timestamptz
        from due where c.tenant_id = due.tenant_id and c.id = due.id
        returning c.tenant_id as "tenantId", c.id, due.full`,
  );
}

/** Enabled connections whose next run is due and that have no run under way. */
export function findDueConnections(tx: Tx, tenantId: TenantId, now: Date): Promise<Array<{ id: string }>> {
  return queryRows(
    tx,
    sql`select c.id from pms_connections c
        where c.tenant_id = ${tenantId} and c.enabled and (c.next_run_at is null or c.next_run_at <= ${now.toISOString()}::timestamptz)
          and not exists (select 1 from pms_sync_runs r where r.tenant_id = c.tenant_id and r.connection_id = c.id and r.status = 'running')`,
  );
}

// ---- runs ----

/** A new running run, unless one is under way for the connection (the partial unique index decides): then null. */
export async function insertRun(tx: Tx, row: typeof pmsSyncRuns.$inferInsert): Promise<RunRow | null> {
  const [created] = await tx.insert(pmsSyncRuns).values(row).onConflictDoNothing().returning();
  return created ?? null;
}

export async function findRun(tx: Tx, tenantId: TenantId, id: string): Promise<RunRow | undefined> {
  const [row] = await tx.select().from(pmsSyncRuns).where(and(eq(pmsSyncRuns.tenantId, tenantId), eq(pmsSyncRuns.id, id)));
  return row;
}

export async function findRunningRun(tx: Tx, tenantId: TenantId, connectionId: string): Promise<RunRow | undefined> {
  const [row] = await tx.select().from(pmsSyncRuns).where(and(eq(pmsSyncRuns.tenantId, tenantId), eq(pmsSyncRuns.connectionId, connectionId), eq(pmsSyncRuns.status, 'running')));
  return row;
}

export function findRuns(tx: Tx, tenantId: TenantId, connectionId: string, limit: number): Promise<RunRow[]> {
  return tx.select().from(pmsSyncRuns).where(and(eq(pmsSyncRuns.tenantId, tenantId), eq(pmsSyncRuns.connectionId, connectionId))).orderBy(desc(pmsSyncRuns.startedAt), desc(pmsSyncRuns.id)).limit(limit);
}

export type RunCounters = Partial<Record<'pulledProfiles' | 'pulledStays' | 'created' | 'updated' | 'unchanged' | 'rejected' | 'staysApplied', number>>;

const COUNTER_COLUMNS = { pulledProfiles: 'pulled_profiles', pulledStays: 'pulled_stays', created: 'created', updated: 'updated', unchanged: 'unchanged', rejected: 'rejected', staysApplied: 'stays_applied' } as const;

/** Adds to a running run's counters and appends quarantined rows (the first 200 are kept), in one statement. */
export async function addToRun(tx: Tx, tenantId: TenantId, id: string, counters: RunCounters, rejects: unknown[]): Promise<void> {
  const sets = Object.entries(counters)
    .filter(([, n]) => n)
    .map(([k, n]) => sql`${sql.raw(COUNTER_COLUMNS[k as keyof typeof COUNTER_COLUMNS])} = ${sql.raw(COUNTER_COLUMNS[k as keyof typeof COUNTER_COLUMNS])} + ${n}`);
  if (rejects.length > 0) {
    sets.push(sql`rejects = case when jsonb_array_length(rejects) >= 200 then rejects
                                 else rejects || (select coalesce(jsonb_agg(e), '[]') from (select e from jsonb_array_elements(${JSON.stringify(rejects)}::jsonb) e limit greatest(0, 200 - jsonb_array_length(rejects))) x) end`);
  }
  if (sets.length === 0) return;
  await tx.execute(sql`update pms_sync_runs set ${sql.join(sets, sql`, `)} where tenant_id = ${tenantId} and id = ${id} and status = 'running'`);
}

export async function updateRun(tx: Tx, tenantId: TenantId, id: string, patch: Partial<typeof pmsSyncRuns.$inferInsert>): Promise<void> {
  await tx.update(pmsSyncRuns).set(patch).where(and(eq(pmsSyncRuns.tenantId, tenantId), eq(pmsSyncRuns.id, id)));
}

/** Finishes a run still running (compare-and-set on its status); false if it had already finished. */
export async function finishRun(tx: Tx, tenantId: TenantId, id: string, patch: Partial<typeof pmsSyncRuns.$inferInsert>): Promise<boolean> {
  const rows = await tx
    .update(pmsSyncRuns)
    .set(patch)
    .where(and(eq(pmsSyncRuns.tenantId, tenantId), eq(pmsSyncRuns.id, id), eq(pmsSyncRuns.status, 'running')))
    .returning({ id: pmsSyncRuns.id });
  return rows.length > 0;
}

export async function appendRunError(tx: Tx, tenantId: TenantId, id: string, error: unknown): Promise<void> {
  await tx.execute(sql`update pms_sync_runs set errors = case when jsonb_array_length(errors) >= 50 then errors else errors || ${JSON.stringify([error])}::jsonb end
                       where tenant_id = ${tenantId} and id = ${id}`);
}

/** Runs left 'running' by a worker that never came back (no progress since `before`): failed, so a new one may start. */
export function abandonStaleRuns(tx: Tx, tenantId: TenantId, before: Date, at: Date): Promise<Array<{ id: string; connection_id: string }>> {
  return queryRows(
    tx,
    sql`update pms_sync_runs r set status = 'failed', finished_at = ${at.toISOString()}::timestamptz,
               errors = r.errors || ${JSON.stringify([{ at: at.toISOString(), code: 'abandoned', message: 'The worker running this sync stopped; the next run resumes from the last checkpoint.', attempt: 0 }])}::jsonb
        where r.tenant_id = ${tenantId} and r.status = 'running'
          and coalesce((select max(c.updated_at) from pms_sync_cursors c where c.tenant_id = r.tenant_id and c.connection_id = r.connection_id), r.started_at) < ${before.toISOString()}::timestamptz
          and r.started_at < ${before.toISOString()}::timestamptz
        returning r.id, r.connection_id`,
  );
}

// ---- cursors ----

export async function findCursor(tx: Tx, tenantId: TenantId, connectionId: string, stream: PmsStream): Promise<CursorRow | undefined> {
  const [row] = await tx
    .select()
    .from(pmsSyncCursors)
    .where(and(eq(pmsSyncCursors.tenantId, tenantId), eq(pmsSyncCursors.connectionId, connectionId), eq(pmsSyncCursors.stream, stream)));
  return row;
}

export function findCursors(tx: Tx, tenantId: TenantId, connectionId: string): Promise<CursorRow[]> {
  return tx.select().from(pmsSyncCursors).where(and(eq(pmsSyncCursors.tenantId, tenantId), eq(pmsSyncCursors.connectionId, connectionId)));
}

/** The cursor of a feed, created empty on first use and locked for this transaction. */
export async function lockCursor(tx: Tx, tenantId: TenantId, connectionId: string, stream: PmsStream, at: Date): Promise<CursorRow> {
  const select = () =>
    queryRows<CursorRow>(
      tx,
      sql`select tenant_id as "tenantId", connection_id as "connectionId", stream, since, walk_active as "walkActive", walk_since as "walkSince", walk_cursor as "walkCursor",
                 walk_watermark as "walkWatermark", walk_pages as "walkPages", updated_at as "updatedAt"
          from pms_sync_cursors where tenant_id = ${tenantId} and connection_id = ${connectionId} and stream = ${stream} for update`,
    );
  // Every page locks its feed's cursor: one statement when it exists (always, but on a feed's first walk).
  const [held] = await select();
  if (held) return held;
  await tx.insert(pmsSyncCursors).values({ tenantId, connectionId, stream, updatedAt: at }).onConflictDoNothing();
  const [row] = await select();
  return row!;
}

export async function saveCursor(tx: Tx, row: typeof pmsSyncCursors.$inferInsert): Promise<void> {
  await tx
    .insert(pmsSyncCursors)
    .values(row)
    .onConflictDoUpdate({
      target: [pmsSyncCursors.tenantId, pmsSyncCursors.connectionId, pmsSyncCursors.stream],
      set: { since: row.since, walkActive: row.walkActive, walkSince: row.walkSince, walkCursor: row.walkCursor, walkWatermark: row.walkWatermark, walkPages: row.walkPages, updatedAt: row.updatedAt },
    });
}

/**
 * A walk page's transaction does not wait for its commit to reach the disk (synchronous_commit off, this transaction
 * only): a database crash may lose the last pages applied, and with them the cursor that moved in the same
 * transaction, so the next attempt reads those pages again (the walk re-reads, never skips). The database stays
 * consistent either way; a first load of 400 pages stops paying a flush per page.
 */
export async function commitWithoutFlush(tx: Tx): Promise<void> {
  await tx.execute(sql`set local synchronous_commit = off`);
}

/** Forgets where the feeds stand: the next run is a full load (staff asked for one). */
export async function resetCursors(tx: Tx, tenantId: TenantId, connectionId: string): Promise<void> {
  await tx.delete(pmsSyncCursors).where(and(eq(pmsSyncCursors.tenantId, tenantId), eq(pmsSyncCursors.connectionId, connectionId)));
}

// ---- profiles ----

export async function findProfileVersions(tx: Tx, tenantId: TenantId, connectionId: string, keys: readonly string[]): Promise<Map<string, { rowHash: string; updDat: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await queryRows<{ gcust_cod: string; row_hash: string; upd_dat: string }>(
    tx,
    sql`select gcust_cod, row_hash, upd_dat from pms_profiles where tenant_id = ${tenantId} and connection_id = ${connectionId} and gcust_cod = any(${textArray(keys)})`,
  );
  return new Map(rows.map((r) => [r.gcust_cod, { rowHash: r.row_hash, updDat: r.upd_dat }]));
}

export type ProfileWrite = { gcustCod: string; updDat: string; rowHash: string; profile: unknown; deleted: boolean; mergedInto: string | null; matchKeys: string[]; surname: string };

/**
 * Inserts or rewrites profiles in one statement. A deleted profile is unlinked (contract §4.4: its stays stay on the
 * member as history). A row older than the one held (by UPD_DAT) never overwrites it.
 */
/**
 * `futureBound`: the latest UPD_DAT taken now (pms.sync.ts updDatBound). A version held with a later one (stored before
 * such rows were set aside) outranks nothing: the next real version replaces it.
 */
export async function upsertProfiles(tx: Tx, tenantId: TenantId, connectionId: string, rows: readonly ProfileWrite[], at: Date, futureBound = '9999'): Promise<void> {
  if (rows.length === 0) return;
  // What these writes change for matching (keys and merge targets before and after): the next match decides only the
  // members around them (pms.match-pass.ts).
  const after = rows.flatMap((r) => [...(r.deleted ? [] : r.matchKeys.map((k) => `K:${k}`)), ...(r.mergedInto ? [`C:${r.mergedInto}`] : [])]);
  await markProfilesDirty(tx, tenantId, connectionId, rows.map((r) => r.gcustCod), after);
  const records = rows.map((r) => ({ gcust_cod: r.gcustCod, upd_dat: r.updDat, row_hash: r.rowHash, profile: r.profile, deleted: r.deleted, merged_into: r.mergedInto, surname: r.surname }));
  const written = await queryRows<{ gcust_cod: string }>(
    tx,
    sql`
    insert into pms_profiles (tenant_id, connection_id, gcust_cod, upd_dat, row_hash, profile, deleted, merged_into, surname, created_at, updated_at)
    select ${tenantId}, ${connectionId}, r.gcust_cod, r.upd_dat, r.row_hash, r.profile, r.deleted, r.merged_into, r.surname, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(gcust_cod text, upd_dat text, row_hash text, profile jsonb, deleted boolean, merged_into text, surname text)
    on conflict (tenant_id, connection_id, gcust_cod) do update set
      upd_dat = excluded.upd_dat, row_hash = excluded.row_hash, profile = excluded.profile, deleted = excluded.deleted, merged_into = excluded.merged_into,
      surname = excluded.surname, updated_at = excluded.updated_at,
      member_id = case when excluded.deleted then null else pms_profiles.member_id end,
      link_tier = case when excluded.deleted then null else pms_profiles.link_tier end,
      link_source = case when excluded.deleted then null else pms_profiles.link_source end,
      linked_at = case when excluded.deleted then null else pms_profiles.linked_at end
    where pms_profiles.row_hash <> excluded.row_hash and (pms_profiles.upd_dat <= excluded.upd_dat or pms_profiles.upd_dat > ${futureBound})
    returning gcust_cod`,
  );
  // The keys of the rows written: a live profile's own, none for a deleted one (matching reads live profiles only).
  const codes = new Set(written.map((w) => w.gcust_cod));
  await replaceProfileKeys(tx, tenantId, connectionId, rows.filter((r) => codes.has(r.gcustCod)).map((r) => ({ gcustCod: r.gcustCod, matchKeys: r.deleted ? [] : r.matchKeys })));
}

/** Rewrites the lookup keys of these profiles (migration 0029's pms_profile_keys). */
export async function replaceProfileKeys(tx: Tx, tenantId: TenantId, connectionId: string, rows: ReadonlyArray<{ gcustCod: string; matchKeys: string[] }>): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`delete from pms_profile_keys where tenant_id = ${tenantId} and connection_id = ${connectionId} and gcust_cod = any(${textArray(rows.map((r) => r.gcustCod))})`);
  const pairs = rows.flatMap((r) => r.matchKeys.map((key) => ({ key, gcust_cod: r.gcustCod })));
  if (pairs.length === 0) return;
  await tx.execute(sql`
    insert into pms_profile_keys (tenant_id, connection_id, key, gcust_cod)
    select ${tenantId}, ${connectionId}, k.key, k.gcust_cod from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as k(key text, gcust_cod text)
    on conflict do nothing`);
}

/**
 * After a large load the planner's statistics are stale until autovacuum comes by: the next steps need them now. A walk
 * refreshes only the tables its feed writes (analysing 300,000 stays while the profiles are walked is time lost).
 */
/**
 * Whether `written` rows are enough to make the planner's view of the PMS tables stale: a tenth of the rows it thinks
 * they hold (autovacuum's own analyse threshold), at least LARGE_LOAD. A first load is; 5,000 changes on 400,000 rows
 * are not (the incremental sync then spends no seconds analysing).
 */
export async function statisticsStale(tx: Tx, written: number, largeLoad: number): Promise<boolean> {
  if (written < largeLoad) return false;
  const [row] = await queryRows<{ rows: number }>(tx, sql`select coalesce(sum(greatest(reltuples, 0)), 0)::float8 as rows from pg_class where relname in ('pms_profiles', 'pms_stays') and relkind = 'r'`);
  return written * 10 >= (row?.rows ?? 0);
}

export function refreshPmsStatistics(db: Database, feed?: PmsStream): Promise<void> {
  if (feed === 'guests') return refreshStatistics(db, ['pms_profiles', 'pms_profile_keys']);
  if (feed === 'stays') return refreshStatistics(db, ['pms_stays']);
  return refreshStatistics(db, ['pms_profiles', 'pms_stays', 'pms_profile_keys']);
}

export type StoredProfile = { gcust_cod: string; profile: Record<string, unknown>; deleted: boolean; member_id: string | null; link_source: 'auto' | 'staff' | null };

/** Every profile of a connection, a page at a time by key (matching reads them all; 10,000 rows are a few MB). */
export function findProfilesPage(tx: Tx, tenantId: TenantId, connectionId: string, after: string | null, limit: number): Promise<StoredProfile[]> {
  return queryRows(
    tx,
    sql`select gcust_cod, profile, deleted, member_id, link_source from pms_profiles
        where tenant_id = ${tenantId} and connection_id = ${connectionId} and (${after}::text is null or gcust_cod > ${after}::text)
        order by gcust_cod limit ${limit}`,
  );
}

export function findProfilesByKeys(tx: Tx, tenantId: TenantId, connectionId: string, keys: readonly string[]): Promise<StoredProfile[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return queryRows(
    tx,
    sql`select gcust_cod, profile, deleted, member_id, link_source from pms_profiles
        where tenant_id = ${tenantId} and connection_id = ${connectionId} and gcust_cod = any(${textArray(keys)}) order by gcust_cod`,
  );
}

export function findProfilesOfMember(tx: Tx, tenantId: TenantId, memberId: string): Promise<Array<StoredProfile & { connection_id: string; upd_dat: string }>> {
  return queryRows(
    tx,
    sql`select connection_id, gcust_cod, upd_dat, profile, deleted, member_id, link_source from pms_profiles
        where tenant_id = ${tenantId} and member_id = ${memberId} order by gcust_cod`,
  );
}

/**
 * Links profiles to a member, only those linked to nobody (or already to this member): a profile another member
 * holds is never taken over here (that is a conflict for review). Returns the profiles now linked by this call.
 */
export async function linkProfiles(tx: Tx, tenantId: TenantId, connectionId: string, memberId: string, keys: readonly string[], link: { tier: string; source: 'auto' | 'staff' }, at: Date): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await queryRows<{ gcust_cod: string }>(
    tx,
    sql`update pms_profiles set member_id = ${memberId}, link_tier = ${link.tier}, link_source = ${link.source}, linked_at = ${at.toISOString()}::timestamptz, updated_at = ${at.toISOString()}::timestamptz
        where tenant_id = ${tenantId} and connection_id = ${connectionId} and gcust_cod = any(${textArray(keys)}) and not deleted
          and (member_id is null or (member_id = ${memberId} and (link_source is distinct from ${link.source} or link_tier is distinct from ${link.tier})))
        returning gcust_cod`,
  );
  return rows.map((r) => r.gcust_cod);
}

/** A merged member's PMS profiles follow the member kept. */
export async function moveProfileLinks(tx: Tx, tenantId: TenantId, fromMemberId: string, toMemberId: string): Promise<void> {
  await tx.execute(sql`update pms_profiles set member_id = ${toMemberId} where tenant_id = ${tenantId} and member_id = ${fromMemberId}`);
  await tx.execute(sql`update pms_review_cases set status = 'superseded', updated_at = now() where tenant_id = ${tenantId} and member_id = ${fromMemberId} and status = 'open'`);
  // The conflicts recorded on the merged member are the kept one's history now.
  await tx.update(pmsFieldConflicts).set({ memberId: toMemberId }).where(and(eq(pmsFieldConflicts.tenantId, tenantId), eq(pmsFieldConflicts.memberId, fromMemberId)));
}

// ---- stays ----

export async function findStayVersions(tx: Tx, tenantId: TenantId, connectionId: string, keys: readonly string[]): Promise<Map<string, { rowHash: string; updDat: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await queryRows<{ stay_key: string; row_hash: string; upd_dat: string }>(
    tx,
    sql`select stay_key, row_hash, upd_dat from pms_stays where tenant_id = ${tenantId} and connection_id = ${connectionId} and stay_key = any(${textArray(keys)})`,
  );
  return new Map(rows.map((r) => [r.stay_key, { rowHash: r.row_hash, updDat: r.upd_dat }]));
}

export type StayWrite = {
  stayKey: string;
  gcustCod: string;
  hotelCod: string | null;
  updDat: string;
  rowHash: string;
  checkIn: string;
  checkOut: string;
  roomCod: string;
  rawStatus: string;
  status: PmsStayStatus;
  deleted: boolean;
  adults: number | null;
  children: number | null;
};

/** `futureBound` as for upsertProfiles. */
export async function upsertStays(tx: Tx, tenantId: TenantId, connectionId: string, rows: readonly StayWrite[], at: Date, futureBound = '9999'): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((r) => ({
    stay_key: r.stayKey,
    gcust_cod: r.gcustCod,
    hotel_cod: r.hotelCod,
    upd_dat: r.updDat,
    row_hash: r.rowHash,
    check_in: r.checkIn,
    check_out: r.checkOut,
    room_cod: r.roomCod,
    raw_status: r.rawStatus,
    status: r.status,
    deleted: r.deleted,
    adults: r.adults,
    children: r.children,
  }));
  const written = await queryRows<{ gcust_cod: string }>(
    tx,
    sql`
    insert into pms_stays (tenant_id, connection_id, stay_key, gcust_cod, hotel_cod, upd_dat, row_hash, check_in, check_out, room_cod, raw_status, status, deleted,
                           adults, children, created_at, updated_at)
    select ${tenantId}, ${connectionId}, r.stay_key, r.gcust_cod, r.hotel_cod, r.upd_dat, r.row_hash, r.check_in, r.check_out, r.room_cod, r.raw_status, r.status, r.deleted,
           r.adults, r.children, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(stay_key text, gcust_cod text, hotel_cod text, upd_dat text, row_hash text, check_in date, check_out date,
         room_cod text, raw_status text, status text, deleted boolean, adults smallint, children smallint)
    on conflict (tenant_id, connection_id, stay_key) do update set
      gcust_cod = excluded.gcust_cod, hotel_cod = excluded.hotel_cod, upd_dat = excluded.upd_dat, row_hash = excluded.row_hash, check_in = excluded.check_in,
      check_out = excluded.check_out, room_cod = excluded.room_cod, raw_status = excluded.raw_status, status = excluded.status, deleted = excluded.deleted,
      adults = excluded.adults, children = excluded.children, updated_at = excluded.updated_at
    where pms_stays.row_hash <> excluded.row_hash and (pms_stays.upd_dat <= excluded.upd_dat or pms_stays.upd_dat > ${futureBound})
    returning gcust_cod`,
  );
  await markStaysPending(tx, tenantId, connectionId, [...new Set(written.map((w) => w.gcust_cod))]);
}

/**
 * Notes that the linked ones of these profiles have stays to put on their members (migration 0043). The test of the
 * link is on the profile row itself, so a link committed while this waits for the row is seen; a profile linked after
 * this was marked by its link.
 */
export async function markStaysPending(tx: Tx, tenantId: TenantId, connectionId: string, gcustCods: readonly string[]): Promise<void> {
  if (gcustCods.length === 0) return;
  await tx.execute(sql`update pms_profiles set stays_pending = true
                       where tenant_id = ${tenantId} and connection_id = ${connectionId} and gcust_cod = any(${textArray(gcustCods)})
                         and member_id is not null and not stays_pending`);
}

export type StayToApply = {
  stay_key: string;
  gcust_cod: string;
  hotel_cod: string | null;
  check_in: string;
  check_out: string;
  room_cod: string;
  status: PmsStayStatus;
  deleted: boolean;
  adults: number | null;
  children: number | null;
  row_hash: string;
  member_id: string;
};

/**
 * A batch of the profiles marked as having stays to put on their members (migration 0043), keyset-paged by code and
 * locked until the batch commits: a link changed meanwhile waits for the batch, then marks the profile again.
 */
export function lockPendingProfiles(tx: Tx, tenantId: TenantId, connectionId: string, after: string | null, limit: number): Promise<Array<{ gcust_cod: string; member_id: string | null }>> {
  return queryRows(
    tx,
    sql`select gcust_cod, member_id from pms_profiles
        where tenant_id = ${tenantId} and connection_id = ${connectionId} and stays_pending and (${after}::text is null or gcust_cod > ${after}::text)
        order by gcust_cod limit ${limit} for update`,
  );
}

/**
 * The stays of these profiles whose member_stays row is missing or out of date: the profile is linked, and the stay
 * changed or its profile moved to another member since it was last applied.
 */
export function findStaysToApply(tx: Tx, tenantId: TenantId, connectionId: string, gcustCods: readonly string[]): Promise<StayToApply[]> {
  if (gcustCods.length === 0) return Promise.resolve([]);
  return queryRows(
    tx,
    sql`select s.stay_key, s.gcust_cod, s.hotel_cod, s.check_in::text as check_in, s.check_out::text as check_out, s.room_cod, s.status, s.deleted, s.adults, s.children,
               s.row_hash, p.member_id
        from pms_profiles p
        join pms_stays s on s.tenant_id = p.tenant_id and s.connection_id = p.connection_id and s.gcust_cod = p.gcust_cod
        where p.tenant_id = ${tenantId} and p.connection_id = ${connectionId} and p.gcust_cod = any(${textArray(gcustCods)}) and p.member_id is not null
          and (s.applied_member_id is distinct from p.member_id or s.applied_hash is distinct from s.row_hash)
        order by s.stay_key`,
  );
}

/** These profiles' stays are all on their members (or their profile is not linked): unmarked. */
export async function clearStaysPending(tx: Tx, tenantId: TenantId, connectionId: string, gcustCods: readonly string[]): Promise<void> {
  if (gcustCods.length === 0) return;
  await tx.execute(sql`update pms_profiles set stays_pending = false
                       where tenant_id = ${tenantId} and connection_id = ${connectionId} and gcust_cod = any(${textArray(gcustCods)}) and stays_pending`);
}

export async function markStaysApplied(tx: Tx, tenantId: TenantId, connectionId: string, applied: ReadonlyArray<{ stayKey: string; memberId: string; rowHash: string }>): Promise<void> {
  if (applied.length === 0) return;
  await tx.execute(sql`
    update pms_stays s set applied_member_id = a.member_id, applied_hash = a.row_hash
    from jsonb_to_recordset(${JSON.stringify(applied.map((a) => ({ stay_key: a.stayKey, member_id: a.memberId, row_hash: a.rowHash })))}::jsonb) as a(stay_key text, member_id uuid, row_hash text)
    where s.tenant_id = ${tenantId} and s.connection_id = ${connectionId} and s.stay_key = a.stay_key`);
}

/** How many stays each profile has and its latest check-in, counted by the database (every stay, however many). */
export async function countStaysOfProfiles(tx: Tx, tenantId: TenantId, keys: readonly string[]): Promise<Map<string, { stays: number; lastStay: string | null }>> {
  if (keys.length === 0) return new Map();
  const rows = await queryRows<{ connection_id: string; gcust_cod: string; stays: number; last_stay: string | null }>(
    tx,
    sql`select connection_id, gcust_cod, count(*)::int as stays, max(check_in)::text as last_stay from pms_stays
        where tenant_id = ${tenantId} and gcust_cod = any(${textArray(keys)}) group by connection_id, gcust_cod`,
  );
  return new Map(rows.map((r) => [`${r.connection_id}|${r.gcust_cod}`, { stays: r.stays, lastStay: r.last_stay }]));
}

// ---- totals for the match report ----

/** The connection's profiles: all, live, linked (one scan; the match report's totals). */
export async function countProfiles(tx: Tx, tenantId: TenantId, connectionId: string): Promise<{ profiles: number; live: number; linked: number }> {
  const [row] = await queryRows<{ profiles: number; live: number; linked: number }>(
    tx,
    sql`select count(*)::int as profiles, (count(*) filter (where not deleted))::int as live, (count(*) filter (where member_id is not null))::int as linked
        from pms_profiles where tenant_id = ${tenantId} and connection_id = ${connectionId}`,
  );
  return { profiles: row!.profiles, live: row!.live, linked: row!.linked };
}

/** The connection's stays, and those on members (one scan; the run's end). */
export async function countStays(tx: Tx, tenantId: TenantId, connectionId: string): Promise<{ stays: number; staysOnMembers: number }> {
  const [row] = await queryRows<{ stays: number; stays_on_members: number }>(
    tx,
    sql`select count(*)::int as stays, (count(*) filter (where applied_member_id is not null))::int as stays_on_members
        from pms_stays where tenant_id = ${tenantId} and connection_id = ${connectionId}`,
  );
  return { stays: row!.stays, staysOnMembers: row!.stays_on_members };
}

// ---- review cases ----

export function findOpenCases(tx: Tx, tenantId: TenantId, connectionId: string): Promise<ReviewCaseRow[]> {
  return tx.select().from(pmsReviewCases).where(and(eq(pmsReviewCases.tenantId, tenantId), eq(pmsReviewCases.connectionId, connectionId), eq(pmsReviewCases.status, 'open')));
}

export async function findRejectedFingerprints(tx: Tx, tenantId: TenantId, connectionId: string): Promise<Set<string>> {
  const rows = await tx
    .select({ fingerprint: pmsReviewCases.fingerprint })
    .from(pmsReviewCases)
    .where(and(eq(pmsReviewCases.tenantId, tenantId), eq(pmsReviewCases.connectionId, connectionId), eq(pmsReviewCases.status, 'rejected')));
  return new Set(rows.map((r) => r.fingerprint));
}

/** Opens a case, or refreshes the open case of the member (one open case per member and connection). */
export async function upsertOpenCase(tx: Tx, row: { tenantId: TenantId; id: string; connectionId: string; memberId: string; candidates: ReviewCandidate[]; reasons: string[]; fingerprint: string; at: Date }): Promise<void> {
  await tx.execute(sql`
    insert into pms_review_cases (tenant_id, id, connection_id, member_id, candidates, reasons, fingerprint, status, created_at, updated_at)
    values (${row.tenantId}, ${row.id}, ${row.connectionId}, ${row.memberId}, ${JSON.stringify(row.candidates)}::jsonb, ${textArray(row.reasons)}, ${row.fingerprint}, 'open',
            ${row.at.toISOString()}::timestamptz, ${row.at.toISOString()}::timestamptz)
    on conflict (tenant_id, connection_id, member_id) where status = 'open' do update set
      candidates = excluded.candidates, reasons = excluded.reasons, fingerprint = excluded.fingerprint, updated_at = excluded.updated_at
    where pms_review_cases.fingerprint <> excluded.fingerprint or pms_review_cases.reasons <> excluded.reasons`);
}

export async function supersedeCases(tx: Tx, tenantId: TenantId, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(sql`update pms_review_cases set status = 'superseded', updated_at = ${at.toISOString()}::timestamptz
                       where tenant_id = ${tenantId} and status = 'open' and id = any(${uuidArray(ids)})`);
}

/**
 * One page of the cases of members the caller sees (`visible`: the members module's scope predicate over `members m`),
 * newest first, with how many there are in all: the scope (and the reason asked for) is applied before the page is cut,
 * so a property's staff page through their own cases, not what is left of the group's.
 */
export async function findCases(
  tx: Tx,
  tenantId: TenantId,
  statuses: readonly ReviewCaseStatus[],
  visible: SQL,
  page: { offset: number; limit: number; reason?: string | undefined },
): Promise<{ rows: ReviewCaseRow[]; total: number }> {
  const order = statuses.includes('open') ? sql`c.created_at desc` : sql`c.resolved_at desc nulls last`;
  const where = sql`c.tenant_id = ${tenantId} and c.status = any(${textArray(statuses)}) and ${visible}${page.reason ? sql` and ${page.reason} = any(c.reasons)` : sql``}`;
  const [rows, [counted]] = await Promise.all([
    queryRows<ReviewCaseRow>(
      tx,
      sql`select c.tenant_id as "tenantId", c.id, c.connection_id as "connectionId", c.member_id as "memberId", c.candidates, c.reasons, c.fingerprint, c.status,
                 c.resolved_profile_ids as "resolvedProfileIds", c.resolved_by as "resolvedBy", c.resolved_at as "resolvedAt", c.created_at as "createdAt", c.updated_at as "updatedAt"
          from pms_review_cases c join members m on m.tenant_id = c.tenant_id and m.id = c.member_id
          where ${where}
          order by ${order}, c.id limit ${page.limit} offset ${page.offset}`,
    ),
    queryRows<{ n: number }>(tx, sql`select count(*)::int as n from pms_review_cases c join members m on m.tenant_id = c.tenant_id and m.id = c.member_id where ${where}`),
  ]);
  // Raw rows carry timestamps as text: the same Dates the table's other readers get.
  const at = (v: Date | string | null) => (v === null ? null : new Date(v));
  return { rows: rows.map((r) => ({ ...r, createdAt: at(r.createdAt)!, updatedAt: at(r.updatedAt)!, resolvedAt: at(r.resolvedAt) })), total: counted?.n ?? 0 };
}

export async function findCase(tx: Tx, tenantId: TenantId, id: string): Promise<ReviewCaseRow | undefined> {
  const [row] = await tx.select().from(pmsReviewCases).where(and(eq(pmsReviewCases.tenantId, tenantId), eq(pmsReviewCases.id, id)));
  return row;
}

/** Closes an open case (compare-and-set on its status): false if someone else closed it first. */
export async function closeCase(tx: Tx, tenantId: TenantId, id: string, patch: { status: 'linked' | 'rejected'; resolvedProfileIds: string[] | null; resolvedBy: string | null; at: Date }): Promise<boolean> {
  const rows = await tx
    .update(pmsReviewCases)
    .set({ status: patch.status, resolvedProfileIds: patch.resolvedProfileIds, resolvedBy: patch.resolvedBy, resolvedAt: patch.at, updatedAt: patch.at })
    .where(and(eq(pmsReviewCases.tenantId, tenantId), eq(pmsReviewCases.id, id), eq(pmsReviewCases.status, 'open')))
    .returning({ id: pmsReviewCases.id });
  return rows.length > 0;
}

export async function countCases(tx: Tx, tenantId: TenantId, connectionId: string): Promise<Record<string, number>> {
  const rows = await queryRows<{ status: string; n: number }>(tx, sql`select status, count(*)::int as n from pms_review_cases where tenant_id = ${tenantId} and connection_id = ${connectionId} group by status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

// ---- push-back outbox ----

export type OutboxRow = typeof pmsOutbox.$inferSelect;

/** A change to push; the same change (same idempotency key) queued twice is one row. Returns the row if new. */
export async function insertOutbox(tx: Tx, row: typeof pmsOutbox.$inferInsert): Promise<OutboxRow | null> {
  const [created] = await tx.insert(pmsOutbox).values(row).onConflictDoNothing().returning();
  return created ?? null;
}

export async function findOutbox(tx: Tx, tenantId: TenantId, id: string): Promise<OutboxRow | undefined> {
  const [row] = await tx.select().from(pmsOutbox).where(and(eq(pmsOutbox.tenantId, tenantId), eq(pmsOutbox.id, id)));
  return row;
}

/** Settles a pending change (compare-and-set on its status): false if another attempt settled it first. */
export async function settleOutbox(tx: Tx, tenantId: TenantId, id: string, patch: Partial<typeof pmsOutbox.$inferInsert>): Promise<boolean> {
  const rows = await tx
    .update(pmsOutbox)
    .set(patch)
    .where(and(eq(pmsOutbox.tenantId, tenantId), eq(pmsOutbox.id, id), eq(pmsOutbox.status, 'pending')))
    .returning({ id: pmsOutbox.id });
  return rows.length > 0;
}

export async function countAttempt(tx: Tx, tenantId: TenantId, id: string): Promise<void> {
  await tx.execute(sql`update pms_outbox set attempts = attempts + 1 where tenant_id = ${tenantId} and id = ${id}`);
}

export function findOutboxByStatus(tx: Tx, tenantId: TenantId, connectionId: string, status: OutboxRow['status'], limit: number): Promise<OutboxRow[]> {
  return tx
    .select()
    .from(pmsOutbox)
    .where(and(eq(pmsOutbox.tenantId, tenantId), eq(pmsOutbox.connectionId, connectionId), eq(pmsOutbox.status, status)))
    .orderBy(pmsOutbox.requestedAt, pmsOutbox.id)
    .limit(limit);
}

export async function countOutbox(tx: Tx, tenantId: TenantId, connectionId: string): Promise<Record<string, number>> {
  const rows = await queryRows<{ status: string; n: number }>(tx, sql`select status, count(*)::int as n from pms_outbox where tenant_id = ${tenantId} and connection_id = ${connectionId} group by status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/**
 * A member erased for good: their queued changes (which hold their new values) go, their PMS profiles are unlinked (the
 * profiles are the PMS's records, not the member's) and their review cases go with the member row.
 */
export async function forgetMember(tx: Tx, tenantId: TenantId, memberId: string): Promise<void> {
  await tx.delete(pmsOutbox).where(and(eq(pmsOutbox.tenantId, tenantId), eq(pmsOutbox.memberId, memberId)));
  // Their last match decisions go too; the profiles they held are noted as changes, so the next match decides again
  // the members around them (a profile no longer held may now be another member's).
  await tx.execute(sql`insert into pms_match_dirty (tenant_id, connection_id, item)
                       select p.tenant_id, p.connection_id, 'C:' || p.gcust_cod from pms_profiles p
                       where p.tenant_id = ${tenantId} and p.member_id = ${memberId}
                         and exists (select 1 from pms_match_state s where s.tenant_id = p.tenant_id and s.connection_id = p.connection_id)
                       on conflict do nothing`);
  await tx.execute(sql`delete from pms_member_matches where tenant_id = ${tenantId} and member_id = ${memberId}`);
  // Their conflicts hold their contact details (masked, still theirs).
  await tx.delete(pmsFieldConflicts).where(and(eq(pmsFieldConflicts.tenantId, tenantId), eq(pmsFieldConflicts.memberId, memberId)));
  await tx.execute(sql`update pms_profiles set member_id = null, link_tier = null, link_source = null, linked_at = null where tenant_id = ${tenantId} and member_id = ${memberId}`);
  await tx.execute(sql`update pms_stays set applied_member_id = null where tenant_id = ${tenantId} and applied_member_id = ${memberId}`);
}

/** The names of these connections (稽核紀錄's targets); a deleted one is absent. */
export async function findConnectionNames(tx: Tx, tenantId: TenantId, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ id: pmsConnections.id, name: pmsConnections.name }).from(pmsConnections).where(and(eq(pmsConnections.tenantId, tenantId), inArray(pmsConnections.id, [...ids])));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Linked profiles whose fields were not yet put on their member (a new link, or a version not seen before). */
export type ProfileForFields = { gcust_cod: string; upd_dat: string; row_hash: string; member_id: string; profile: unknown; deleted: boolean; fields_member_id: string | null; fields_applied: unknown };

export function findProfilesForFields(tx: Tx, tenantId: TenantId, connectionId: string, after: string | null, limit: number): Promise<ProfileForFields[]> {
  return queryRows(
    tx,
    sql`select gcust_cod, upd_dat, row_hash, member_id, profile, deleted, fields_member_id, fields_applied
        from pms_profiles
        where tenant_id = ${tenantId} and connection_id = ${connectionId} and member_id is not null
          and (fields_member_id is distinct from member_id or fields_hash is distinct from row_hash)
          and (${after}::text is null or gcust_cod > ${after}::text)
        order by gcust_cod limit ${limit}`,
  );
}

export async function markFieldsApplied(tx: Tx, tenantId: TenantId, connectionId: string, applied: ReadonlyArray<{ gcustCod: string; memberId: string; rowHash: string; values: Record<string, unknown> }>): Promise<void> {
  if (applied.length === 0) return;
  await tx.execute(sql`
    update pms_profiles p set fields_member_id = a.member_id, fields_hash = a.row_hash, fields_applied = a.vals
    from jsonb_to_recordset(${JSON.stringify(applied.map((a) => ({ gcust_cod: a.gcustCod, member_id: a.memberId, row_hash: a.rowHash, vals: a.values })))}::jsonb) as a(gcust_cod text, member_id uuid, row_hash text, vals jsonb)
    where p.tenant_id = ${tenantId} and p.connection_id = ${connectionId} and p.gcust_cod = a.gcust_cod`);
}

// ---- field conflicts (migration 0040) ----

export type FieldConflictRow = typeof pmsFieldConflicts.$inferSelect;

export async function insertFieldConflicts(tx: Tx, rows: Array<typeof pmsFieldConflicts.$inferInsert>): Promise<void> {
  if (rows.length > 0) await tx.insert(pmsFieldConflicts).values(rows);
}

/** One page of a connection's conflicts of members the caller sees (`visible` over `members m`), newest first, with the total. */
export async function findFieldConflicts(tx: Tx, tenantId: TenantId, connectionId: string, visible: SQL, page: { offset: number; limit: number; field?: string | undefined }): Promise<{ rows: FieldConflictRow[]; total: number }> {
  const where = sql`f.tenant_id = ${tenantId} and f.connection_id = ${connectionId} and ${visible}${page.field ? sql` and f.field = ${page.field}` : sql``}`;
  const [rows, [counted]] = await Promise.all([
    queryRows<FieldConflictRow>(
      tx,
      sql`select f.tenant_id as "tenantId", f.id, f.connection_id as "connectionId", f.run_id as "runId", f.member_id as "memberId", f.gcust_cod as "gcustCod", f.field,
                 f.pms_value as "pmsValue", f.crm_value as "crmValue", f.kept, f.pms_changed_at as "pmsChangedAt", f.crm_changed_at as "crmChangedAt", f.recorded_at as "recordedAt"
          from pms_field_conflicts f join members m on m.tenant_id = f.tenant_id and m.id = f.member_id
          where ${where}
          order by f.recorded_at desc, f.id limit ${page.limit} offset ${page.offset}`,
    ),
    queryRows<{ n: number }>(tx, sql`select count(*)::int as n from pms_field_conflicts f join members m on m.tenant_id = f.tenant_id and m.id = f.member_id where ${where}`),
  ]);
  const at = (v: Date | string | null) => (v === null ? null : new Date(v));
  return { rows: rows.map((r) => ({ ...r, pmsChangedAt: at(r.pmsChangedAt), crmChangedAt: at(r.crmChangedAt), recordedAt: at(r.recordedAt)! })), total: counted?.n ?? 0 };
}
