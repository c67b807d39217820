import { z } from 'zod';
import { GENDERS, HAS_FIELDS, INTERACTION_KINDS, LANGUAGES, LINE_STATUSES, SEGMENT_MAX_CONDITIONS, SEGMENT_MAX_DEPTH, STAY_CHILDREN_FILTERS, STAY_PARTY_MAX, TAG_SOURCES } from '../vocabulary.ts';
import { ZCalendarDate } from './fields.ts';

const ZDate = ZCalendarDate;
const ZDays = z.number().int().min(0).max(3650);
const ZIds = z.array(z.uuid()).min(1).max(100);
const ZTexts = z.array(z.string().trim().min(1).max(100)).min(1).max(50);

/** Conditions a segment can combine. Dates are calendar dates in the tenant's time zone; "within N days" counts back from today. */
export const ZCondition = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('tag'),
    tagId: z.uuid(),
    has: z.boolean().default(true),
    addedFrom: ZDate.optional(),
    addedTo: ZDate.optional(),
    addedWithinDays: ZDays.optional(),
    sources: z.array(z.enum(TAG_SOURCES)).min(1).optional(),
  }),
  z.strictObject({ type: z.literal('gender'), values: z.array(z.enum(GENDERS)).min(1) }),
  z.strictObject({ type: z.literal('language'), values: z.array(z.enum(LANGUAGES)).min(1) }),
  z.strictObject({ type: z.literal('home_property'), propertyIds: ZIds }),
  z.strictObject({ type: z.literal('consent'), optedIn: z.boolean() }),
  z.strictObject({ type: z.literal('line_status'), values: z.array(z.enum(LINE_STATUSES)).min(1) }),
  z.strictObject({ type: z.literal('has_field'), field: z.enum(HAS_FIELDS), present: z.boolean().default(true) }),
  z.strictObject({ type: z.literal('birthday_month'), months: z.array(z.number().int().min(1).max(12)).min(1) }),
  z.strictObject({ type: z.literal('joined'), from: ZDate.optional(), to: ZDate.optional(), withinDays: ZDays.optional() }),
  z.strictObject({ type: z.literal('last_interaction'), from: ZDate.optional(), to: ZDate.optional(), withinDays: ZDays.optional() }),
  z.strictObject({ type: z.literal('no_interaction'), days: ZDays }),
  z
    .strictObject({
      type: z.literal('stays'),
      propertyIds: ZIds.optional(),
      from: ZDate.optional(),
      to: ZDate.optional(),
      withinDays: ZDays.optional(),
      roomTypes: ZTexts.optional(),
      rateCodes: ZTexts.optional(),
      channels: ZTexts.optional(),
      minNights: z.number().int().min(1).max(365).optional(),
      minCount: z.number().int().min(1).max(1000).default(1),
      /** Stays with children (at least `minChildren`, default 1), recorded without children, or with no party recorded. */
      children: z.enum(STAY_CHILDREN_FILTERS).optional(),
      minChildren: z.number().int().min(1).max(STAY_PARTY_MAX).optional(),
    })
    // "At least 2 children" only makes sense of stays with children; anything else would silently ignore it.
    .refine((c) => c.minChildren === undefined || c.children === 'with', { path: ['minChildren'], message: 'field.segment_min_children' }),
  z.strictObject({ type: z.literal('total_nights'), min: z.number().int().min(1).max(10_000), withinDays: ZDays.optional() }),
  z.strictObject({ type: z.literal('last_check_out'), withinDays: ZDays, propertyIds: ZIds.optional() }),
  z.strictObject({ type: z.literal('arriving'), withinDays: ZDays, propertyIds: ZIds.optional() }),
  z.strictObject({ type: z.literal('in_house'), propertyIds: ZIds.optional() }),
  z.strictObject({
    type: z.literal('interaction'),
    kind: z.enum(INTERACTION_KINDS),
    campaignId: z.uuid().optional(),
    actionId: z.string().max(100).optional(),
    withinDays: ZDays.optional(),
  }),
]);

/** A condition as the server holds it (defaults filled in). */
export type Condition = z.output<typeof ZCondition>;
/** A condition as a client may send it (fields with a default may be left out). */
export type ConditionInput = z.input<typeof ZCondition>;
export type Group = { type: 'group'; op: 'and' | 'or'; negate?: boolean | undefined; conditions: Array<Condition | Group> };
export type GroupInput = { type: 'group'; op: 'and' | 'or'; negate?: boolean | undefined; conditions: Array<ConditionInput | GroupInput> };
export type SegmentDefinition = Group;

export const ZGroup: z.ZodType<Group, GroupInput> = z.lazy(() =>
  z.strictObject({
    type: z.literal('group'),
    op: z.enum(['and', 'or']),
    negate: z.boolean().optional(),
    conditions: z.array(z.union([ZCondition, ZGroup])).max(30),
  }),
);

/** Groups count too: empty groups cost nothing to send but each one is compiled. */
const MAX_NODES = 2 * SEGMENT_MAX_CONDITIONS;

/**
 * Depth and size, measured before zod walks the definition: zod parses a group recursively (and keeps parsing the
 * `conditions` of a node whose type is wrong), so a definition nested 2,000 deep overflowed the stack. Iterative,
 * and every object with a `conditions` list counts as a level, whatever its type says.
 */
export function definitionShapeIssue(value: unknown): 'field.segment_too_deep' | 'field.segment_too_large' | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 1 }];
  let conditions = 0;
  let nodes = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const children = node !== null && typeof node === 'object' && Array.isArray((node as { conditions?: unknown }).conditions) ? ((node as { conditions: unknown[] }).conditions) : undefined;
    if (!children) continue;
    if (depth > SEGMENT_MAX_DEPTH) return 'field.segment_too_deep';
    for (const child of children) {
      nodes += 1;
      const isGroupLike = child !== null && typeof child === 'object' && ((child as { type?: unknown }).type === 'group' || Array.isArray((child as { conditions?: unknown }).conditions));
      if (isGroupLike) stack.push({ node: child, depth: depth + 1 });
      else conditions += 1;
    }
    if (conditions > SEGMENT_MAX_CONDITIONS || nodes > MAX_NODES) return 'field.segment_too_large';
  }
  return undefined;
}

/**
 * A segment definition: a group, nested at most four deep and with at most 60 conditions in all. The input type says
 * what a client should send; the check itself takes anything, as a request body can hold anything.
 */
export const ZSegmentDefinition = z.preprocess<unknown, typeof ZGroup, GroupInput>((value, ctx) => {
  const issue = definitionShapeIssue(value);
  if (!issue) return value;
  ctx.addIssue({ code: 'custom', message: issue, input: value });
  return z.NEVER;
}, ZGroup);
