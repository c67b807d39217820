import pino, { type Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { ephemeralKeyring, keyringFromConfig, loadOrCreateLocalKeyring, type Keyring } from '../core/crypto/keyring.ts';
import { openDatabase, type Database } from '../core/db/database.ts';
import { migrate } from '../core/db/migrate.ts';
import { createJobQueue, type JobDefinition, type JobQueue } from '../core/jobs/queue.ts';
import { createSmtpMailer, type Mailer } from '../core/mail/mailer.ts';
import type { SmsSender } from '../core/sms/sms.ts';
import { createAuthService, createTwoFactorService, purgeExpiredSessionsJob, type AuthService } from '../modules/auth/index.ts';
import { createCaptureMailer, createCaptureSms } from '../modules/mailbox/index.ts';
import {
  createBindingService,
  createPortalService,
  createReviewsService,
  createSettingsService,
  type BindingService,
  type PortalService,
  type ReviewsService,
  type SettingsService,
} from '../modules/member-portal/index.ts';
import {
  createChannelsService,
  createEventProcessor,
  createLineApi,
  createWebhookReceiver,
  processInboxJob,
  tagPostbackResolver,
  type ChannelsService,
  type EventProcessor,
  type LineApi,
  type PostbackResolver,
  type WebhookReceiver,
} from '../modules/line/index.ts';
import { createMemberTransferService, type MemberTransferService } from '../modules/member-transfer/index.ts';
import { createMemberLineService, createMembersService, eraseExpiredMembersJob, type MemberLineService, type MembersService } from '../modules/members/index.ts';
import { createSegmentsService, type SegmentsService } from '../modules/segments/index.ts';
import { createTagsService, expireTagAssignmentsJob, moveMemberTags, type TagsService, type TagUsageProvider } from '../modules/tags/index.ts';

/** Everything a process needs, built once: the web process, the worker and the tests all start from here. */
export type Runtime = {
  config: Config;
  db: Database;
  clock: Clock;
  keyring: Keyring;
  mailer: Mailer;
  logger: Logger;
  queue: JobQueue;
  auth: AuthService;
  twoFactor: ReturnType<typeof createTwoFactorService>;
  members: MembersService;
  tags: TagsService;
  segments: SegmentsService;
  memberTransfer: MemberTransferService;
  memberLine: MemberLineService;
  lineApi: LineApi;
  channels: ChannelsService;
  receiveWebhook: WebhookReceiver;
  lineEvents: EventProcessor;
  /** Campaigns and rich menus register what their postback data means. */
  postbackResolvers: PostbackResolver[];
  sms: SmsSender;
  portalSettings: SettingsService;
  binding: BindingService;
  portal: PortalService;
  reviews: ReviewsService;
};

export type RuntimeOverrides = { db?: Database; clock?: Clock; keyring?: Keyring; mailer?: Mailer; sms?: SmsSender; logger?: Logger; lineBaseUrl?: () => string };

export async function createRuntime(config: Config, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  const logger = overrides.logger ?? pino({ level: config.logLevel, ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty' } } : {}) });
  const db =
    overrides.db ??
    (await openDatabase(config.databaseUrl ? { engine: 'postgres', connectionString: config.databaseUrl, appConnectionString: config.databaseAppUrl } : { engine: 'pglite', dataDir: config.dataDir }));
  if (db.engine === 'postgres' && !config.databaseAppUrl && !overrides.db) {
    logger.warn('DATABASE_APP_URL is not set: requests run on the schema owner\'s connections (README, Configuration: a login role that owns nothing)');
  }
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const clock = overrides.clock ?? systemClock;
  const keyring = overrides.keyring ?? resolveKeyring(config, db);
  const mailer = overrides.mailer ?? (config.mail.smtpUrl ? createSmtpMailer(config.mail.smtpUrl, config.mail.from) : createCaptureMailer(db));
  const auth = createAuthService({ db, config, clock, mailer, keyring });
  const twoFactor = createTwoFactorService({ clock, keyring });
  // Modules that depend on members hook into it here (composition root), so no import cycle is needed.
  const tagUsageProviders: TagUsageProvider[] = [];
  const members = createMembersService({
    keyring,
    clock,
    mergeHooks: () => [async (ctx, { keepId, mergedId }) => moveMemberTags(ctx.db, ctx.tenantId, mergedId, keepId)],
  });
  const tags = createTagsService({ clock, members, usageProviders: () => tagUsageProviders });
  const segments = createSegmentsService({ clock, tags });
  tagUsageProviders.push(segments.tagUsage);
  const memberTransfer = createMemberTransferService({ db, keyring, clock, tags, segments, queue: () => queue });
  const memberLine = createMemberLineService({ members });
  const lineApi = createLineApi(overrides.lineBaseUrl ?? (() => config.line.apiBaseUrl));
  const channels = createChannelsService({ keyring, clock, config, lineApi });
  const postbackResolvers: PostbackResolver[] = [tagPostbackResolver(tags)];
  const lineEvents = createEventProcessor({ db, clock, logger, lineApi, channels, memberLine, tags, postbackResolvers: () => postbackResolvers });
  const lineInboxJob = processInboxJob(() => lineEvents);
  // No SMS provider is wired yet: codes are captured for the demo mailbox (see docs/architecture.md, LINE binding).
  const sms = overrides.sms ?? createCaptureSms(db);
  const portalSettings = createSettingsService();
  const binding = createBindingService({ db, clock, keyring, lineApi, channels, members, memberLine, sms, settings: portalSettings });
  const portal = createPortalService({ db, binding, settings: portalSettings, channels, members, memberLine });
  const reviews = createReviewsService({ keyring, clock, members, memberLine });
  const jobs = [purgeExpiredSessionsJob({ db, clock }), eraseExpiredMembersJob({ db, members }), expireTagAssignmentsJob({ db, tags }), lineInboxJob, memberTransfer.job] as Array<JobDefinition<object>>;
  const queue = createJobQueue(db, jobs, logger);
  const receiveWebhook = createWebhookReceiver({ db, keyring, queue, processJob: lineInboxJob });
  return { config, db, clock, keyring, mailer, logger, queue, auth, twoFactor, members, tags, segments, memberTransfer, memberLine, lineApi, channels, receiveWebhook, lineEvents, postbackResolvers, sms, portalSettings, binding, portal, reviews };
}

function resolveKeyring(config: Config, db: Database): Keyring {
  if (config.encryptionKeys && config.blindIndexKey) return keyringFromConfig(config.encryptionKeys, config.blindIndexKey);
  if (config.encryptionKeys || config.blindIndexKey) throw new Error('Set both ENCRYPTION_KEYS and BLIND_INDEX_KEY, or neither (embedded demo only)');
  if (config.env === 'test') return ephemeralKeyring();
  if (db.engine === 'pglite') return loadOrCreateLocalKeyring(config.dataDir);
  throw new Error('ENCRYPTION_KEYS and BLIND_INDEX_KEY are required with DATABASE_URL (see README, Configuration)');
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  await runtime.queue.stop();
  await runtime.db.close();
}
