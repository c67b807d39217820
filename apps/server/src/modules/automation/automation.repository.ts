import { and, desc, eq, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { textArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import { nameKeyOf, nameKeySql } from '../../core/db/name-key.ts';
import type { TenantId } from '../../core/ids.ts';
import type { AutomationTriggerKind } from '@innkeeper/contracts';
import { automationRules, automationRuns, automationRunSteps, type RunStepStatus } from './automation.tables.ts';

export type RuleRow = typeof automationRules.$inferSelect;
export type RunRow = typeof automationRuns.$inferSelect;
export type RunStepRow = typeof automationRunSteps.$inferSelect;

/** Rules of the given properties and the group-wide ones ('all': every rule). */
function inScope(scope: readonly string[] | 'all'): SQL | undefined {
  if (scope === 'all') return undefined;
  return sql`(${automationRules.propertyId} is null or ${automationRules.propertyId} = any(${uuidArray(scope)}))`;
}

export async function insertRule(tx: Tx, row: typeof automationRules.$inferInsert): Promise<RuleRow> {
  const [created] = await tx.insert(automationRules).values(row).returning();
  return created!;
}

export async function findRule(tx: Tx, tenantId: TenantId, id: string, scope: readonly string[] | 'all'): Promise<RuleRow | undefined> {
  const [row] = await tx.select().from(automationRules).where(and(eq(automationRules.tenantId, tenantId), eq(automationRules.id, id), inScope(scope)));
  return row;
}

export type RuleListRow = RuleRow & { entered: number; completed: number };

export async function listRules(tx: Tx, tenantId: TenantId, scope: readonly string[] | 'all'): Promise<RuleListRow[]> {
  const rows = await tx
    .select({
      rule: automationRules,
      // The outer columns are named with their table: a single-table select renders ${automationRules.id} as a bare
      // "id", which inside the subquery is the run's own id, so every rule counted 0 runs.
      entered: sql<number>`(select count(*)::int from automation_runs r where r.tenant_id = "automation_rules"."tenant_id" and r.rule_id = "automation_rules"."id")`,
      completed: sql<number>`(select count(*)::int from automation_runs r where r.tenant_id = "automation_rules"."tenant_id" and r.rule_id = "automation_rules"."id" and r.status = 'completed')`,
    })
    .from(automationRules)
    .where(and(eq(automationRules.tenantId, tenantId), inScope(scope)))
    .orderBy(desc(automationRules.updatedAt), automationRules.id);
  return rows.map((r) => ({ ...r.rule, entered: Number(r.entered), completed: Number(r.completed) }));
}

/** An edit of a switched-off rule at the version the editor read (compare-and-set): the new version, or undefined. */
export async function updateRule(tx: Tx, tenantId: TenantId, id: string, expectedVersion: number, patch: Partial<typeof automationRules.$inferInsert>, now: Date): Promise<RuleRow | undefined> {
  // The version this edit replaces is kept first (migration 0035), its row locked, so the version kept is the one the
  // update below replaces even when two edits race: messages sent with it keep their buttons working.
  await tx.execute(sql`
    insert into automation_rule_versions (tenant_id, rule_id, version, steps)
    select tenant_id, id, version, steps from automation_rules where tenant_id = ${tenantId} and id = ${id} and not enabled for update
    on conflict (tenant_id, rule_id, version) do nothing`);
  const [row] = await tx
    .update(automationRules)
    .set({ ...patch, version: sql`${automationRules.version} + 1`, updatedAt: now })
    .where(
      and(
        eq(automationRules.tenantId, tenantId),
        eq(automationRules.id, id),
        eq(automationRules.enabled, false),
        eq(automationRules.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

/** The steps of the rule's version `version` as they were when it was replaced by an edit, if it was. */
export async function findReplacedSteps(tx: Tx, tenantId: TenantId, ruleId: string, version: number): Promise<RuleRow['steps'] | undefined> {
  const [row] = await queryRows<{ steps: RuleRow['steps'] }>(tx, sql`select steps from automation_rule_versions where tenant_id = ${tenantId} and rule_id = ${ruleId} and version = ${version}`);
  return row?.steps;
}

export async function deleteRule(tx: Tx, tenantId: TenantId, id: string): Promise<boolean> {
  const rows = await tx.delete(automationRules).where(and(eq(automationRules.tenantId, tenantId), eq(automationRules.id, id), eq(automationRules.enabled, false))).returning({ id: automationRules.id });
  return rows.length > 0;
}

/** Off → on at the version reviewed, or on → off (compare-and-set): the rule as it now is, or undefined. */
export async function setEnabled(tx: Tx, tenantId: TenantId, id: string, change: { enabled: true; version: number; by: string | null } | { enabled: false }, now: Date): Promise<RuleRow | undefined> {
  const [row] = await tx
    .update(automationRules)
    .set(change.enabled ? { enabled: true, enabledBy: change.by, enabledAt: now, updatedAt: now } : { enabled: false, updatedAt: now })
    .where(
      and(
        eq(automationRules.tenantId, tenantId),
        eq(automationRules.id, id),
        eq(automationRules.enabled, !change.enabled),
        change.enabled ? eq(automationRules.version, change.version) : undefined,
      ),
    )
    .returning();
  return row;
}

/** The switched-on rules a trigger starts (a tag trigger: only those of that tag). */
export function findEnabledRules(tx: Tx, tenantId: TenantId, kind: AutomationTriggerKind, tagId?: string): Promise<RuleRow[]> {
  return tx
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.tenantId, tenantId), eq(automationRules.enabled, true), eq(automationRules.triggerKind, kind), tagId ? eq(automationRules.triggerTagId, tagId) : undefined));
}

export function findEnabledRulesOfKinds(tx: Tx, tenantId: TenantId, kinds: readonly AutomationTriggerKind[]): Promise<RuleRow[]> {
  return tx
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.tenantId, tenantId), eq(automationRules.enabled, true), sql`${automationRules.triggerKind} = any(${textArray(kinds)})`));
}

/**
 * Lets the candidates (a selection of member_id, occurrence_key) that the audience admits (a selection with a
 * member_id column) into the rule, each once per occurrence: the unique key makes a second offer of the same
 * occurrence, from any transaction at any time, insert nothing. Returns the runs made now, due at `now`.
 */
export async function enterRuns(tx: Tx, tenantId: TenantId, rule: { id: string; version: number }, candidates: SQL, audience: SQL, now: Date): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`insert into automation_runs (tenant_id, id, rule_id, rule_version, member_id, occurrence_key, status, step_index, due_at, entered_at, updated_at)
        select distinct on (c.member_id, c.occurrence_key) ${tenantId}, gen_random_uuid(), ${rule.id}, ${rule.version}, c.member_id, c.occurrence_key, 'running', 0, ${now}, ${now}, ${now}
          from (${candidates}) c
         where c.member_id in (select a.member_id from (${audience}) a)
        on conflict on constraint automation_runs_once_key do nothing
        returning id`,
  );
  return rows.map((r) => r.id);
}

/** Candidates given as lists (an event's members, each with its occurrence key). */
export function candidateList(memberIds: readonly string[], occurrenceKeys: readonly string[]): SQL {
  return sql`select * from unnest(${uuidArray(memberIds)}, ${textArray(occurrenceKeys)}) as c(member_id, occurrence_key)`;
}

/**
 * Claims the runs whose time has come, of switched-on rules (waiting → running, compare-and-set; `skip locked` lets a
 * second worker pass over what the first is claiming). Returns their ids, for one job each.
 */
export async function claimDueRuns(tx: Tx, tenantId: TenantId, now: Date, limit: number): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update automation_runs set status = 'running', updated_at = ${now}
         where tenant_id = ${tenantId} and status = 'waiting' and id in (
           select r.id from automation_runs r join automation_rules ru on ru.tenant_id = r.tenant_id and ru.id = r.rule_id and ru.enabled
            where r.tenant_id = ${tenantId} and r.status = 'waiting' and r.due_at <= ${now}
            order by r.due_at limit ${limit} for update of r skip locked)
         returning id`,
  );
  return rows.map((r) => r.id);
}

/** The run, locked until the transaction ends: two jobs on one run take turns. */
export async function lockRun(tx: Tx, tenantId: TenantId, runId: string): Promise<RunRow | undefined> {
  const [row] = await tx.select().from(automationRuns).where(and(eq(automationRuns.tenantId, tenantId), eq(automationRuns.id, runId))).for('update');
  return row;
}

export async function updateRun(tx: Tx, tenantId: TenantId, runId: string, patch: Partial<Pick<RunRow, 'status' | 'stepIndex' | 'dueAt' | 'reason' | 'finishedAt'>>, now: Date): Promise<void> {
  await tx.update(automationRuns).set({ ...patch, updatedAt: now }).where(and(eq(automationRuns.tenantId, tenantId), eq(automationRuns.id, runId)));
}

export async function findRunStep(tx: Tx, tenantId: TenantId, runId: string, stepIndex: number): Promise<RunStepRow | undefined> {
  const [row] = await tx.select().from(automationRunSteps).where(and(eq(automationRunSteps.tenantId, tenantId), eq(automationRunSteps.runId, runId), eq(automationRunSteps.stepIndex, stepIndex)));
  return row;
}

/** Records a step's outcome once (a second write of the same step is a no-op): returns the row as stored. */
export async function recordRunStep(tx: Tx, row: typeof automationRunSteps.$inferInsert): Promise<RunStepRow> {
  await tx.insert(automationRunSteps).values(row).onConflictDoNothing();
  return (await findRunStep(tx, row.tenantId as TenantId, row.runId, row.stepIndex))!;
}

/**
 * A send in flight settles once (compare-and-set on 'sending'). LINE's acceptance also settles a send stopped in
 * flight (skipped with its key by exitOpenRuns when the rule was switched off or changed while the request was on its
 * way): the guest got the message, so it is recorded as sent (decision 0009 §4). The one statement decides: whichever
 * of the two writes commits first, the other re-reads the row under its lock and the step ends completed.
 */
export async function settleRunStep(tx: Tx, tenantId: TenantId, runId: string, stepIndex: number, to: Extract<RunStepStatus, 'completed' | 'failed'>, reason: string, now: Date): Promise<boolean> {
  const settling =
    to === 'completed'
      ? or(eq(automationRunSteps.status, 'sending'), and(eq(automationRunSteps.status, 'skipped'), isNotNull(automationRunSteps.retryKey)))
      : eq(automationRunSteps.status, 'sending');
  const rows = await tx
    .update(automationRunSteps)
    .set({ status: to, reason: reason.slice(0, 500), settledAt: now, attempts: sql`${automationRunSteps.attempts} + 1`, ...(to === 'completed' ? { acceptedAt: now } : {}) })
    .where(and(eq(automationRunSteps.tenantId, tenantId), eq(automationRunSteps.runId, runId), eq(automationRunSteps.stepIndex, stepIndex), settling))
    .returning({ runId: automationRunSteps.runId });
  return rows.length > 0;
}

export async function noteSendAttempt(tx: Tx, tenantId: TenantId, runId: string, stepIndex: number, message: string): Promise<void> {
  await tx
    .update(automationRunSteps)
    .set({ attempts: sql`${automationRunSteps.attempts} + 1`, reason: message.slice(0, 500) })
    .where(and(eq(automationRunSteps.tenantId, tenantId), eq(automationRunSteps.runId, runId), eq(automationRunSteps.stepIndex, stepIndex)));
}

/**
 * A tap on a send's button by the guest it was sent to: the first one is kept (later taps count as clicks in the
 * history, not here); a tap by anyone else marks nothing.
 */
export async function recordClick(tx: Tx, tenantId: TenantId, tap: { runId: string; stepIndex: number; memberId: string }, at: Date): Promise<void> {
  await tx.execute(sql`
    update automation_run_steps s set clicked_at = coalesce(s.clicked_at, ${at.toISOString()}::timestamptz)
      from automation_runs r
     where s.tenant_id = ${tenantId} and s.run_id = ${tap.runId} and s.step_index = ${tap.stepIndex}
       and r.tenant_id = s.tenant_id and r.id = s.run_id and r.member_id = ${tap.memberId}`);
}

export async function findRun(tx: Tx, tenantId: TenantId, runId: string): Promise<RunRow | undefined> {
  const [row] = await tx.select().from(automationRuns).where(and(eq(automationRuns.tenantId, tenantId), eq(automationRuns.id, runId)));
  return row;
}

/** A changed rule's guests under way leave it (their steps were another version's). */
export async function exitOpenRuns(tx: Tx, tenantId: TenantId, ruleId: string, reason: string, now: Date): Promise<number> {
  // The step each guest was at (a wait under way, a send not yet settled) is settled as skipped for the same reason,
  // so the statistics say why those guests went no further. A send that had its key (it may have reached LINE
  // already, or be on its way) keeps counting toward the weekly cap: pushesSince counts it as sent-or-unknown; if
  // LINE's acceptance arrives afterwards, settleRunStep turns it into completed (sent), as the guest received it.
  await tx.execute(
    sql`update automation_run_steps s set status = 'skipped', reason = ${reason}, settled_at = ${now}
          from automation_runs r
         where s.tenant_id = ${tenantId} and r.tenant_id = s.tenant_id and r.id = s.run_id and r.rule_id = ${ruleId}
           and r.status in ('waiting', 'running') and s.status in ('waiting', 'sending')`,
  );
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update automation_runs set status = 'exited', reason = ${reason}, finished_at = ${now}, updated_at = ${now}
         where tenant_id = ${tenantId} and rule_id = ${ruleId} and status in ('waiting', 'running') returning id`,
  );
  return rows.length;
}

/** Whether a run is still under way in a switched-on rule (a send is made only then). */
export async function isRunLive(tx: Tx, tenantId: TenantId, runId: string): Promise<boolean> {
  const rows = await queryRows<{ live: boolean }>(
    tx,
    sql`select r.status = 'running' and ru.enabled as live from automation_runs r join automation_rules ru on ru.tenant_id = r.tenant_id and ru.id = r.rule_id
         where r.tenant_id = ${tenantId} and r.id = ${runId}`,
  );
  return rows[0]?.live === true;
}

export type StatsRow = { step_index: number; status: string; reason: string; n: number; clicked: number };

export function countStepOutcomes(tx: Tx, tenantId: TenantId, ruleId: string): Promise<StatsRow[]> {
  return queryRows<StatsRow>(
    tx,
    // A send stopped in flight (skipped with its retry key, exitOpenRuns) may have reached the guest: it is counted
    // apart as stopped_in_flight, not among the guests the rule left out, whatever stopped it.
    sql`select step_index, status,
               case when status = 'skipped' and retry_key is not null then 'stopped_in_flight' when status = 'skipped' then reason else '' end as reason,
               count(*)::int as n, count(clicked_at)::int as clicked
          from automation_run_steps where tenant_id = ${tenantId} and rule_id = ${ruleId}
         group by 1, 2, 3 order by 1, 2, 3`,
  );
}

export function countRuns(tx: Tx, tenantId: TenantId, ruleId: string): Promise<Array<{ status: string; step_index: number; n: number }>> {
  return queryRows(tx, sql`select status, step_index, count(*)::int as n from automation_runs where tenant_id = ${tenantId} and rule_id = ${ruleId} group by 1, 2`);
}

/** Rules that use a tag (trigger, steps or condition): their names and whether they are switched on. */
export function findRulesUsingTag(tx: Tx, tenantId: TenantId, tagId: string): Promise<Array<{ id: string; name: string; enabled: boolean }>> {
  return queryRows(
    tx,
    sql`select id, name, enabled from automation_rules
         where tenant_id = ${tenantId} and (trigger_tag_id = ${tagId} or steps::text like ${`%${tagId}%`} or coalesce(condition::text, '') like ${`%${tagId}%`})`,
  );
}

export async function findRuleNames(tx: Tx, tenantId: TenantId, ids: readonly string[], scope: readonly string[] | 'all'): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: automationRules.id, name: automationRules.name })
    .from(automationRules)
    .where(and(eq(automationRules.tenantId, tenantId), sql`${automationRules.id} = any(${uuidArray(ids)})`, inScope(scope)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * `base` if no rule of the tenant has it, else 「base（n）」 with the smallest n from 2 that none has: whatever
 * properties the rules belong to, since a name is unique across the tenant (migration 0058), also among rules the
 * account cannot see. The database decides which names are taken, with the folding the unique index compares (in any
 * case and width, nameKeySql, migration 0064): JavaScript's lower case and NFKC differ from it on some letters (「İ」,
 * and whatever the database's locale or Unicode version maps otherwise), and a name the app thought free was then
 * refused by the index. The numbered candidates are compared folded too: 「（」 folds to 「(」, and a folded name may be
 * longer than the name (「㍿」 is 「株式会社」), so the prefix is measured on the folded base. With k rules named like
 * `base`, one of the first k + 1 candidates is free.
 */
export async function firstFreeName(tx: Tx, tenantId: TenantId, base: string): Promise<string> {
  // One statement, so one snapshot: counted in one statement and looked up in the next, names committed in between by
  // staff (「base（3）」 typed by hand) could fill every candidate (attack review 2026-12-07c, a 500 on PostgreSQL).
  const key = nameKeySql(sql`name`);
  const [free] = await queryRows<{ name: string }>(
    tx,
    sql`with folded as (select ${nameKeyOf(base)} as base, ${nameKeyOf(base + '（')} as numbered),
        taken as (
          select ${key} as key from automation_rules, folded
          where tenant_id = ${tenantId} and (${key} = folded.base or left(${key}, char_length(folded.numbered)) = folded.numbered)
        )
        select candidate.name from (
          select ${base}::text as name, 1 as place
          union all
          select ${base}::text || '（' || n || '）', n from generate_series(2, (select count(*)::int from taken) + 1) as n
        ) candidate
        where ${nameKeySql(sql`candidate.name`)} not in (select key from taken)
        order by candidate.place limit 1`,
  );
  if (!free) throw new Error('no free rule name among the candidates');
  return free.name;
}

/**
 * The tenant's template uses one after another, until the holder's transaction ends: each then reads the names and
 * tags the ones before it committed. Without it, n people using a template at once all read the same free 「名稱（n）」
 * and only one of them wins each round (the tenth was refused as automation.name_taken after five rounds), and two
 * first uses both made the template's tag (the second refused as tag.name_taken). An advisory lock reads no table.
 */
export async function lockTemplateUses(tx: Tx, tenantId: TenantId): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`automation-template:${tenantId}`}, 0))`);
}

/** The rule each of these runs belongs to (runs not found are left out). */
export async function findRunRules(tx: Tx, tenantId: TenantId, runIds: readonly string[]): Promise<Map<string, string>> {
  if (runIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: automationRuns.id, ruleId: automationRuns.ruleId })
    .from(automationRuns)
    .where(and(eq(automationRuns.tenantId, tenantId), sql`${automationRuns.id} = any(${uuidArray(runIds)})`));
  return new Map(rows.map((r) => [r.id, r.ruleId]));
}

/**
 * Two records of one guest merged: their runs become the kept member's, except where the kept member already entered
 * the same rule for the same occurrence (that run is theirs; the merged record's copy leaves, as it would have been a
 * second entry).
 */
export async function moveRuns(tx: Tx, tenantId: TenantId, mergedId: string, keepId: string): Promise<void> {
  await tx.execute(sql`
    update automation_runs r set member_id = ${keepId}, updated_at = now()
     where r.tenant_id = ${tenantId} and r.member_id = ${mergedId}
       and not exists (select 1 from automation_runs k where k.tenant_id = r.tenant_id and k.rule_id = r.rule_id and k.member_id = ${keepId} and k.occurrence_key = r.occurrence_key)`);
  await tx.execute(sql`update automation_run_steps set member_id = ${keepId} where tenant_id = ${tenantId} and member_id = ${mergedId}
                        and run_id in (select id from automation_runs where tenant_id = ${tenantId} and member_id = ${keepId})`);
  await tx.execute(sql`delete from automation_runs where tenant_id = ${tenantId} and member_id = ${mergedId}`);
}

export async function deleteRunsOf(tx: Tx, tenantId: TenantId, memberId: string): Promise<void> {
  await tx.execute(sql`delete from automation_runs where tenant_id = ${tenantId} and member_id = ${memberId}`);
}

/** The one guest a delivery audience (segments' deliveryAudience for one member) selects, or undefined. */
export async function findAudienceRow(tx: Tx, audience: SQL): Promise<{ member_id: string; line_user_id: string | null; skip: 'no_line' | 'blocked' | 'no_consent' | null; placeholders: Record<string, string> } | undefined> {
  const [row] = await queryRows<{ member_id: string; line_user_id: string | null; skip: 'no_line' | 'blocked' | 'no_consent' | null; placeholders: Record<string, string> }>(tx, sql`select * from (${audience}) a limit 1`);
  return row;
}

/** A wait whose time has come is completed. */
export async function settleWait(tx: Tx, tenantId: TenantId, runId: string, stepIndex: number, now: Date): Promise<void> {
  await tx
    .update(automationRunSteps)
    .set({ status: 'completed', settledAt: now })
    .where(and(eq(automationRunSteps.tenantId, tenantId), eq(automationRunSteps.runId, runId), eq(automationRunSteps.stepIndex, stepIndex), eq(automationRunSteps.status, 'waiting')));
}

/**
 * One member_id row per automated push that counts toward the weekly cap since `since`: accepted by LINE then, or in
 * flight now (its key stored before the first attempt; a send that fails stops counting), or stopped in flight when
 * its rule was switched off or changed (skipped with its key: LINE may have taken it, so it counts, for the week).
 */
export function pushesSince(tenantId: TenantId, since: Date): SQL {
  return sql`select member_id from automation_run_steps where tenant_id = ${tenantId}
              and ((accepted_at is not null and accepted_at > ${since}) or status = 'sending'
                   or (status = 'skipped' and retry_key is not null and settled_at > ${since}))`;
}

export type QuietRun = { id: string; requeues: number };

/** Runs 'running' that showed no life since `before` (their job may be lost), quietest first. */
export async function findQuietRuns(tx: Tx, tenantId: TenantId, before: Date, limit: number): Promise<QuietRun[]> {
  return queryRows<QuietRun>(
    tx,
    sql`select id, requeues from automation_runs where tenant_id = ${tenantId} and status = 'running' and updated_at < ${before} order by updated_at, id limit ${limit}`,
  );
}

/**
 * Claims a lost run for queueing again: compare-and-set on it being still running and still quiet since `before`, so
 * of two sweeps (or a sweep and a job that just moved it on) one queues it.
 */
export async function claimLostRun(tx: Tx, tenantId: TenantId, runId: string, before: Date, now: Date): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update automation_runs set requeues = requeues + 1, updated_at = ${now}
         where tenant_id = ${tenantId} and id = ${runId} and status = 'running' and updated_at < ${before} returning id`,
  );
  return rows.length > 0;
}

/** A run lost too often: failed with the reason, and a send it had in flight with it (compare-and-set as above). */
export async function failLostRun(tx: Tx, tenantId: TenantId, runId: string, before: Date, reason: string, now: Date): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update automation_runs set status = 'failed', reason = ${reason}, finished_at = ${now}, updated_at = ${now}
         where tenant_id = ${tenantId} and id = ${runId} and status = 'running' and updated_at < ${before} returning id`,
  );
  if (rows.length === 0) return false;
  await tx.execute(sql`update automation_run_steps set status = 'failed', reason = ${reason}, settled_at = ${now}
                        where tenant_id = ${tenantId} and run_id = ${runId} and status = 'sending'`);
  return true;
}

/** A run whose job gave up: failed, unless it has moved on meanwhile. */
export async function failRunIfRunning(tx: Tx, tenantId: TenantId, runId: string, reason: string, now: Date): Promise<void> {
  await tx
    .update(automationRuns)
    .set({ status: 'failed', reason, finishedAt: now, updatedAt: now })
    .where(and(eq(automationRuns.tenantId, tenantId), eq(automationRuns.id, runId), eq(automationRuns.status, 'running')));
}
