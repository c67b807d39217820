import type { TenantContext } from '../../core/context.ts';
import { propertyScopeOf, type TimelineOrigin } from '../members/index.ts';
import type { ProvenanceOrigin } from '../tags/index.ts';
import { findRuleNames } from './automation.repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The rule a provenance reference names (`<rule id>` for a tag step, `<rule id>:<button id>` for a button). */
function ruleOf(ref: unknown): string | undefined {
  return typeof ref === 'string' ? UUID.exec(ref)?.[0] : undefined;
}

/** Of these rules, the ones of a property the caller does not work with (as for campaigns, campaign-origins.ts). */
async function hiddenRules(ctx: TenantContext, ids: readonly string[]): Promise<Set<string>> {
  const scope = propertyScopeOf(ctx);
  if (scope === 'all') return new Set();
  const existing = await findRuleNames(ctx.db, ctx.tenantId, ids, 'all');
  const seen = await findRuleNames(ctx.db, ctx.tenantId, ids, scope);
  return new Set([...existing.keys()].filter((id) => !seen.has(id)));
}

/** Timeline entries of a rule: its buttons tapped, tags it gave (entries written before 0035 name no rule id). */
export const ruleTimelineOrigin: TimelineOrigin = {
  refOf: (entry) => (entry.type === 'clicked' ? ruleOf(entry.details.ruleId) : entry.type === 'tag_added' && entry.details.source === 'rule' ? ruleOf(entry.details.sourceRef) : undefined),
  hidden: hiddenRules,
};

/** Tags a rule gave (a tag step, or a button of its send). */
export const ruleProvenanceOrigin: ProvenanceOrigin = { refOf: (p) => (p.source === 'rule' ? ruleOf(p.sourceRef) : undefined), hidden: hiddenRules };
