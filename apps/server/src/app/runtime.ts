import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { ephemeralKeyring, keyringFromConfig, loadOrCreateLocalKeyring, type Keyring } from '../core/crypto/keyring.ts';
import { openDatabase, type Database } from '../core/db/database.ts';
import { migrate } from '../core/db/migrate.ts';
import { createJobQueue, type JobDefinition, type JobQueue } from '../core/jobs/queue.ts';
import { createLogger } from '../core/logging.ts';
import { createSmtpMailer, type Mailer } from '../core/mail/mailer.ts';
import { createProviderSms } from '../core/sms/sms-providers.ts';
import { noSms, type SmsSender } from '../core/sms/sms.ts';
import type { AuditTargetLabelers } from '../modules/audit/index.ts';
import { labelAccountsForAudit } from '../modules/accounts/index.ts';
import { createAuthService, createTwoFactorService, purgeExpiredSessionsJob, type AuthService } from '../modules/auth/index.ts';
import { createCaptureMailer, createCaptureSms, eraseCapturedFor, purgeCapturedMessagesJob } from '../modules/mailbox/index.ts';
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
  DRAIN_INBOX_JOB,
  labelChannelsForAudit,
  lineJobs,
  pushTextJob,
  tagPostbackResolver,
  type ChannelsService,
  type EventProcessor,
  type LineApi,
  type PostbackResolver,
  type WebhookReceiver,
} from '../modules/line/index.ts';
import { createMemberTransferService, eraseFromImportFiles, expireImportFilesJob, type MemberTransferService } from '../modules/member-transfer/index.ts';
import { createMemberLineService, createMembersService, eraseExpiredMembersJob, labelMembersForAudit, type EraseHook, type MemberLineService, type MembersService } from '../modules/members/index.ts';
import { createSegmentsService, labelSegmentsForAudit, type SegmentsService } from '../modules/segments/index.ts';
// campaigns (h/campaigns): the lead ports these lines to the module manifest.
import { createCampaignImagesService, createCampaignsService, labelCampaignsForAudit, type CampaignImagesService, type CampaignsService } from '../modules/campaigns/index.ts';
import { createTagsService, expireTagAssignmentsJob, labelTagsForAudit, moveMemberTags, type TagsService, type TagUsageProvider } from '../modules/tags/index.ts';

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
  campaigns: CampaignsService;
  campaignImages: CampaignImagesService;
  /** How the audit log names targets of each kind (modules below audit cannot be imported by it). */
  auditTargetLabelers: AuditTargetLabelers;
};

export type RuntimeOverrides = { db?: Database; clock?: Clock; keyring?: Keyring; mailer?: Mailer; sms?: SmsSender; logger?: Logger; lineBaseUrl?: () => string };

export async function createRuntime(config: Config, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  // Refused before the database is touched: a production-like process without a mail transport must not start.
  if (!overrides.mailer && !config.mail.smtpUrl && !config.demoMode) throw new Error(NO_SMTP);
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, pretty: process.stdout.isTTY });
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
  const mailer = overrides.mailer ?? createMailer(config, db);
  const auth = createAuthService({ db, config, clock, mailer, keyring });
  const twoFactor = createTwoFactorService({ clock, keyring, login: config.login });
  // Modules that depend on members hook into it here (composition root), so no import cycle is needed.
  const tagUsageProviders: TagUsageProvider[] = [];
  const members = createMembersService({
    keyring,
    clock,
    mergeHooks: () => [async (ctx, { keepId, mergedId }) => moveMemberTags(ctx.db, ctx.tenantId, mergedId, keepId)],
    eraseHooks: () => {
      const hooks: EraseHook[] = [async (ctx, erased) => void (await eraseFromImportFiles(ctx, erased, clock.now()))];
      // Captured messages exist only in demo mode; they live outside the tenant (platform scope), so they go in their
      // own transaction once the erasure commits.
      if (config.demoMode) hooks.push(async (ctx, erased) => ctx.afterCommit(() => eraseCapturedFor(db, erased)));
      return hooks;
    },
  });
  const tags = createTagsService({ clock, members, usageProviders: () => tagUsageProviders });
  const segments = createSegmentsService({ clock, tags, members });
  tagUsageProviders.push(segments.tagUsage);
  // campaigns (h/campaigns)
  const campaigns = createCampaignsService({ clock, publicUrl: config.publicUrl, segments, tags });
  const campaignImages = createCampaignImagesService({ db, publicUrl: config.publicUrl });
  tagUsageProviders.push(campaigns.tagUsage);
  const memberTransfer = createMemberTransferService({ db, keyring, clock, tags, segments, queue: () => queue });
  const memberLine = createMemberLineService({ members });
  const lineApi = createLineApi(overrides.lineBaseUrl ?? (() => config.line.apiBaseUrl));
  const channels = createChannelsService({ keyring, clock, config, lineApi });
  const postbackResolvers: PostbackResolver[] = [tagPostbackResolver(tags), campaigns.postbackResolver]; // campaigns (h/campaigns): its buttons' postbacks
  const lineEvents = createEventProcessor({ db, clock, logger, lineApi, channels, memberLine, tags, postbackResolvers: () => postbackResolvers, queue: () => queue });
  // A configured provider sends; the demo captures codes for its mailbox; otherwise binding by mobile is off.
  const sms = overrides.sms ?? (config.sms ? createProviderSms(config.sms) : config.demoMode ? createCaptureSms(db) : noSms);
  if (sms.mode === 'none') logger.warn('No SMS provider (SMS_PROVIDER): guests cannot bind their membership by mobile until one is configured');
  const portalSettings = createSettingsService();
  const binding = createBindingService({ db, clock, keyring, lineApi, channels, members, memberLine, sms, settings: portalSettings, queue: () => queue });
  const portal = createPortalService({ db, binding, settings: portalSettings, channels, members, memberLine });
  const reviews = createReviewsService({ keyring, clock, members, memberLine, queue: () => queue });
  const jobs = [
    ...purgeExpiredSessionsJob({ db, clock, queue: () => queue }),
    ...eraseExpiredMembersJob({ db, members, queue: () => queue }),
    ...expireTagAssignmentsJob({ db, tags, queue: () => queue }),
    ...lineJobs(() => lineEvents),
    pushTextJob({ db, channels, lineApi }),
    memberTransfer.job,
    ...expireImportFilesJob({ db, clock, queue: () => queue }),
    purgeCapturedMessagesJob({ db, clock }),
  ] as Array<JobDefinition<object>>;
  const queue = createJobQueue(db, jobs, logger);
  const receiveWebhook = createWebhookReceiver({ db, keyring, queue, processJob: DRAIN_INBOX_JOB });
  const auditTargetLabelers: AuditTargetLabelers = { member: labelMembersForAudit, account: labelAccountsForAudit, tag: labelTagsForAudit, segment: labelSegmentsForAudit, line_channel: labelChannelsForAudit, campaign: labelCampaignsForAudit };
  return { config, db, clock, keyring, mailer, logger, queue, auth, twoFactor, members, tags, segments, memberTransfer, memberLine, lineApi, channels, receiveWebhook, lineEvents, postbackResolvers, sms, portalSettings, binding, portal, reviews, campaigns, campaignImages, auditTargetLabelers };
}

/**
 * Mail goes through SMTP when configured. Without it, the demo captures mail for its public mailbox; anything else
 * refuses to start, since sign-in codes and password links must reach their owner and nobody else.
 */
function createMailer(config: Config, db: Database): Mailer {
  if (config.mail.smtpUrl) return createSmtpMailer(config.mail.smtpUrl, config.mail.from);
  if (config.demoMode) return createCaptureMailer(db);
  throw new Error(NO_SMTP);
}

const NO_SMTP =
  'SMTP_URL is required outside demo mode (DATABASE_URL or NODE_ENV=production is set): sign-in codes and password links are sent by mail, and only the demo shows them in a public mailbox (see README, Configuration)';

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
