export { createChannelsService, labelChannelsForAudit, type ChannelsService, type ChannelCredentials } from './channels.service.ts';
export { createLineApi, type LineApi, type VerifiedIdToken } from './line-api.ts';
export { LinePushFailed, PUSH_TEXT_JOB, pushOnce, pushSettled, pushTextJob, type PushText } from './push.ts';
export {
  backoffMs,
  classifyLineFailure,
  createLineSender,
  MULTICAST_MAX_RECIPIENTS,
  sendUntilSettled,
  type LineErrorDetail,
  type LineSender,
  type LineSenderOptions,
  type MulticastSend,
  type PushSend,
  type QuotaReading,
  type RetryReason,
  type SendingChannel,
  type SendOutcome,
} from './sender.ts';
export { createSendPacing, DEFAULT_PACE, LINE_RATE_LIMITS, type Pace, type SendEndpoint, type SendPacing, type Slot } from './send-pacing.ts';
export { createWebhookReceiver, type WebhookReceiver } from './webhook.service.ts';
export { createEventProcessor, welcomeMessages, type EventProcessor } from './events.service.ts';
export { tagPostbackResolver, type PostbackResolver, type PostbackAction } from './postback.ts';
export { DRAIN_INBOX_JOB, lineJobs } from './line.jobs.ts';
export { LINE_FIELD_MESSAGES } from './line.messages.ts';
export { lineSettingsRoutes, lineWebhookRoutes } from './line.routes.ts';
