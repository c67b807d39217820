import type { ConditionInput, GroupInput } from '@innkeeper/contracts/api';

/**
 * Segment definitions as the server accepts them (the grammar is packages/contracts/src/api/segment-definition.ts),
 * and the editable draft the builder works on: the same shape plus a React key per node, numbers that may still be
 * empty while typed, and, for conditions with a time window, which kind of window the person chose (a choice the
 * definition itself cannot express while still empty).
 */

export { GENDERS, HAS_FIELDS, INTERACTION_KINDS, LANGUAGES, LINE_STATUSES, STAY_CHILDREN_FILTERS, TAG_SOURCES } from '@innkeeper/contracts';
export { SEGMENT_MAX_CONDITIONS as MAX_CONDITIONS, SEGMENT_MAX_DEPTH as MAX_DEPTH } from '@innkeeper/contracts';
export type { Gender, HasField, InteractionKind, Language, LineStatus, StayChildrenFilter, TagSource } from '@innkeeper/contracts';

export type Condition = ConditionInput;
export type Group = GroupInput;
export type SegmentDefinition = Group;

/** Optional date window: calendar dates (YYYY-MM-DD, tenant time zone) and/or "within the last N days". */
type Window = { from?: string | undefined; to?: string | undefined; withinDays?: number | undefined };

export type ConditionType = Condition['type'];

/** The condition types, grouped as the "add condition" menu shows them. */
export const CONDITION_GROUPS: ReadonlyArray<{ key: 'profile' | 'activity' | 'stays'; types: readonly ConditionType[] }> = [
  { key: 'profile', types: ['tag', 'gender', 'language', 'home_property', 'consent', 'line_status', 'has_field', 'birthday_month', 'joined'] },
  { key: 'activity', types: ['last_interaction', 'no_interaction', 'interaction'] },
  { key: 'stays', types: ['stays', 'total_nights', 'last_check_out', 'arriving', 'in_house'] },
];

/** How a time window is given: not at all, as "within the last N days", or as a date range. */
export type Period = 'any' | 'within' | 'range';

/** A condition as the builder holds it: a number the person is still typing may be empty (see missingOf). */
type EditableCondition = Condition extends infer C ? (C extends unknown ? { [K in keyof C]: C[K] extends number ? C[K] | undefined : C[K] } : never) : never;

export type DraftCondition = EditableCondition & { key: string; period?: Period | undefined };
export type DraftGroup = { key: string; type: 'group'; op: 'and' | 'or'; negate: boolean; conditions: DraftNode[] };
export type DraftNode = DraftCondition | DraftGroup;

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `n${counter}`;
}

export function isGroup(node: DraftNode | Condition | Group): node is DraftGroup | Group {
  return node.type === 'group';
}

/** Window-carrying conditions and whether "no window" is a valid choice for them. */
const PERIOD_TYPES: Partial<Record<ConditionType, { allowsAny: boolean }>> = {
  tag: { allowsAny: true },
  joined: { allowsAny: false },
  last_interaction: { allowsAny: false },
  stays: { allowsAny: true },
};

export function periodOptionsOf(type: ConditionType): Period[] | undefined {
  const spec = PERIOD_TYPES[type];
  if (!spec) return undefined;
  return spec.allowsAny ? ['any', 'within', 'range'] : ['within', 'range'];
}

function periodOf(condition: Condition): Period | undefined {
  if (!PERIOD_TYPES[condition.type]) return undefined;
  if (condition.type === 'tag') {
    if (condition.addedWithinDays !== undefined) return 'within';
    if (condition.addedFrom || condition.addedTo) return 'range';
    return 'any';
  }
  const window = condition as Window;
  if (window.withinDays !== undefined) return 'within';
  if (window.from || window.to) return 'range';
  return PERIOD_TYPES[condition.type]?.allowsAny ? 'any' : 'within';
}

/** A fresh condition of a type, with the defaults a hotel marketer most often wants. */
export function newCondition(type: ConditionType): DraftCondition {
  const key = newKey();
  switch (type) {
    case 'tag':
      return { key, type, tagId: '', has: true, period: 'any' };
    case 'gender':
      return { key, type, values: [] };
    case 'language':
      return { key, type, values: [] };
    case 'home_property':
      return { key, type, propertyIds: [] };
    case 'consent':
      return { key, type, optedIn: true };
    case 'line_status':
      return { key, type, values: ['following'] };
    case 'has_field':
      return { key, type, field: 'email', present: true };
    case 'birthday_month':
      return { key, type, months: [] };
    case 'joined':
      return { key, type, withinDays: 30, period: 'within' };
    case 'last_interaction':
      return { key, type, withinDays: 30, period: 'within' };
    case 'no_interaction':
      return { key, type, days: 90 };
    case 'stays':
      return { key, type, minCount: 1, period: 'any' };
    case 'total_nights':
      return { key, type, min: 5 };
    case 'last_check_out':
      return { key, type, withinDays: 30 };
    case 'arriving':
      return { key, type, withinDays: 7 };
    case 'in_house':
      return { key, type };
    case 'interaction':
      return { key, type, kind: 'clicked', withinDays: 30 };
  }
}

export function newGroup(op: 'and' | 'or' = 'and'): DraftGroup {
  return { key: newKey(), type: 'group', op, negate: false, conditions: [] };
}

export function toDraft(group: Group): DraftGroup {
  return {
    key: newKey(),
    type: 'group',
    op: group.op,
    negate: group.negate ?? false,
    conditions: group.conditions.map((node) => (isGroup(node) ? toDraft(node) : { ...node, key: newKey(), period: periodOf(node) })),
  };
}

const nonEmpty = <T>(list: T[] | undefined): T[] | undefined => (list && list.length > 0 ? list : undefined);
const text = (value: string | undefined): string | undefined => (value && value.trim() !== '' ? value.trim() : undefined);

/** Drops undefined values, so the JSON (and the query key built from it) stays stable. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function cleanCondition(node: DraftCondition): EditableCondition {
  const { key: _key, period, ...condition } = node;
  switch (condition.type) {
    case 'tag':
      return compact({
        type: 'tag',
        tagId: condition.tagId,
        has: condition.has ?? true,
        addedWithinDays: period === 'within' ? condition.addedWithinDays : undefined,
        addedFrom: period === 'range' ? text(condition.addedFrom) : undefined,
        addedTo: period === 'range' ? text(condition.addedTo) : undefined,
        sources: nonEmpty(condition.sources),
      });
    case 'joined':
    case 'last_interaction':
      return compact({
        type: condition.type,
        withinDays: period === 'within' ? condition.withinDays : undefined,
        from: period === 'range' ? text(condition.from) : undefined,
        to: period === 'range' ? text(condition.to) : undefined,
      });
    case 'stays':
      return compact({
        type: 'stays',
        propertyIds: nonEmpty(condition.propertyIds),
        withinDays: period === 'within' ? condition.withinDays : undefined,
        from: period === 'range' ? text(condition.from) : undefined,
        to: period === 'range' ? text(condition.to) : undefined,
        roomTypes: nonEmpty(condition.roomTypes),
        rateCodes: nonEmpty(condition.rateCodes),
        channels: nonEmpty(condition.channels),
        minNights: condition.minNights ?? undefined,
        minCount: condition.minCount ?? 1,
        children: condition.children,
        // "At least N children" belongs to "with children" only (the server refuses it elsewhere); 1 is the default.
        minChildren: condition.children === 'with' && condition.minChildren !== undefined && condition.minChildren > 1 ? condition.minChildren : undefined,
      });
    case 'total_nights':
      return compact({ type: 'total_nights', min: condition.min, withinDays: condition.withinDays ?? undefined });
    case 'last_check_out':
    case 'arriving':
      return compact({ type: condition.type, withinDays: condition.withinDays, propertyIds: nonEmpty(condition.propertyIds) });
    case 'in_house':
      return compact({ type: 'in_house', propertyIds: nonEmpty(condition.propertyIds) });
    case 'interaction':
      return compact({ type: 'interaction', kind: condition.kind, campaignId: text(condition.campaignId), actionId: text(condition.actionId), withinDays: condition.withinDays ?? undefined });
    default:
      return compact(condition);
  }
}

/**
 * The definition to send: keys and UI-only choices removed, empty optional filters left out. It is sent only once no
 * condition is missing anything (incompleteKeys is empty), when every number is there: hence the one cast.
 */
export function toDefinition(group: DraftGroup): SegmentDefinition {
  return {
    type: 'group',
    op: group.op,
    ...(group.negate ? { negate: true } : {}),
    conditions: group.conditions.map((node) => (isGroup(node) ? toDefinition(node) : (cleanCondition(node) as Condition))),
  };
}

/** What a condition still lacks before it can be counted; undefined when it is complete. */
export type Missing = 'tag' | 'values' | 'properties' | 'months' | 'days' | 'dates' | 'min';

export function missingOf(node: DraftCondition): Missing | undefined {
  const days = (value: number | undefined | null) => value === undefined || value === null;
  switch (node.type) {
    case 'tag':
      if (!node.tagId) return 'tag';
      if (node.period === 'within' && days(node.addedWithinDays)) return 'days';
      if (node.period === 'range' && !node.addedFrom && !node.addedTo) return 'dates';
      return undefined;
    case 'gender':
    case 'language':
    case 'line_status':
      return node.values.length === 0 ? 'values' : undefined;
    case 'home_property':
      return node.propertyIds.length === 0 ? 'properties' : undefined;
    case 'birthday_month':
      return node.months.length === 0 ? 'months' : undefined;
    case 'joined':
    case 'last_interaction':
    case 'stays':
      if (node.period === 'within' && days(node.withinDays)) return 'days';
      if (node.period === 'range' && !node.from && !node.to) return 'dates';
      return undefined;
    case 'no_interaction':
      return days(node.days) ? 'days' : undefined;
    case 'total_nights':
      return days(node.min) ? 'min' : undefined;
    case 'last_check_out':
    case 'arriving':
      return days(node.withinDays) ? 'days' : undefined;
    default:
      return undefined;
  }
}

/** Keys of the conditions that are not complete yet, anywhere in the tree. */
export function incompleteKeys(group: DraftGroup): string[] {
  return group.conditions.flatMap((node) => (isGroup(node) ? incompleteKeys(node) : missingOf(node) ? [node.key] : []));
}

export function conditionCount(group: DraftGroup | Group): number {
  return group.conditions.reduce((sum, node) => sum + (isGroup(node) ? conditionCount(node) : 1), 0);
}

export function depthOf(group: DraftGroup | Group): number {
  let deepest = 0;
  for (const node of group.conditions) if (node.type === 'group') deepest = Math.max(deepest, depthOf(node));
  return 1 + deepest;
}

// Tree edits: each returns a new root with the node of `key` changed.

export function updateNode(group: DraftGroup, key: string, change: (node: DraftNode) => DraftNode | undefined): DraftGroup {
  if (group.key === key) {
    const changed = change(group);
    return changed && isGroup(changed) ? (changed as DraftGroup) : group;
  }
  const conditions: DraftNode[] = [];
  for (const node of group.conditions) {
    if (node.key === key) {
      const changed = change(node);
      if (changed) conditions.push(changed);
    } else {
      conditions.push(isGroup(node) ? updateNode(node, key, change) : node);
    }
  }
  return { ...group, conditions };
}

export function removeNode(group: DraftGroup, key: string): DraftGroup {
  return updateNode(group, key, () => undefined);
}

/**
 * Server validation issues of a definition (`definition.conditions.1.conditions.0.tagId`) as messages per node key,
 * so each shows next to its condition; issues on the whole definition come back under the root's key.
 */
export function issuesByKey(root: DraftGroup, issues: ReadonlyArray<{ path: string; message: string }>, prefix = 'definition'): Map<string, string[]> {
  const result = new Map<string, string[]>();
  const add = (key: string, message: string) => result.set(key, [...(result.get(key) ?? []), message]);
  for (const issue of issues) {
    const parts = issue.path.split('.');
    if (parts[0] !== prefix) continue;
    let node: DraftNode = root;
    let index = 1;
    while (isGroup(node) && parts[index] === 'conditions' && parts[index + 1] !== undefined && /^\d+$/.test(parts[index + 1] ?? '')) {
      const child: DraftNode | undefined = node.conditions[Number(parts[index + 1])];
      if (!child) break;
      node = child;
      index += 2;
    }
    add(node.key, issue.message);
  }
  return result;
}

export const EMPTY_DEFINITION: SegmentDefinition = { type: 'group', op: 'and', conditions: [] };

/** Reads a definition from JSON (a URL parameter); undefined unless it has the shape of a group. */
export function parseDefinition(json: string | null): SegmentDefinition | undefined {
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'group' && Array.isArray((value as { conditions?: unknown }).conditions)) {
      return value as SegmentDefinition;
    }
  } catch {
    // A hand-edited or truncated link: ignore the filter.
  }
  return undefined;
}

/** A definition that selects the members carrying one tag (the tags page links to the member list with it). */
export function tagDefinition(tagId: string): SegmentDefinition {
  return { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId, has: true }] };
}
