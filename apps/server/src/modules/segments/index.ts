import { contribute, defineModule, type Platform } from '../../core/module.ts';
import { auditTargetLabelers } from '../audit/index.ts';
import type { MembersService } from '../members/index.ts';
import { tagUsageProviders, type TagsService } from '../tags/index.ts';
import { SEGMENT_FIELD_MESSAGES } from './segments.messages.ts';
import { segmentRoutes } from './segments.routes.ts';
import { createSegmentsService, labelSegmentsForAudit } from './segments.service.ts';

export { calendarDate, labelSegmentsForAudit, type Audience, type AudienceReach, type SegmentsService } from './segments.service.ts';
export { SEGMENT_FIELD_MESSAGES } from './segments.messages.ts';

export const segmentsModule = defineModule({
  name: 'segments',
  permissions: ['members.read', 'tags.edit'],
  fieldMessages: SEGMENT_FIELD_MESSAGES,
  create: ({ clock, members, tags }: Platform & { members: MembersService; tags: TagsService }) => {
    const segments = createSegmentsService({ clock, tags, members });
    return {
      services: { segments },
      routes: [segmentRoutes(segments)],
      contributes: [...contribute(tagUsageProviders, segments.tagUsage), ...contribute(auditTargetLabelers, { segment: labelSegmentsForAudit })],
    };
  },
});
