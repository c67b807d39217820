import { contribute, defineModule, extensionPoint, type Platform } from '../../core/module.ts';
import { auditTargetLabelers } from '../audit/index.ts';
import { memberMergeHooks, type MergeHook, type MembersService } from '../members/index.ts';
import { moveMemberTags } from './tags.repository.ts';
import { expireTagAssignmentsJob } from './tags.jobs.ts';
import { tagRoutes } from './tags.routes.ts';
import { createTagsService, labelTagsForAudit, type ProvenanceOrigin, type TagAddedHook, type TagUsageProvider } from './tags.service.ts';

export { mayGiveOnClick, toTagDto, type ProvenanceOrigin, type ProvenanceView, type TagAddedHook, type TagsService, type TagUsage, type TagUsageProvider } from './tags.service.ts';
export type { Provenance } from './tags.repository.ts';

/** Who uses a tag (segments, scheduled campaigns, rules): asked before a tag is deleted. */
export const tagUsageProviders = extensionPoint<TagUsageProvider>('tags.usage');
/** Who acts when members newly carry a tag (automation's "tag added" trigger), inside the transaction that adds it. */
export const tagAddedHooks = extensionPoint<TagAddedHook>('tags.added');
/** Modules whose campaigns or rules give tags, for property-scoped accounts (see ProvenanceOrigin). */
export const provenanceOrigins = extensionPoint<ProvenanceOrigin>('tags.provenance-origins');

/** A merged member's tags move to the member kept. */
const moveTagsOnMerge: MergeHook = async (ctx, { keepId, mergedId }) => moveMemberTags(ctx.db, ctx.tenantId, mergedId, keepId);

export const tagsModule = defineModule({
  name: 'tags',
  permissions: ['members.read', 'tags.edit'],
  create: ({ db, clock, queue, extensions, members }: Platform & { members: MembersService }) => {
    const tags = createTagsService({ clock, members, usageProviders: () => extensions.of(tagUsageProviders), addedHooks: () => extensions.of(tagAddedHooks), provenanceOrigins: () => extensions.of(provenanceOrigins) });
    return {
      services: { tags },
      routes: [tagRoutes(tags)],
      jobs: expireTagAssignmentsJob({ db, tags, queue }),
      contributes: [...contribute(memberMergeHooks, moveTagsOnMerge), ...contribute(auditTargetLabelers, { tag: labelTagsForAudit })],
    };
  },
});
