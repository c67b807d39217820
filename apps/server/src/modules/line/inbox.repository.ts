import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { lineWebhookInbox, type InboxStatus } from './line.tables.ts';

export type InboxRow = typeof lineWebhookInbox.$inferSelect;

/**
 * Stores new events; an event whose webhookEventId is already stored (a redelivery) is skipped. Returns how many were
 * new. One statement with one JSON parameter however many events there are: a VALUES list would be 9 parameters an
 * event for the query builder to assemble on every webhook.
 */
export async function insertEvents(tx: Tx, rows: Array<typeof lineWebhookInbox.$inferInsert>): Promise<number> {
  if (rows.length === 0) return 0;
  const records = JSON.stringify(
    rows.map((r) => ({
      tenant_id: r.tenantId,
      id: r.id,
      channel_id: r.channelId,
      webhook_event_id: r.webhookEventId,
      event_type: r.eventType,
      line_user_id: r.lineUserId ?? null,
      occurred_at: r.occurredAt,
      payload: r.payload,
      is_redelivery: r.isRedelivery ?? false,
    })),
  );
  const inserted = await queryRows<{ id: string }>(
    tx,
    sql`insert into line_webhook_inbox (tenant_id, id, channel_id, webhook_event_id, event_type, line_user_id, occurred_at, payload, is_redelivery)
        select tenant_id, id, channel_id, webhook_event_id, event_type, line_user_id, occurred_at, payload, is_redelivery
        from jsonb_to_recordset(${records}::jsonb)
          as t(tenant_id uuid, id uuid, channel_id uuid, webhook_event_id text, event_type text, line_user_id text, occurred_at timestamptz, payload jsonb, is_redelivery boolean)
        on conflict (tenant_id, webhook_event_id) do nothing
        returning id`,
  );
  return inserted.length;
}

/** Advisory-lock namespace ('LINA') for a tenant's webhook arrivals, see holdArrival / awaitArrivals. */
const ARRIVAL_LOCK = 0x4c494e41;

/**
 * A webhook transaction holds its tenant's arrival lock, shared, until it commits: requests of one tenant never wait
 * for each other, only for a worker's awaitArrivals.
 */
export async function holdArrival(tx: Tx, tenantId: TenantId): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${ARRIVAL_LOCK}, hashtext(${tenantId}))`);
}

/**
 * Waits until every webhook transaction of the tenant that is under way has committed or failed (taking the lock
 * exclusively, in the caller's short transaction, which releases it at once). A claim after this sees every event
 * whose request had reached the database, so a follow committed a moment after its guest's first message, by a
 * concurrent request, is still claimed before that message.
 */
export async function awaitArrivals(tx: Tx, tenantId: TenantId): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ARRIVAL_LOCK}, hashtext(${tenantId}))`);
}

/** Advisory-lock namespace ('LINE') for a tenant's drains, see takeDrainTurn. */
const DRAIN_LOCK = 0x4c494e45;

/** The tenant's drain lock, until the transaction ends: a tenant's batches take turns. */
export async function takeDrainTurn(tx: Tx, tenantId: TenantId): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${DRAIN_LOCK}, hashtext(${tenantId}))`);
}

/**
 * Claims the oldest pending events in LINE's order: the event's timestamp, then arrival, then id. The caller holds the
 * tenant's drain lock, so the claim is a prefix of the tenant's pending events in that order: a batch never holds a
 * guest's event while an older pending one of that guest is left out.
 *
 * Bounded by the batch, whatever the backlog: the `limit` oldest timestamps are read off the partial pending index in
 * order, and only rows no later than the last of them are sorted and locked. (A plain ORDER BY … LIMIT … FOR UPDATE
 * puts the row locks between the sort and the limit, so it sorts every pending row, payloads included.)
 * The statement is planned with sequential and bitmap scans off: with stale statistics (a table that grew fast, a
 * late autovacuum) the planner otherwise reads the whole backlog to find the oldest rows.
 */
export async function claimPending(tx: Tx, tenantId: TenantId, limit: number): Promise<InboxRow[]> {
  const [saved] = await queryRows<{ bitmap: string; seq: string }>(
    tx,
    sql`select current_setting('enable_bitmapscan') as bitmap, current_setting('enable_seqscan') as seq, set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`,
  );
  try {
    const horizon = sql`(select max(head.occurred_at) from (select occurred_at from line_webhook_inbox where tenant_id = ${tenantId} and status = 'pending' order by occurred_at limit ${limit}) head)`;
    return await tx
      .select()
      .from(lineWebhookInbox)
      .where(and(eq(lineWebhookInbox.tenantId, tenantId), eq(lineWebhookInbox.status, 'pending'), lte(lineWebhookInbox.occurredAt, horizon)))
      .orderBy(lineWebhookInbox.occurredAt, lineWebhookInbox.receivedAt, lineWebhookInbox.id)
      .limit(limit)
      .for('update', { skipLocked: true });
  } finally {
    await tx.execute(sql`select set_config('enable_bitmapscan', ${saved!.bitmap}, true), set_config('enable_seqscan', ${saved!.seq}, true)`);
  }
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
