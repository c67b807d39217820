import { AUTOMATION_FIELD_MESSAGES } from '@innkeeper/contracts';
import { contribute, defineModule, type Platform } from '../../core/module.ts';
import { auditTargetLabelers } from '../audit/index.ts';
import { automationLinks, marketingPushSources, type MarketingSends } from '../campaigns/index.ts';
import { postbackResolvers, postbackTapHooks, type LineSender } from '../line/index.ts';
import { lineMomentHooks, memberEraseHooks, memberMergeHooks, timelineOrigins } from '../members/index.ts';
import type { SegmentsService } from '../segments/index.ts';
import { provenanceOrigins, tagAddedHooks, tagUsageProviders, type TagsService } from '../tags/index.ts';
import { ruleProvenanceOrigin, ruleTimelineOrigin } from './automation-origins.ts';
import { createAutomationEngine } from './automation-engine.ts';
import { deleteRunsOf, moveRuns, pushesSince } from './automation.repository.ts';
import { automationRoutes } from './automation.routes.ts';
import { createAutomationService, labelRulesForAudit } from './automation.service.ts';

export type { AutomationService } from './automation.service.ts';
export { automationUnitOf, LOST_RUN_AFTER_MS, RUN_JOB, type AutomationEngine } from './automation-engine.ts';

export const automationModule = defineModule({
  name: 'automation',
  // Decision 0009: editing a rule is campaigns.edit; switching one on (its sends are pushes) is campaigns.push.
  permissions: ['campaigns.edit', 'campaigns.push'],
  fieldMessages: AUTOMATION_FIELD_MESSAGES,
  create: ({ db, clock, logger, queue, segments, tags, marketingSends, lineSender }: Platform & { segments: SegmentsService; tags: TagsService; marketingSends: MarketingSends; lineSender: LineSender }) => {
    const automationEngine = createAutomationEngine({ db, clock, logger, queue, segments, tags, sends: marketingSends, sender: lineSender });
    const automation = createAutomationService({ clock, segments, tags, sends: marketingSends });
    return {
      services: { automation, automationEngine },
      routes: [automationRoutes({ automation })],
      jobs: automationEngine.jobs(),
      contributes: [
        // The event triggers: a tag newly carried, a new LINE friend, a completed binding.
        ...contribute(tagAddedHooks, automationEngine.onTagAdded),
        ...contribute(lineMomentHooks, automationEngine.onLineMoment),
        // Automated pushes (accepted or in flight) count toward the weekly cap with campaigns' (campaign-sending.ts).
        ...contribute(marketingPushSources, pushesSince),
        // A tap on an automated send's button; who uses a tag; how the audit log names a rule.
        ...contribute(postbackResolvers, automation.postbackResolver),
        ...contribute(postbackTapHooks, automation.recordTaps),
        // URL buttons: campaigns' tracked links, redirect and click job; what a click means is ours.
        ...contribute(automationLinks, automation.links),
        ...contribute(tagUsageProviders, automation.tagUsage),
        ...contribute(auditTargetLabelers, { automation_rule: labelRulesForAudit }),
        // Another property's rules are not named on timelines and tags to an account of other properties.
        ...contribute(timelineOrigins, ruleTimelineOrigin),
        ...contribute(provenanceOrigins, ruleProvenanceOrigin),
        // A merged guest's runs follow the kept record; an erased guest's runs leave with them.
        ...contribute(memberMergeHooks, async (ctx, { keepId, mergedId }) => moveRuns(ctx.db, ctx.tenantId, mergedId, keepId)),
        ...contribute(memberEraseHooks, async (ctx, erased) => deleteRunsOf(ctx.db, ctx.tenantId, erased.memberId)),
      ],
    };
  },
});
