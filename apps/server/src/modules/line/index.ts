export { createChannelsService, labelChannelsForAudit, type ChannelsService, type ChannelCredentials } from './channels.service.ts';
export { createLineApi, type LineApi, type VerifiedIdToken } from './line-api.ts';
export { PUSH_TEXT_JOB, pushOnce, pushTextJob, type PushText } from './push.ts';
export { createWebhookReceiver, type WebhookReceiver } from './webhook.service.ts';
export { createEventProcessor, welcomeMessages, type EventProcessor } from './events.service.ts';
export { tagPostbackResolver, type PostbackResolver, type PostbackAction } from './postback.ts';
export { DRAIN_INBOX_JOB, lineJobs } from './line.jobs.ts';
export { LINE_FIELD_MESSAGES } from './line.messages.ts';
export { lineSettingsRoutes, lineWebhookRoutes } from './line.routes.ts';
