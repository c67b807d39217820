export { createSegmentsService, calendarDate, labelSegmentsForAudit, type Audience, type SegmentsService } from './segments.service.ts';
export { SEGMENT_FIELD_MESSAGES } from './segments.messages.ts';
export { segmentRoutes } from './segments.routes.ts';
