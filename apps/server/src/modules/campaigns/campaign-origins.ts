import type { TenantContext } from '../../core/context.ts';
import { propertyScopeOf, type TimelineOrigin } from '../members/index.ts';
import type { ProvenanceOrigin } from '../tags/index.ts';
import { findCampaignNames } from './campaigns.repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The campaign a provenance reference names (`<campaign id>:<button id>`). */
function campaignOf(ref: unknown): string | undefined {
  return typeof ref === 'string' ? UUID.exec(ref)?.[0] : undefined;
}

/**
 * Of these campaigns, the ones of a property the caller does not work with (decision 0008: it cannot open them, and a
 * group-wide one it can). A property's campaign reaches the group's friends too (decision 0006), so their timelines and
 * tags name campaigns of every property: an account of other properties reads that there was one, not which.
 */
async function hiddenCampaigns(ctx: TenantContext, ids: readonly string[]): Promise<Set<string>> {
  const scope = propertyScopeOf(ctx);
  if (scope === 'all') return new Set();
  const existing = await findCampaignNames(ctx.db, ctx.tenantId, ids, 'all');
  const seen = await findCampaignNames(ctx.db, ctx.tenantId, ids, scope);
  return new Set([...existing.keys()].filter((id) => !seen.has(id)));
}

/** Timeline entries of a campaign: received, its buttons tapped (the entry's campaign), tags its buttons gave. */
export const campaignTimelineOrigin: TimelineOrigin = {
  refOf: (entry) => entry.campaignId ?? (entry.type === 'tag_added' && entry.details.source === 'campaign' ? campaignOf(entry.details.sourceRef ?? entry.actorRef) : undefined),
  hidden: hiddenCampaigns,
};

/** Tags a campaign's buttons gave. */
export const campaignProvenanceOrigin: ProvenanceOrigin = { refOf: (p) => (p.source === 'campaign' ? campaignOf(p.sourceRef) : undefined), hidden: hiddenCampaigns };
