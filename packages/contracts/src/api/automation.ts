import { z } from 'zod';
import { AUTOMATION_MAX_STEPS, AUTOMATION_RANGES, AUTOMATION_RUN_STATUSES, AUTOMATION_STEP_KINDS, AUTOMATION_TEMPLATE_KEYS } from '../automation.ts';
import { ZCampaignMessage, type CampaignMessage } from './campaign-messages.ts';
import { ZCampaignImage } from './campaigns.ts';
import { ZCleanName, ZRowVersion } from './fields.ts';
import { ZSegmentDefinition } from './segment-definition.ts';

// The bodies and answers of /api/automation: the server validates with them, the web app derives its types from them.

/** The hour of the day (hotel time) at which a time trigger lets its guests in; events let them in at once. */
// Out of range is refused with the range in the message, never moved into it: an hour 30 is not quietly 23 (browser
// review). The editor checks the same ranges (AUTOMATION_RANGES) as staff type.
const ZHour = z.number({ error: 'field.automation_hour' }).int({ error: 'field.automation_hour' }).min(AUTOMATION_RANGES.hour.min, { error: 'field.automation_hour' }).max(AUTOMATION_RANGES.hour.max, { error: 'field.automation_hour' });
const ZDays = (range: { min: number; max: number }, error: string) => z.number({ error }).int({ error }).min(range.min, { error }).max(range.max, { error });

/** What starts a rule for a guest; each occurrence (this tag added at that moment, this stay, this year's birthday) once. */
export const ZAutomationTrigger = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('tag_added'), tagId: z.uuid({ error: 'field.automation_tag' }) }),
  z.strictObject({ kind: z.literal('friend_added') }),
  z.strictObject({ kind: z.literal('binding_completed') }),
  /** N days after a stay's check-out date (0: the day itself), for stays recorded as stayed. */
  z.strictObject({ kind: z.literal('checked_out'), days: ZDays(AUTOMATION_RANGES.days, 'field.automation_days'), hour: ZHour.default(10) }),
  /** N days before a booked stay's check-in date. */
  z.strictObject({ kind: z.literal('arrival'), days: ZDays(AUTOMATION_RANGES.days, 'field.automation_days'), hour: ZHour.default(10) }),
  z.strictObject({ kind: z.literal('birthday'), hour: ZHour.default(10) }),
  /** N days after the guest's last interaction (a message, a click, a follow), once per quiet spell. */
  z.strictObject({ kind: z.literal('no_interaction'), days: ZDays(AUTOMATION_RANGES.quietDays, 'field.automation_quiet_days'), hour: ZHour.default(10) }),
]);
export type AutomationTrigger = z.output<typeof ZAutomationTrigger>;
export type AutomationTriggerInput = z.input<typeof ZAutomationTrigger>;

/** Who of the triggered guests enter: everyone, a saved segment's members (read when they enter), or conditions. */
export const ZAutomationCondition = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('segment'), segmentId: z.uuid({ error: 'field.automation_segment' }) }),
    z.strictObject({ kind: z.literal('conditions'), definition: ZSegmentDefinition }),
  ])
  .nullable();
export type AutomationCondition = z.output<typeof ZAutomationCondition>;

/** One step of a rule. Steps run in order; a wait holds the guest, an `if_` step lets only some guests go on. */
export const ZAutomationStep = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('send'),
    messages: z.array(ZCampaignMessage).min(1, { error: 'field.automation_messages' }).max(5, { error: 'field.automation_messages' }),
  }),
  z.strictObject({ kind: z.literal('add_tag'), tagId: z.uuid({ error: 'field.automation_tag' }) }),
  z.strictObject({ kind: z.literal('remove_tag'), tagId: z.uuid({ error: 'field.automation_tag' }) }),
  z
    .strictObject({
      kind: z.literal('wait'),
      amount: z.number({ error: 'field.automation_wait' }).int({ error: 'field.automation_wait' }).min(1, { error: 'field.automation_wait' }).max(AUTOMATION_RANGES.waitHours.max, { error: 'field.automation_wait' }),
      unit: z.enum(['hours', 'days']),
    })
    // 1 hour to 365 days, whichever the unit: 8,760 is a year in hours, not in days.
    .refine((step) => step.unit === 'hours' || step.amount <= AUTOMATION_RANGES.waitDays.max, { path: ['amount'], error: 'field.automation_wait' }),
  /** Only guests who tapped a button of an earlier send step (its position in the rule, from 0) go on. */
  z.strictObject({ kind: z.literal('if_clicked'), step: z.number().int().min(0).max(AUTOMATION_MAX_STEPS - 1) }),
  /** Only guests who carry the tag now go on. */
  z.strictObject({ kind: z.literal('if_tagged'), tagId: z.uuid({ error: 'field.automation_tag' }) }),
]);
export type AutomationStep = z.output<typeof ZAutomationStep>;
export type AutomationStepInput = z.input<typeof ZAutomationStep>;

const ZSteps = z.array(ZAutomationStep).min(1, { error: 'field.automation_steps' }).max(AUTOMATION_MAX_STEPS, { error: 'field.automation_steps' });

const ruleFields = {
  name: ZCleanName(100),
  /** null: group-wide (every member, the group's LINE channel); otherwise one property's rule and guests. */
  propertyId: z.uuid().nullable(),
  trigger: ZAutomationTrigger,
  condition: ZAutomationCondition,
  steps: ZSteps,
};

export const ZAutomationRuleCreate = z.strictObject({
  ...ruleFields,
  propertyId: ruleFields.propertyId.default(null),
  condition: ruleFields.condition.default(null),
});
export type AutomationRuleCreate = z.infer<typeof ZAutomationRuleCreate>;

export const ZAutomationRulePatch = z.strictObject({
  name: ruleFields.name.optional(),
  propertyId: ruleFields.propertyId.optional(),
  trigger: ruleFields.trigger.optional(),
  condition: ruleFields.condition.optional(),
  steps: ruleFields.steps.optional(),
  /** The version the editor started from: a change made meanwhile by someone else is refused, not overwritten. */
  version: ZRowVersion.optional(),
});
export type AutomationRulePatch = z.infer<typeof ZAutomationRulePatch>;

export const ZAutomationFromTemplate = z.strictObject({ templateKey: z.enum(AUTOMATION_TEMPLATE_KEYS), propertyId: z.uuid().nullable().default(null) });

/** Switching a rule on approves the version reviewed (a rule that sends is a push). */
export const ZAutomationEnable = z.strictObject({ version: ZRowVersion });

export const ZAutomationRule = z.object({
  id: z.string(),
  name: z.string(),
  propertyId: z.string().nullable(),
  templateKey: z.enum(AUTOMATION_TEMPLATE_KEYS).nullable(),
  enabled: z.boolean(),
  trigger: z.custom<AutomationTrigger>(),
  condition: z.custom<AutomationCondition>(),
  // Checked when they were saved; not walked again on the way out.
  steps: z.custom<Array<AutomationStep & { messages?: CampaignMessage[] }>>(),
  version: z.number().int(),
  enabledBy: z.string().nullable(),
  enabledAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** What this account may do with it (the screens hide the rest; the server refuses it anyway). */
  may: z.object({ edit: z.boolean(), enable: z.boolean(), disable: z.boolean() }),
  /** The images its messages show (uploaded as campaign images), with the URLs LINE fetches them from. */
  images: z.array(ZCampaignImage),
});

/** Guests per run status, and per step how many completed it, were skipped (with why) or failed, and tapped its buttons. */
export const ZAutomationStats = z.object({
  entered: z.number().int(),
  byStatus: z.record(z.enum(AUTOMATION_RUN_STATUSES), z.number().int()),
  steps: z.array(
    z.object({
      index: z.number().int(),
      kind: z.enum(AUTOMATION_STEP_KINDS),
      completed: z.number().int().describe('guests who completed this step (a send LINE accepted, a tag changed, a wait over, a check passed)'),
      skipped: z.number().int().describe('sends not made (no consent, blocked, no LINE, over the weekly cap) and guests a check let go'),
      failed: z.number().int(),
      waiting: z.number().int().describe('guests held at this step now (a wait, or quiet hours)'),
      clicked: z.number().int().describe('guests who tapped a button of this send'),
      linkClicks: z.number().int().describe('clicks on the URL buttons of this send, repeats and anonymous ones included'),
      skippedByReason: z.record(z.string(), z.number().int()),
    }),
  ),
});

export const ZAutomationRuleListItem = ZAutomationRule.pick({ id: true, name: true, propertyId: true, templateKey: true, enabled: true, trigger: true, version: true, updatedAt: true, may: true }).extend({
  stepCount: z.number().int(),
  entered: z.number().int(),
  completed: z.number().int(),
});

export const ZAutomationTemplate = z.object({
  key: z.enum(AUTOMATION_TEMPLATE_KEYS),
  name: z.string(),
  description: z.string(),
  trigger: z.custom<AutomationTrigger>(),
  stepKinds: z.array(z.enum(AUTOMATION_STEP_KINDS)),
  /** Tags the rule uses by name: created when the rule is made from the template, if the hotel has none of that name. */
  tagNames: z.array(z.string()),
});
