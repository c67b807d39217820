export { createTagsService, labelTagsForAudit, toTagDto, type TagsService, type TagUsage, type TagUsageProvider } from './tags.service.ts';
export { moveMemberTags } from './tags.repository.ts';
export { tagRoutes } from './tags.routes.ts';
export { expireTagAssignmentsJob } from './tags.jobs.ts';
