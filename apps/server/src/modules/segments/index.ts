export { createSegmentsService, calendarDate, labelSegmentsForAudit, type Audience, type AudienceReach, type SegmentsService } from './segments.service.ts';
export { ZSegmentDefinition, type SegmentDefinition } from './segment-definition.ts';
export { ZAudience } from './segments.schemas.ts';
export { SEGMENT_FIELD_MESSAGES } from './segments.messages.ts';
export { segmentRoutes } from './segments.routes.ts';
