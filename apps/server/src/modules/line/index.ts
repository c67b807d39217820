import { contribute, defineModule, extensionPoint, type Platform } from '../../core/module.ts';
import { auditTargetLabelers } from '../audit/index.ts';
import type { MemberLineService } from '../members/index.ts';
import type { TagsService } from '../tags/index.ts';
import { createChannelsService, labelChannelsForAudit } from './channels.service.ts';
import { createEventProcessor } from './events.service.ts';
import { createLineApi } from './line-api.ts';
import { createSendPacing, paceAt } from './send-pacing.ts';
import { createLineSender } from './sender.ts';
import { DRAIN_INBOX_JOB, lineJobs } from './line.jobs.ts';
import { LINE_FIELD_MESSAGES } from './line.messages.ts';
import { lineSettingsRoutes, lineWebhookRoutes } from './line.routes.ts';
import { tagPostbackResolver, type PostbackResolver, type PostbackTapHook } from './postback.ts';
import { pushTextJob } from './push.ts';
import { createWebhookReceiver } from './webhook.service.ts';

export type { ChannelsService, ChannelCredentials } from './channels.service.ts';
export type { LineApi, VerifiedIdToken } from './line-api.ts';
export { LinePushFailed, PUSH_TEXT_JOB, pushOnce, pushSettled, type PushText } from './push.ts';
export type { WebhookReceiver } from './webhook.service.ts';
export { isLineUserId, LINE_USER_ID } from './line-user-id.ts';
export { welcomeMessages, type EventProcessor } from './events.service.ts';
export type { PostbackResolver, PostbackAction, PostbackTapper, PostbackTapHook } from './postback.ts';
export {
  backoffMs,
  classifyLineFailure,
  createLineSender,
  MULTICAST_MAX_RECIPIENTS,
  sendUntilSettled,
  type JoinedLineUserIds,
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
export { createSendPacing, DEFAULT_PACE, LINE_RATE_LIMITS, paceAt, type Pace, type SendEndpoint, type Departure, type SendPacing, type Slot } from './send-pacing.ts';
export { LINE_FIELD_MESSAGES } from './line.messages.ts';

/** What a postback's data means (tags here; campaigns and rich menus add theirs). The first answer wins. */
export const postbackResolvers = extensionPoint<PostbackResolver>('line.postback');
/** Who is told of postback taps as they are recorded (see PostbackTapHook). */
export const postbackTapHooks = extensionPoint<PostbackTapHook>('line.postback-taps');

export const lineModule = defineModule({
  name: 'line',
  permissions: ['members.read', 'settings.manage'],
  fieldMessages: LINE_FIELD_MESSAGES,
  create: ({ db, config, clock, keyring, logger, queue, lineBaseUrl, extensions, memberLine, tags }: Platform & { memberLine: MemberLineService; tags: TagsService }) => {
    const lineApi = createLineApi(lineBaseUrl);
    // One sending port per process: every send of a channel (welcome, notices, campaigns) is paced in PostgreSQL with
    // every other process's, and this process's concurrent sends share one reservation.
    const lineSender = createLineSender({ lineApi, pacing: createSendPacing({ db, pace: paceAt(config.line.pacePercent) }) });
    const channels = createChannelsService({ keyring, clock, config, lineApi });
    const lineEvents = createEventProcessor({ db, clock, logger, lineApi, sender: lineSender, channels, memberLine, tags, postbackResolvers: () => extensions.of(postbackResolvers), postbackTapHooks: () => extensions.of(postbackTapHooks), queue });
    const receiveWebhook = createWebhookReceiver({ db, keyring, queue, processJob: DRAIN_INBOX_JOB });
    return {
      services: { lineApi, lineSender, channels, receiveWebhook, lineEvents },
      routes: [lineWebhookRoutes({ receiveWebhook }), lineSettingsRoutes({ channels, memberLine })],
      jobs: [...lineJobs(() => lineEvents, { db, queue }), pushTextJob({ db, channels, sender: lineSender })],
      contributes: [...contribute(postbackResolvers, tagPostbackResolver(tags)), ...contribute(auditTargetLabelers, { line_channel: labelChannelsForAudit })],
    };
  },
});
