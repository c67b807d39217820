import { sql } from 'drizzle-orm';
import { intArray, textArray, timestamptzArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Database, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';

/** A click on a campaign's button, or (`run`) on a button of one guest's automated send. */
export type NewClick = { id: string; campaignId: string | null; run?: { runId: string; stepIndex: number } | undefined; actionId: string; lineUserId: string | null; via: 'liff' | 'link'; clickedAt: Date };

/** Anonymous clicks added up: how many clicks one button (of a campaign or a run's step) had, by way in, in one minute. */
export type ClickCount = { campaignId: string | null; run?: { runId: string; stepIndex: number } | undefined; actionId: string; via: 'liff' | 'link'; minute: Date; clicks: number };

/**
 * Stores a group commit's clicks in one statement that is its own transaction, committed when this resolves: the
 * function campaign_clicks_receive_counted (migration 0054; 0049 before it) takes the app role and the tenant for it,
 * inserts the identified clicks as rows (the click applier tags their guest from them) and adds the anonymous clicks'
 * sums to campaign_click_counts (nobody to tag, so a count is all a click outside LINE leaves). A batch is one round
 * trip. Clicks on a campaign (or an automated run) deleted since its link was read are dropped, so one vanished
 * campaign cannot fail the batch. The commit does not wait for the WAL to reach the disk (asynchronous commit, for
 * this transaction only): the clicks are safe from a crash of this process or of the worker the moment this resolves,
 * and only a crash of the database server itself within its WAL writer's delay (200 ms by default) could lose them;
 * for a click count that is the right price for a redirect that does not wait on a disk flush under load. Returns how
 * many identified (pending) clicks were stored.
 */
export async function receiveClicks(db: Database, tenantId: TenantId, clicks: readonly NewClick[], counts: readonly ClickCount[] = []): Promise<number> {
  if (clicks.length === 0 && counts.length === 0) return 0;
  const [row] = await db.statement<{ pending: number }>(
    sql`select campaign_clicks_receive_counted(${tenantId}, ${uuidArray(clicks.map((c) => c.id))}, ${uuidArray(clicks.map((c) => c.campaignId))},
                                       ${uuidArray(clicks.map((c) => c.run?.runId ?? null))}, ${intArray(clicks.map((c) => c.run?.stepIndex ?? null))},
                                       ${textArray(clicks.map((c) => c.actionId))}, ${textArray(clicks.map((c) => c.lineUserId))},
                                       ${textArray(clicks.map((c) => c.via))}, ${timestamptzArray(clicks.map((c) => c.clickedAt))},
                                       ${uuidArray(counts.map((c) => c.campaignId))}, ${uuidArray(counts.map((c) => c.run?.runId ?? null))},
                                       ${intArray(counts.map((c) => c.run?.stepIndex ?? null))}, ${textArray(counts.map((c) => c.actionId))},
                                       ${textArray(counts.map((c) => c.via))}, ${timestamptzArray(counts.map((c) => c.minute))},
                                       ${intArray(counts.map((c) => c.clicks))}) as pending`,
  );
  return row?.pending ?? 0;
}

/** Whether the tenant has identified clicks waiting for the applier (the sweep's question: the partial pending index). */
export async function hasPendingClicks(tx: Tx, tenantId: TenantId): Promise<boolean> {
  const [row] = await queryRows<{ waiting: boolean }>(tx, sql`select exists (select 1 from campaign_clicks where tenant_id = ${tenantId} and status = 'pending') as waiting`);
  return row?.waiting ?? false;
}

export type PendingClick = { id: string; campaignId: string | null; run: { runId: string; stepIndex: number } | undefined; actionId: string; lineUserId: string; clickedAt: Date; attempts: number };

/**
 * Takes up to `limit` pending clicks of the tenant, oldest first, locked for this transaction; clicks another worker
 * holds are skipped (it is applying them), so several workers share a burst.
 */
export async function claimPendingClicks(tx: Tx, tenantId: TenantId, limit: number): Promise<PendingClick[]> {
  const rows = await queryRows<{ id: string; campaign_id: string | null; automation_run_id: string | null; automation_step: number | null; action_id: string; line_user_id: string; clicked_at: string | Date; attempts: number }>(
    tx,
    sql`select id, campaign_id, automation_run_id, automation_step, action_id, line_user_id, clicked_at, attempts from campaign_clicks
        where tenant_id = ${tenantId} and status = 'pending'
        order by clicked_at, id
        limit ${limit}
        for update skip locked`,
  );
  return rows.map((r) => ({
    id: r.id,
    campaignId: r.campaign_id,
    run: r.automation_run_id ? { runId: r.automation_run_id, stepIndex: r.automation_step ?? 0 } : undefined,
    actionId: r.action_id,
    lineUserId: r.line_user_id,
    clickedAt: new Date(r.clicked_at),
    attempts: r.attempts,
  }));
}

export async function settleClick(tx: Tx, tenantId: TenantId, id: string, outcome: { status: 'applied' | 'no_member'; memberId: string | null }, now: Date): Promise<void> {
  await tx.execute(sql`update campaign_clicks set status = ${outcome.status}, member_id = ${outcome.memberId}, processed_at = ${now.toISOString()}
                       where tenant_id = ${tenantId} and id = ${id} and status = 'pending'`);
}

/** A failed attempt: counted; the third one gives up (the click stays counted, nobody is tagged). */
export async function noteClickFailure(tx: Tx, tenantId: TenantId, id: string, error: string, maxAttempts: number, now: Date): Promise<void> {
  await tx.execute(sql`update campaign_clicks
                       set attempts = attempts + 1, error = ${error.slice(0, 500)},
                           status = case when attempts + 1 >= ${maxAttempts} then 'failed' else 'pending' end,
                           processed_at = case when attempts + 1 >= ${maxAttempts} then ${now.toISOString()}::timestamptz else null end
                       where tenant_id = ${tenantId} and id = ${id} and status = 'pending'`);
}

export type ClickCounts = { action_id: string; clicks: number; identified: number; anonymous: number; guests: number; pending: number };

/**
 * Per button: every click (repeat clicks included), identified and anonymous ones, distinct guests, still pending.
 * Anonymous clicks are the rows without a guest (a guest erased since, or stored before migration 0054) and the sums
 * in campaign_click_counts.
 */
export function countClicks(tx: Tx, tenantId: TenantId, campaignId: string): Promise<ClickCounts[]> {
  return queryRows<ClickCounts>(
    tx,
    sql`select action_id, sum(clicks)::int as clicks, sum(identified)::int as identified, sum(anonymous)::int as anonymous,
               sum(guests)::int as guests, sum(pending)::int as pending
        from (
          select action_id, count(*) as clicks,
                 count(*) filter (where status <> 'anonymous') as identified,
                 count(*) filter (where status = 'anonymous') as anonymous,
                 count(distinct line_user_id) as guests,
                 count(*) filter (where status = 'pending') as pending
            from campaign_clicks where tenant_id = ${tenantId} and campaign_id = ${campaignId}
           group by action_id
          union all
          select action_id, sum(clicks), 0, sum(clicks), 0, 0
            from campaign_click_counts where tenant_id = ${tenantId} and campaign_id = ${campaignId}
           group by action_id
        ) as both_kinds
        group by action_id order by action_id`,
  );
}

/** Per send step of an automation rule: every click on its URL buttons (repeats and anonymous ones included). */
export function countRuleClicks(tx: Tx, tenantId: TenantId, ruleId: string): Promise<Array<{ step: number; clicks: number }>> {
  return queryRows(
    tx,
    sql`select step, sum(clicks)::int as clicks
          from (
            select k.automation_step as step, count(*) as clicks
              from campaign_clicks k join automation_runs r on r.tenant_id = k.tenant_id and r.id = k.automation_run_id
             where k.tenant_id = ${tenantId} and r.rule_id = ${ruleId}
             group by 1
            union all
            select k.automation_step, sum(k.clicks)
              from campaign_click_counts k join automation_runs r on r.tenant_id = k.tenant_id and r.id = k.automation_run_id
             where k.tenant_id = ${tenantId} and r.rule_id = ${ruleId}
             group by 1
          ) as both_kinds
         group by 1 order by 1`,
  );
}

/** Two records of one guest merged: the merged one's clicks are the kept member's. */
export async function moveClicks(tx: Tx, tenantId: TenantId, mergedId: string, keepId: string): Promise<void> {
  await tx.execute(sql`update campaign_clicks set member_id = ${keepId} where tenant_id = ${tenantId} and member_id = ${mergedId}`);
}

/**
 * A guest erased for good: their clicks stay counted, without their LINE user id or member — the ones already
 * tagged to the member, and the ones that never were (still pending, or clicked while no member held the LINE user).
 */
export async function anonymiseClicksOf(tx: Tx, tenantId: TenantId, memberId: string, lineUserId: string | null): Promise<void> {
  await tx.execute(
    sql`update campaign_clicks set line_user_id = null, member_id = null, status = 'anonymous'
        where tenant_id = ${tenantId} and (member_id = ${memberId} or (${lineUserId}::text is not null and line_user_id = ${lineUserId}))`,
  );
}
