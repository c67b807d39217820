import { and, eq, inArray, sql } from 'drizzle-orm';
import { uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Database, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { lineWebhookInbox, type InboxStatus } from './line.tables.ts';

export type InboxRow = typeof lineWebhookInbox.$inferSelect;

/**
 * Stores a verified webhook request's events; an event whose webhookEventId is already stored (a redelivery) is
 * skipped. Returns how many were new. `body` is the webhook's JSON (`events` an array of validated events, without
 * NUL); `ids` the new rows' ids, one per event in order. A batch of one request (receiveEventBatch).
 */
export async function receiveEvents(db: Database, tenantId: TenantId, channelId: string, body: string, ids: readonly string[]): Promise<number> {
  return receiveEventBatch(db, tenantId, channelId, [body], ids);
}

/**
 * Stores several verified requests of one channel at once: one statement that is its own transaction, committed when
 * this resolves. The function line_inbox_receive_many (migrations 0048, 0051) takes the app role and the tenant for
 * it, takes the tenant's arrival lock shared (see awaitArrivals), and inserts the events from the bodies it is given,
 * in PostgreSQL, so the API does not serialise the events again. `bodies` are the requests' JSON, each as
 * receiveEvents takes it; `ids` one per event, in the bodies' order and each body's events' order. Returns how many
 * events were new, all bodies together.
 */
export async function receiveEventBatch(db: Database, tenantId: TenantId, channelId: string, bodies: readonly string[], ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  // The bodies are JSON already: an array of them is their texts joined, not parsed and written again.
  const [row] = await db.statement<{ stored: number }>(sql`select line_inbox_receive_many(${tenantId}, ${channelId}::uuid, ${`[${bodies.join(',')}]`}, ${uuidArray(ids)}) as stored`);
  return row?.stored ?? 0;
}

/** Advisory-lock namespace ('LINA') for a tenant's webhook arrivals, see receiveEventBatch / awaitArrivals; line_inbox_receive_many (migrations 0048, 0051) writes the same number. */
const ARRIVAL_LOCK = 0x4c494e41;

/**
 * Waits until every webhook transaction of the tenant that is under way has committed or failed: one statement that is
 * its own transaction takes the lock exclusively, and its end releases it at once (one round trip, where a transaction
 * of its own took three). A claim after this sees every event whose request had reached the database, so a follow
 * committed a moment after its guest's first message, by a concurrent request, is still claimed before that message.
 * An advisory lock reads no table: the statement needs no role or tenant.
 */
export async function awaitArrivals(db: Database, tenantId: TenantId): Promise<void> {
  await db.statement(sql`select pg_advisory_xact_lock(${ARRIVAL_LOCK}, hashtext(${tenantId}))`);
}

/**
 * A tenant's inbox drains in DRAIN_PARTITIONS partitions by a hash of the LINE user id, so every event of one guest is
 * in one partition (events without a user share partition `hashtext('') & 15`). Partitions drain in parallel, each by
 * one batch at a time in LINE's order. The partition is the inbox's generated column drain_partition (migration 0052),
 * indexed for pending rows after the tenant and before LINE's order. Compare the column, never the expression: the
 * drain runs under row-level security, where a call of hashtext (not leakproof) is only a filter applied after the
 * index (the claim then read every pending row of the tenant), while an integer column's `=` is an index condition.
 */
export const DRAIN_PARTITIONS = 16;
const partitionOf = lineWebhookInbox.drainPartition;

/** The partition a LINE user's events fall in (the database's hash; tests use it to place guests). */
export async function partitionOfUser(tx: Tx, lineUserId: string | null): Promise<number> {
  const [row] = await queryRows<{ p: number }>(tx, sql`select (hashtext(coalesce(${lineUserId}::text, '')) & 15) as p`);
  return row!.p;
}

/**
 * Advisory-lock namespace ('LINE') of the tenant-wide drain lock. Drains of this release take it shared (they exclude
 * each other per partition); a worker of the release before partitions took it exclusively, so during a rolling
 * upgrade an old worker's tenant-wide claim and a new one's partition claim never run at once.
 */
const DRAIN_LOCK = 0x4c494e45;

/**
 * Takes a partition of the tenant's inbox that has pending events and that no other drain holds, until the
 * transaction ends; undefined when there is none. Partitions are tried from `from` on, round the circle, so a drain
 * that passes its last partition + 1 serves them in turn and a busy partition cannot starve the others.
 *
 * One statement: the pending partitions are found by one probe each into the partial index (a LATERAL … LIMIT 1, so
 * the planner cannot turn them into one scan of the whole backlog), and the advisory locks are tried in that order
 * until one is granted (the materialized candidate list is read row by row under the LIMIT, so no lock is taken on a
 * partition that is not used).
 */
export async function takePartition(tx: Tx, tenantId: TenantId, from: number): Promise<number | undefined> {
  const [row] = await queryRows<{ p: number }>(
    tx,
    sql`with turn as materialized (select pg_advisory_xact_lock_shared(${DRAIN_LOCK}, hashtext(${tenantId}))),
        candidates as materialized (
          select p from turn, generate_series(0, ${DRAIN_PARTITIONS - 1}) as p
          cross join lateral (select 1 from line_webhook_inbox where tenant_id = ${tenantId} and status = 'pending' and ${partitionOf} = p limit 1) as pending
          order by (p - ${from} + ${DRAIN_PARTITIONS}) % ${DRAIN_PARTITIONS}
        )
        select p from candidates where pg_try_advisory_xact_lock(hashtextextended('line-drain:' || ${tenantId} || ':' || p, 0)) limit 1`,
  );
  return row?.p;
}

/**
 * Claims the oldest pending events of one partition in LINE's order: the event's timestamp, then arrival, then id.
 * The caller holds the partition (takePartition), so the claim is a prefix of the partition's pending events in that
 * order, and a guest's events are all in that partition: a batch never holds a guest's event while an older pending
 * one of that guest is left out.
 *
 * Bounded by the batch, whatever the backlog: the partial pending index is in this order after the tenant and the
 * partition, so the rows are read off it in order and the scan stops at `limit`; nothing is sorted.
 * No row locks: the partition's advisory lock (takePartition) already keeps every other drain off these rows until
 * this transaction ends, and a drain of the release before partitions takes the tenant-wide lock that this one takes
 * shared. (FOR UPDATE wrote a lock, and its WAL record, on each claimed row just before the batch updates it anyway;
 * and since the locks come between the sort and the limit it needed a bound of its own, a sub-select of the `limit`
 * oldest timestamps.)
 * The statement is planned with sequential and bitmap scans off: with stale statistics (a table that grew fast, a
 * late autovacuum) the planner otherwise reads the whole backlog to find the oldest rows.
 */
export async function claimPending(tx: Tx, tenantId: TenantId, partition: number, limit: number): Promise<InboxRow[]> {
  const [saved] = await queryRows<{ bitmap: string; seq: string }>(
    tx,
    sql`select current_setting('enable_bitmapscan') as bitmap, current_setting('enable_seqscan') as seq, set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`,
  );
  try {
    return await claimQuery(tx, tenantId, partition, limit);
  } finally {
    await tx.execute(sql`select set_config('enable_bitmapscan', ${saved!.bitmap}, true), set_config('enable_seqscan', ${saved!.seq}, true)`);
  }
}

/** claimPending's statement (exported so a test can read its plan under row-level security). */
export function claimQuery(tx: Tx, tenantId: TenantId, partition: number, limit: number) {
  return tx
    .select()
    .from(lineWebhookInbox)
    .where(and(eq(lineWebhookInbox.tenantId, tenantId), eq(lineWebhookInbox.status, 'pending'), eq(partitionOf, partition)))
    .orderBy(lineWebhookInbox.occurredAt, lineWebhookInbox.receivedAt, lineWebhookInbox.id)
    .limit(limit);
}

/** Whether the tenant has events waiting (the sweep's question: one probe of the partial pending index). */
export async function hasPending(tx: Tx, tenantId: TenantId): Promise<boolean> {
  const [row] = await queryRows<{ waiting: boolean }>(tx, sql`select exists (select 1 from line_webhook_inbox where tenant_id = ${tenantId} and status = 'pending') as waiting`);
  return row?.waiting ?? false;
}

/** One stored event, for the jobs its processing left (the profile, the welcome). */
export async function findEvent(tx: Tx, tenantId: TenantId, id: string): Promise<InboxRow | undefined> {
  const [row] = await tx.select().from(lineWebhookInbox).where(and(eq(lineWebhookInbox.tenantId, tenantId), eq(lineWebhookInbox.id, id)));
  return row;
}

export async function markEvents(tx: Tx, tenantId: TenantId, ids: string[], status: InboxStatus, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.update(lineWebhookInbox).set({ status, processedAt: now, attempts: sql`${lineWebhookInbox.attempts} + 1` }).where(and(eq(lineWebhookInbox.tenantId, tenantId), inArray(lineWebhookInbox.id, ids)));
}

/** A failed event stays pending for another try, until the third failure parks it as failed. */
export async function recordFailure(tx: Tx, tenantId: TenantId, id: string, error: string, maxAttempts: number): Promise<void> {
  await tx
    .update(lineWebhookInbox)
    .set({
      attempts: sql`${lineWebhookInbox.attempts} + 1`,
      lastError: error.slice(0, 500),
      status: sql`case when ${lineWebhookInbox.attempts} + 1 >= ${maxAttempts} then 'failed' else 'pending' end`,
    })
    .where(and(eq(lineWebhookInbox.tenantId, tenantId), eq(lineWebhookInbox.id, id)));
}
