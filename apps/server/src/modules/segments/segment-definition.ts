import type { Group } from '@innkeeper/contracts/api';

// The grammar itself (ZSegmentDefinition, its conditions and limits) is part of the wire contract: packages/contracts.
export type { Condition, Group, SegmentDefinition } from '@innkeeper/contracts/api';

/** Every tag a definition refers to (for tag-deletion impact and validation). */
export function tagIdsOf(group: Group): string[] {
  return group.conditions.flatMap((c) => (c.type === 'group' ? tagIdsOf(c) : c.type === 'tag' ? [c.tagId] : []));
}

/** Every property a definition refers to, with its path inside the definition (for a field error). */
export function propertyRefsOf(group: Group, path = ''): Array<{ path: string; propertyId: string }> {
  return group.conditions.flatMap((c, index) => {
    const at = `${path}conditions.${index}`;
    if (c.type === 'group') return propertyRefsOf(c, `${at}.`);
    if (!('propertyIds' in c) || !c.propertyIds) return [];
    return c.propertyIds.map((propertyId, i) => ({ path: `${at}.propertyIds.${i}`, propertyId }));
  });
}
