import { randomUUID } from 'node:crypto';
import type { messagingApi } from '@line/bot-sdk';
import { AUTOMATION_TIME_TRIGGERS, type AutomationTriggerKind } from '@innkeeper/contracts';
import type { AutomationStep } from '@innkeeper/contracts/api';
import type { SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type TenantContext } from '../../core/context.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import { asTenantId, type TenantId } from '../../core/ids.ts';
import type { JobDefinition, JobQueue, JobRef } from '../../core/jobs/queue.ts';
import type { MarketingSends } from '../campaigns/index.ts';
import { sendUntilSettled, type LineSender, type SendingChannel, type SendOutcome } from '../line/index.ts';
import { memberMomentSources, memberSelection, type LineMomentHook } from '../members/index.ts';
import { calendarDate, type SegmentsService } from '../segments/index.ts';
import type { TagAddedHook, TagsService } from '../tags/index.ts';
import { getCurrentTenant, perTenantCron } from '../tenants/index.ts';
import * as repo from './automation.repository.ts';
import type { RuleRow, RunRow } from './automation.repository.ts';

const ZRunJob = z.strictObject({ tenantId: z.uuid(), runId: z.uuid() });
export type RunJob = z.infer<typeof ZRunJob>;
/** One guest's run of a rule, worked on until it waits, ends or sends (a send settles before the next step). */
export const RUN_JOB: JobRef<RunJob> = { name: 'automation.run', schema: ZRunJob };

/** Runs of a run job after its first: the last one still refused by LINE fails the send (and the run). */
const RUN_RETRIES = 10;
/** Attempts of one send within one job run before the queue retries the job (with the same stored key). */
const ATTEMPTS_PER_RUN = 3;
/** Days a time trigger looks back, so a scan missed (a worker down for a day) still lets its guests in. */
const CATCH_UP_DAYS = 2;
/**
 * A run 'running' with no sign of life for this long and no job holding it is taken for lost (its job died on its
 * last try): longer than a job's expiry plus its retries' backoff, and the sweep asks the queue besides.
 */
export const LOST_RUN_AFTER_MS = 10 * 60_000;
/** A run whose job was lost this many times is failed with the reason instead of being queued once more. */
const MAX_REQUEUES = 3;
/** Runs the sweep looks at per tenant and run (the rest at the next run). */
const SWEEP_LIMIT = 1000;
/** Runs claimed per round by the per-minute job. */
const CLAIM_BATCH = 500;
/** The actor automation's work is recorded under (the history shows 規則). */
const ACTOR = 'rule';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The rule's name for LINE's per-unit statistics (`^[a-zA-Z0-9_]{1,30}$`): its id and the step. */
export function automationUnitOf(ruleId: string, stepIndex: number): string {
  return `a${ruleId.replaceAll('-', '').slice(0, 26)}s${stepIndex}`.slice(0, 30);
}

/** A postback of an automated send names the run, the step and the button (at most 300 characters). */
export function automationPostbackData(runId: string, stepIndex: number, actionId: string): string {
  return `auto=${runId}&step=${stepIndex}&action=${actionId}`;
}

type Deps = {
  db: Database;
  clock: Clock;
  logger: Logger;
  queue: () => JobQueue;
  segments: SegmentsService;
  tags: TagsService;
  sends: MarketingSends;
  sender: LineSender;
};

type SendPlan = { kind: 'send'; run: RunRow; stepIndex: number; channel: SendingChannel; to: string; retryKey: string; messages: messagingApi.Message[]; unit: string };

/**
 * The automation engine. Guests enter a rule when its trigger happens to them — an event told by the tags and members
 * modules inside the transaction that records it, or a moment the hourly scan finds in members and stays — once per
 * occurrence (the database's unique key on rule, member and occurrence). Each run is worked on by a job: steps run in
 * order, a wait (or the hotel's quiet hours) parks the run until its time, when the per-minute job hands it to a job
 * again. A send stores its retry key before its first attempt and goes out through the LINE sending port; a retry is
 * the same send, which LINE accepts once.
 */
export function createAutomationEngine(deps: Deps) {
  const { db, clock } = deps;

  function contextOf(tx: Tx, tenantId: TenantId, requestId: string): TenantContext {
    return systemContext(tx, tenantId, ACTOR, { requestId });
  }

  /** Who of the guests a rule lets in: its condition (segment or conditions) within its property; undefined if it cannot say. */
  async function audienceOf(ctx: TenantContext, rule: RuleRow): Promise<SQL | undefined> {
    const condition = rule.condition;
    const audience = condition?.kind === 'segment' ? { segmentId: condition.segmentId } : condition?.kind === 'conditions' ? { definition: condition.definition } : {};
    try {
      return await deps.segments.deliveryAudience(ctx, audience, rule.propertyId === null ? 'all' : [rule.propertyId]);
    } catch (error) {
      // The segment (or a tag its conditions name) was deleted since: the rule lets nobody in until it is fixed.
      if (error instanceof AppError) {
        deps.logger.warn({ tenantId: ctx.tenantId, ruleId: rule.id, code: error.code }, 'automation rule condition cannot be evaluated; nobody enters');
        return undefined;
      }
      throw error;
    }
  }

  /** One job per run, holding the run's id as its key: the sweep asks the queue whether a job still holds a run. */
  function enqueueRuns(tx: Tx, tenantId: TenantId, runIds: readonly string[]): Promise<void> {
    return deps.queue().enqueueMany(tx, RUN_JOB, runIds.map((runId) => ({ data: { tenantId, runId }, singletonKey: runId })));
  }

  /** Lets the candidates into each of the rules (as their conditions admit), once per occurrence; queues a job per new run. */
  async function enter(ctx: TenantContext, rules: readonly RuleRow[], candidates: (rule: RuleRow) => SQL | undefined): Promise<number> {
    if (rules.length === 0) return 0;
    const system = contextOf(ctx.db, ctx.tenantId, 'automation.enter');
    const now = clock.now();
    let entered = 0;
    for (const rule of rules) {
      const selection = candidates(rule);
      const audience = selection && (await audienceOf(system, rule));
      if (!selection || !audience) continue;
      const runIds = await repo.enterRuns(ctx.db, ctx.tenantId, rule, selection, audience, now);
      await enqueueRuns(ctx.db, ctx.tenantId, runIds);
      entered += runIds.length;
    }
    return entered;
  }

  /** Event trigger: members newly carrying a tag (any source: staff, import, a campaign button, another rule). */
  const onTagAdded: TagAddedHook = async (ctx, added) => {
    const rules = await repo.findEnabledRules(ctx.db, ctx.tenantId, 'tag_added', added.tagId);
    if (rules.length === 0) return;
    const key = `tag:${added.tagId}:${added.at.toISOString()}`;
    await enter(ctx, rules, () => repo.candidateList(added.memberIds, added.memberIds.map(() => key)));
  };

  /** Event triggers: a new LINE friend (not an unblock), and a completed binding. */
  const onLineMoment: LineMomentHook = async (ctx, moment) => {
    if (moment.kind === 'followed' && moment.isUnblocked) return;
    const kind: AutomationTriggerKind = moment.kind === 'followed' ? 'friend_added' : 'binding_completed';
    const rules = await repo.findEnabledRules(ctx.db, ctx.tenantId, kind);
    if (rules.length === 0) return;
    const key = `${moment.kind === 'followed' ? 'follow' : 'bound'}:${moment.at.toISOString()}`;
    await enter(ctx, rules, () => repo.candidateList([moment.memberId], [key]));
  };

  /**
   * Time triggers (the hourly scan): for each switched-on rule whose hour has come today (hotel time), the guests
   * whose moment falls on today — or on the days before, up to CATCH_UP_DAYS, should a scan have been missed.
   */
  async function scanTimeTriggers(ctx: TenantContext): Promise<number> {
    const rules = await repo.findEnabledRulesOfKinds(ctx.db, ctx.tenantId, AUTOMATION_TIME_TRIGGERS);
    if (rules.length === 0) return 0;
    const now = clock.now();
    const { timezone } = await getCurrentTenant(ctx);
    const today = calendarDate(now, timezone);
    const hour = localHour(now, timezone);
    const due = rules.filter((rule) => 'hour' in rule.trigger && hour >= rule.trigger.hour);
    return enter(ctx, due, (rule) => {
      const trigger = rule.trigger;
      switch (trigger.kind) {
        case 'checked_out':
          return memberMomentSources.checkedOut(ctx, { from: addDays(today, -(trigger.days + CATCH_UP_DAYS)), to: addDays(today, -trigger.days), propertyId: rule.propertyId });
        case 'arrival': {
          // Arriving in N days; a scan missed shows the stay a day or two closer, still before it begins.
          const from = addDays(today, Math.max(0, trigger.days - CATCH_UP_DAYS));
          return memberMomentSources.arriving(ctx, { from: from > today ? from : today, to: addDays(today, trigger.days), propertyId: rule.propertyId });
        }
        case 'birthday': {
          const days = Array.from({ length: CATCH_UP_DAYS + 1 }, (_, i) => addDays(today, -i)).filter((d) => d.slice(0, 4) === today.slice(0, 4));
          const monthDays = days.map((d) => d.slice(5));
          // 29 February's guests celebrate on the 28th in other years.
          if (monthDays.includes('02-28') && !isLeapYear(Number(today.slice(0, 4)))) monthDays.push('02-29');
          return memberMomentSources.birthdays(ctx, { monthDays, year: Number(today.slice(0, 4)) });
        }
        case 'no_interaction':
          return memberMomentSources.lastInteractedBetween(ctx, { from: new Date(now.getTime() - (trigger.days + CATCH_UP_DAYS) * 86_400_000), to: new Date(now.getTime() - trigger.days * 86_400_000) });
        default:
          return undefined;
      }
    });
  }

  /** The per-minute job: runs whose wait (or quiet hours) is over, of switched-on rules, each handed to a job. */
  async function claimDue(ctx: TenantContext): Promise<number> {
    let total = 0;
    for (;;) {
      const runIds = await repo.claimDueRuns(ctx.db, ctx.tenantId, clock.now(), CLAIM_BATCH);
      await enqueueRuns(ctx.db, ctx.tenantId, runIds);
      total += runIds.length;
      if (runIds.length < CLAIM_BATCH) return total;
    }
  }

  /**
   * A run never hangs on a lost job: a run 'running' that showed no life for LOST_RUN_AFTER_MS and has no job left in
   * the queue (its worker died on the last try, the queue's rows were lost) is queued again. A send it had in flight
   * keeps its stored retry key, so if LINE already accepted it the new job meets 409 and records it sent: nobody gets
   * it twice. A run lost MAX_REQUEUES times is failed with the reason. Returns what it did.
   */
  async function sweepLostRuns(ctx: TenantContext): Promise<{ requeued: number; failed: number }> {
    const now = clock.now();
    const before = new Date(now.getTime() - LOST_RUN_AFTER_MS);
    const quiet = await repo.findQuietRuns(ctx.db, ctx.tenantId, before, SWEEP_LIMIT);
    const live = await deps.queue().liveKeys(ctx.db, RUN_JOB, quiet.map((r) => r.id));
    const requeue: string[] = [];
    let failed = 0;
    for (const run of quiet.filter((r) => !live.has(r.id))) {
      if (run.requeues >= MAX_REQUEUES) {
        const reason = `its job was lost ${run.requeues + 1} times; whether LINE accepted its send is unknown`;
        if (await repo.failLostRun(ctx.db, ctx.tenantId, run.id, before, reason, now)) failed += 1;
        continue;
      }
      if (await repo.claimLostRun(ctx.db, ctx.tenantId, run.id, before, now)) requeue.push(run.id);
    }
    await enqueueRuns(ctx.db, ctx.tenantId, requeue);
    return { requeued: requeue.length, failed };
  }

  /**
   * Works on a run in one transaction until it waits, ends, or has a send to make (its key stored): the send is then
   * made outside any transaction, and settled in another.
   */
  async function advance(tx: Tx, tenantId: TenantId, runId: string): Promise<SendPlan | undefined> {
    const ctx = contextOf(tx, tenantId, RUN_JOB.name);
    const run = await repo.lockRun(tx, tenantId, runId);
    if (!run || run.status !== 'running') return undefined;
    const rule = await repo.findRule(tx, tenantId, run.ruleId, 'all');
    if (!rule) return undefined;
    const now = clock.now();
    const finish = (status: 'completed' | 'exited' | 'failed', stepIndex: number, reason = '') => repo.updateRun(tx, tenantId, run.id, { status, stepIndex, reason, finishedAt: now }, now);
    if (rule.version !== run.ruleVersion) {
      await finish('exited', run.stepIndex, 'rule_changed');
      return undefined;
    }
    // Switched off (switching off lets its guests leave in the same transaction; this is the guard): it leaves too.
    if (!rule.enabled) {
      await finish('exited', run.stepIndex, 'rule_disabled');
      return undefined;
    }
    const steps = rule.steps;
    const record = (stepIndex: number, status: 'completed' | 'skipped' | 'failed' | 'waiting', reason = '') =>
      repo.recordRunStep(tx, { tenantId, runId: run.id, stepIndex, ruleId: rule.id, memberId: run.memberId, status, reason, settledAt: status === 'waiting' ? null : now, createdAt: now });
    for (let i = run.stepIndex; ; i += 1) {
      const step = steps[i];
      if (!step) {
        await finish('completed', i);
        return undefined;
      }
      switch (step.kind) {
        case 'add_tag':
        case 'remove_tag': {
          const changed = await changeTag(ctx, rule, run.memberId, step);
          await record(i, changed === 'tag_deleted' ? 'skipped' : 'completed', changed === 'tag_deleted' ? 'tag_deleted' : '');
          continue;
        }
        case 'wait': {
          const mark = await repo.findRunStep(tx, tenantId, run.id, i);
          if (mark?.status === 'waiting') {
            // Its time has come (the per-minute job handed the run back).
            await repo.settleWait(tx, tenantId, run.id, i, now);
            continue;
          }
          await record(i, 'waiting');
          await repo.updateRun(tx, tenantId, run.id, { status: 'waiting', stepIndex: i, dueAt: new Date(now.getTime() + step.amount * (step.unit === 'days' ? 86_400_000 : 3_600_000)), reason: '' }, now);
          return undefined;
        }
        case 'if_clicked': {
          const sent = await repo.findRunStep(tx, tenantId, run.id, step.step);
          if (sent?.clickedAt) {
            await record(i, 'completed');
            continue;
          }
          await record(i, 'skipped', 'not_clicked');
          await finish('exited', i, 'not_clicked');
          return undefined;
        }
        case 'if_tagged': {
          const carried = (await deps.tags.memberTags(ctx, run.memberId).catch(() => [])).some((t) => t.id === step.tagId);
          if (carried) {
            await record(i, 'completed');
            continue;
          }
          await record(i, 'skipped', 'not_tagged');
          await finish('exited', i, 'not_tagged');
          return undefined;
        }
        case 'send': {
          const plan = await planSend(ctx, rule, run, i, step);
          if (plan === 'next') continue;
          if (plan === 'stop') return undefined;
          await repo.updateRun(tx, tenantId, run.id, { stepIndex: i, reason: '' }, now);
          return plan;
        }
      }
    }
  }

  async function changeTag(ctx: TenantContext, rule: RuleRow, memberId: string, step: Extract<AutomationStep, { kind: 'add_tag' | 'remove_tag' }>): Promise<'done' | 'tag_deleted'> {
    try {
      const selection = memberSelection(ctx, [memberId]);
      if (step.kind === 'add_tag') await deps.tags.addTagToSelection(ctx, step.tagId, selection, { source: 'rule', sourceRef: rule.id, sourceLabel: rule.name });
      else await deps.tags.removeTagFromSelection(ctx, step.tagId, selection, 'rule');
      return 'done';
    } catch (error) {
      if (error instanceof AppError && error.code === 'tag.not_found') return 'tag_deleted';
      throw error;
    }
  }

  /**
   * A send step: skipped with its reason for a guest it may not reach (no LINE, blocked, no marketing consent, over the
   * weekly cap); held until the hotel's quiet hours end; otherwise its retry key is stored now, before any attempt
   * (or the one stored by an earlier attempt is used again).
   */
  async function planSend(ctx: TenantContext, rule: RuleRow, run: RunRow, stepIndex: number, step: Extract<AutomationStep, { kind: 'send' }>): Promise<SendPlan | 'next' | 'stop'> {
    const { tenantId } = ctx;
    const tx = ctx.db;
    const now = clock.now();
    const existing = await repo.findRunStep(tx, tenantId, run.id, stepIndex);
    if (existing && existing.status !== 'sending') return 'next';
    const guest = await repo.findAudienceRow(tx, await deps.segments.deliveryAudience(ctx, { memberIds: [run.memberId] }, rule.propertyId === null ? 'all' : [rule.propertyId]));
    const record = (status: 'skipped' | 'failed', reason: string) => repo.recordRunStep(tx, { tenantId, runId: run.id, stepIndex, ruleId: rule.id, memberId: run.memberId, status, reason, settledAt: now, createdAt: now });
    if (!existing) {
      if (!guest) {
        // Erased, or no longer one of the property's guests.
        await record('skipped', 'not_reachable');
        return 'next';
      }
      if (guest.skip) {
        await record('skipped', guest.skip);
        return 'next';
      }
      const quietUntil = await deps.sends.quietUntil(ctx, now);
      if (quietUntil) {
        await repo.updateRun(tx, tenantId, run.id, { status: 'waiting', stepIndex, dueAt: quietUntil, reason: 'quiet_hours' }, now);
        return 'stop';
      }
      // The guest's cap lock is held until this transaction ends, which records the send (its key) below: a second
      // send to the guest at the same moment waits, and counts this one.
      if (!(await deps.sends.withinWeeklyCap(ctx, run.memberId, now))) {
        await record('skipped', 'capped');
        return 'next';
      }
    }
    const channel = await deps.sends.channelFor(ctx, rule);
    if (!channel || !guest?.line_user_id) {
      const reason = channel ? 'the guest is no longer reachable' : 'no LINE channel is connected for this rule';
      if (existing) await repo.settleRunStep(tx, tenantId, run.id, stepIndex, 'failed', reason, now);
      else await record('failed', reason);
      await repo.updateRun(tx, tenantId, run.id, { status: 'failed', stepIndex, reason, finishedAt: now }, now);
      return 'stop';
    }
    const stored = existing ?? (await repo.recordRunStep(tx, { tenantId, runId: run.id, stepIndex, ruleId: rule.id, memberId: run.memberId, status: 'sending', retryKey: randomUUID(), createdAt: now }));
    const trackUri = await deps.sends.ruleLinks(ctx, rule, { runId: run.id, stepIndex });
    const messages = await deps.sends.lineMessagesFor(ctx, step.messages, { placeholders: guest.placeholders, postbackData: (actionId) => automationPostbackData(run.id, stepIndex, actionId), trackUri });
    return { kind: 'send', run, stepIndex, channel, to: guest.line_user_id, retryKey: stored.retryKey!, messages, unit: automationUnitOf(rule.id, stepIndex) };
  }

  /** A send's outcome: accepted → the run goes on; refused → the step and the run fail; retryable → the queue retries. */
  async function settle(tenantId: TenantId, plan: SendPlan, outcome: SendOutcome, lastRun: boolean): Promise<boolean> {
    const now = clock.now();
    return db.withTenant(tenantId, async (tx) => {
      const fail = async (reason: string) => {
        await repo.settleRunStep(tx, tenantId, plan.run.id, plan.stepIndex, 'failed', reason, now);
        await repo.updateRun(tx, tenantId, plan.run.id, { status: 'failed', stepIndex: plan.stepIndex, reason: reason.slice(0, 500), finishedAt: now }, now);
        return false;
      };
      if (outcome.kind === 'accepted') {
        await repo.settleRunStep(tx, tenantId, plan.run.id, plan.stepIndex, 'completed', outcome.alreadyAccepted ? 'already accepted (409)' : '', now);
        await repo.updateRun(tx, tenantId, plan.run.id, { stepIndex: plan.stepIndex + 1 }, now);
        return true;
      }
      if (outcome.kind === 'rejected') {
        const details = outcome.details.map((d) => (d.property ? `${d.property}: ${d.message}` : d.message)).join('; ');
        return fail(`${outcome.status ? `${outcome.status} ` : ''}${outcome.message}${details ? ` (${details})` : ''}`);
      }
      // Retryable, the monthly quota used up or the token refused: later, with the same key, until the retries run out.
      const reason = `${outcome.kind === 'retryable' ? outcome.reason : outcome.kind}: ${outcome.message}`;
      if (lastRun) return fail(`gave up after retries: ${reason}`);
      await repo.noteSendAttempt(tx, tenantId, plan.run.id, plan.stepIndex, reason);
      throw new AutomationSendNotSettled(reason);
    });
  }

  /** The run job: advance, send, settle, and again, until the run waits or ends. */
  async function runJob(job: RunJob, retryCount: number): Promise<void> {
    try {
      await work(job, retryCount);
    } catch (error) {
      // The queue's last try failed too: the run fails with the reason rather than stay 'running' with no job.
      if (retryCount >= RUN_RETRIES) {
        const tenantId = asTenantId(job.tenantId);
        const now = clock.now();
        await db.withTenant(tenantId, (tx) => repo.failRunIfRunning(tx, tenantId, job.runId, `gave up after retries: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500), now));
      }
      throw error;
    }
  }

  async function work(job: RunJob, retryCount: number): Promise<void> {
    const tenantId = asTenantId(job.tenantId);
    for (;;) {
      const plan = await db.withTenant(tenantId, (tx) => advance(tx, tenantId, job.runId));
      if (!plan) return;
      let last: SendOutcome | undefined;
      // LINE's and the pacer's rate limits are waited out in real time; other backoffs on the engine's clock.
      const sleep = (ms: number) => (last?.kind === 'retryable' && (last.reason === 'paced' || last.reason === 'rate_limited') ? realSleep(ms) : (clock.sleep?.(ms) ?? realSleep(ms)));
      const outcome = await sendUntilSettled(
        async (n) => {
          // A retry after a backoff is made only while the rule is still on and the guest still in it (switching off
          // meanwhile stops it); the first attempt follows the check `advance` just made.
          if (n > 1 && !(await db.withTenant(tenantId, (tx) => repo.isRunLive(tx, tenantId, plan.run.id)))) throw new AutomationRunStopped();
          return (last = await deps.sender.push(plan.channel, { to: plan.to, messages: plan.messages, retryKey: plan.retryKey, customAggregationUnits: [plan.unit], attempt: retryCount * ATTEMPTS_PER_RUN + n }));
        },
        ATTEMPTS_PER_RUN,
        sleep,
      ).catch((error: unknown) => {
        if (error instanceof AutomationRunStopped) return undefined;
        throw error;
      });
      if (!outcome) return;
      if (!(await settle(tenantId, plan, outcome, retryCount >= RUN_RETRIES))) return;
    }
  }

  function jobs(): Array<JobDefinition<object>> {
    const run: JobDefinition<RunJob> = { ...RUN_JOB, retryLimit: RUN_RETRIES, expireInSeconds: 120, pollSeconds: 5, handler: (data, job) => runJob(data, job.retryCount) };
    const due = perTenantCron({ db, queue: deps.queue }, { name: 'automation.advance', cron: '* * * * *', run: (tx, tenantId) => claimDue(contextOf(tx, tenantId, 'automation.advance')).then(() => undefined) });
    // Hourly: each rule lets its guests in at its own hour (hotel time); the catch-up window covers a missed scan.
    const scan = perTenantCron({ db, queue: deps.queue }, { name: 'automation.scan', cron: '3 * * * *', run: (tx, tenantId) => scanTimeTriggers(contextOf(tx, tenantId, 'automation.scan')).then(() => undefined) });
    const sweep = perTenantCron({ db, queue: deps.queue }, { name: 'automation.sweep-lost-runs', cron: '*/5 * * * *', run: (tx, tenantId) => sweepLostRuns(contextOf(tx, tenantId, 'automation.sweep-lost-runs')).then(() => undefined) });
    return [...due, ...scan, ...sweep, run as JobDefinition<object>];
  }

  return { onTagAdded, onLineMoment, scanTimeTriggers, claimDue, sweepLostRuns, runJob, jobs };
}

export type AutomationEngine = ReturnType<typeof createAutomationEngine>;

/** A send LINE asked to make later (429, 5xx, timeout, quota): the job fails this run and the queue retries it. */
export class AutomationSendNotSettled extends Error {}

/** The run left its rule (switched off) while its send waited to be retried: no further attempt. */
class AutomationRunStopped extends Error {}

function localHour(at: Date, timezone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' }).format(at));
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
