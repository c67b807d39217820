import type { TenantContext } from '../../core/context.ts';
import { propertyScopeOf } from './member-scope.ts';
import type { TimelineEntry } from './members.service.ts';

/**
 * Entries that name something a module owns per property (a campaign, an automation rule): which of its things an
 * entry names (`refOf`, undefined for none of its), and which of those the caller may not see (`hidden`: another
 * property's, decision 0006/0008). Such entries are shown without the names (`otherProperty`): a property-scoped
 * account sees the group's friends, and read on their timeline the campaigns other properties sent them.
 */
export type TimelineOrigin = { refOf: (entry: TimelineEntry) => string | undefined; hidden: (ctx: TenantContext, ids: readonly string[]) => Promise<Set<string>> };

/**
 * What a hidden entry keeps: what it was and what happened (the tag and the kind of its source, the guest's own tap),
 * not whose it was (a click's `source` is its campaign's name, a tag's is the kind of source).
 */
function withoutOrigin(entry: TimelineEntry): TimelineEntry {
  const details: Record<string, unknown> = { otherProperty: true };
  const kept = entry.type === 'tag_added' ? ['tagName', 'source'] : ['via'];
  for (const key of kept) if (entry.details[key] !== undefined) details[key] = entry.details[key];
  // A guest's tap keeps the guest as its actor; a campaign or a rule as actor (or in a tag's actor label) is dropped.
  const guest = entry.type === 'clicked' && entry.actorType === 'guest';
  return { ...entry, campaignId: null, actionId: null, actorRef: guest ? entry.actorRef : '', actorLabel: guest ? entry.actorLabel : '', details };
}

/** The entries as the caller may read them: group-level accounts and system work read everything. */
export async function hideOrigins(ctx: TenantContext, entries: TimelineEntry[], origins: readonly TimelineOrigin[]): Promise<TimelineEntry[]> {
  if (propertyScopeOf(ctx) === 'all' || entries.length === 0) return entries;
  let shown = entries;
  for (const origin of origins) {
    const ids = [...new Set(shown.map(origin.refOf).filter((id): id is string => id !== undefined))];
    if (ids.length === 0) continue;
    const hidden = await origin.hidden(ctx, ids);
    if (hidden.size > 0) shown = shown.map((entry) => (hidden.has(origin.refOf(entry) ?? '') ? withoutOrigin(entry) : entry));
  }
  return shown;
}
