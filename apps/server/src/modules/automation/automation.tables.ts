import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AutomationRunStatus, AutomationTemplateKey, AutomationTriggerKind } from '@innkeeper/contracts';
import type { AutomationCondition, AutomationStep, AutomationTrigger } from '@innkeeper/contracts/api';

/**
 * Automation rules (migration 0020). Switching on and off are compare-and-set updates in automation.repository.ts.
 * A name is unique in its tenant regardless of case and width (automation_rules_name_key on lower(normalize(name, NFKC)),
 * migrations 0058, 0060, 0064).
 */
export const automationRules = pgTable(
  'automation_rules',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    propertyId: uuid('property_id'),
    templateKey: text('template_key').$type<AutomationTemplateKey>(),
    enabled: boolean('enabled').notNull().default(false),
    trigger: jsonb('trigger').$type<AutomationTrigger>().notNull(),
    triggerKind: text('trigger_kind').$type<AutomationTriggerKind>().notNull(),
    triggerTagId: uuid('trigger_tag_id'),
    condition: jsonb('condition').$type<AutomationCondition>(),
    steps: jsonb('steps').$type<AutomationStep[]>().notNull(),
    version: integer('version').notNull().default(1),
    enabledBy: uuid('enabled_by'),
    enabledAt: timestamp('enabled_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** One guest's way through a rule, for one occurrence of its trigger (unique: rule, member, occurrence). */
export const automationRuns = pgTable(
  'automation_runs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    ruleId: uuid('rule_id').notNull(),
    ruleVersion: integer('rule_version').notNull(),
    memberId: uuid('member_id').notNull(),
    occurrenceKey: text('occurrence_key').notNull(),
    status: text('status').$type<AutomationRunStatus>().notNull(),
    stepIndex: integer('step_index').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    reason: text('reason').notNull().default(''),
    /** How often the sweep queued it again after its job was lost (migration 0027). */
    requeues: integer('requeues').notNull().default(0),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type RunStepStatus = 'sending' | 'waiting' | 'completed' | 'skipped' | 'failed';

/** What one step did for one run; a send's retry key is stored here before its first attempt. */
export const automationRunSteps = pgTable(
  'automation_run_steps',
  {
    tenantId: uuid('tenant_id').notNull(),
    runId: uuid('run_id').notNull(),
    stepIndex: integer('step_index').notNull(),
    ruleId: uuid('rule_id').notNull(),
    memberId: uuid('member_id').notNull(),
    status: text('status').$type<RunStepStatus>().notNull(),
    reason: text('reason').notNull().default(''),
    retryKey: uuid('retry_key'),
    attempts: integer('attempts').notNull().default(0),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    clickedAt: timestamp('clicked_at', { withTimezone: true }),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.runId, t.stepIndex] })],
);
