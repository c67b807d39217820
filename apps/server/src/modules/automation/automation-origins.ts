import type { TenantContext } from '../../core/context.ts';
import { propertyScopeOf, type TimelineEntry, type TimelineOrigin } from '../members/index.ts';
import type { ProvenanceOrigin } from '../tags/index.ts';
import { findRuleNames, findRunRules } from './automation.repository.ts';

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

/**
 * A rule's entry written before migration 0035 names no rule id: a tap on a rule's postback button names its run (in
 * the postback data, `auto=<run>&…`), which names the rule; a tap on a rule's link (no campaign, a source name, no
 * rule id) and a tag a rule gave (no source reference) name nothing that leads to one. Those read as another
 * property's rule to a property-scoped account (the rule everything else follows: whose it is must be known to be the
 * caller's before it is named); group-level accounts read them as they were.
 */
const UNKNOWN_RULE = 'rule:unknown';
const RUN_PREFIX = 'run:';
const AUTO_TAP = /^auto=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})&/;

function ruleRefOf(entry: TimelineEntry): string | undefined {
  if (entry.type === 'clicked') {
    const ruleId = ruleOf(entry.details.ruleId);
    if (ruleId) return ruleId;
    const run = typeof entry.details.data === 'string' ? AUTO_TAP.exec(entry.details.data)?.[1] : undefined;
    if (run) return `${RUN_PREFIX}${run}`;
    // A rule's tracked link before 0035: no campaign, the rule's name as source, no rule id.
    return entry.campaignId === null && entry.details.via === 'liff' && typeof entry.details.source === 'string' ? UNKNOWN_RULE : undefined;
  }
  if (entry.type === 'tag_added' && entry.details.source === 'rule') return ruleOf(entry.details.sourceRef) ?? UNKNOWN_RULE;
  return undefined;
}

/** Which of these references (rule ids, runs, the unknown rule) the caller may not see. */
async function hiddenRuleRefs(ctx: TenantContext, refs: readonly string[]): Promise<Set<string>> {
  if (propertyScopeOf(ctx) === 'all') return new Set();
  const runIds = refs.filter((r) => r.startsWith(RUN_PREFIX)).map((r) => r.slice(RUN_PREFIX.length));
  const runRules = await findRunRules(ctx.db, ctx.tenantId, runIds);
  const ruleIds = refs.filter((r) => !r.startsWith(RUN_PREFIX) && r !== UNKNOWN_RULE);
  const hidden = await hiddenRules(ctx, [...new Set([...ruleIds, ...runRules.values()])]);
  return new Set(
    refs.filter((ref) => {
      if (ref === UNKNOWN_RULE) return true;
      if (!ref.startsWith(RUN_PREFIX)) return hidden.has(ref);
      // A run erased since names no rule: not known to be the caller's.
      const rule = runRules.get(ref.slice(RUN_PREFIX.length));
      return rule === undefined || hidden.has(rule);
    }),
  );
}

/** Timeline entries of a rule: its buttons tapped, tags it gave (entries written before 0035 too, see ruleRefOf). */
export const ruleTimelineOrigin: TimelineOrigin = { refOf: ruleRefOf, hidden: hiddenRuleRefs };

/** Tags a rule gave (a tag step, or a button of its send). */
export const ruleProvenanceOrigin: ProvenanceOrigin = { refOf: (p) => (p.source === 'rule' ? ruleOf(p.sourceRef) : undefined), hidden: hiddenRules };
