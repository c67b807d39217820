import pino, { type Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { ephemeralKeyring, keyringFromConfig, loadOrCreateLocalKeyring, type Keyring } from '../core/crypto/keyring.ts';
import { openDatabase, type Database } from '../core/db/database.ts';
import { migrate } from '../core/db/migrate.ts';
import { createJobQueue, type JobDefinition, type JobQueue } from '../core/jobs/queue.ts';
import { createSmtpMailer, type Mailer } from '../core/mail/mailer.ts';
import { createAuthService, createTwoFactorService, purgeExpiredSessionsJob, type AuthService } from '../modules/auth/index.ts';
import { createCaptureMailer } from '../modules/mailbox/index.ts';
import { createMembersService, eraseExpiredMembersJob, type MembersService } from '../modules/members/index.ts';
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
};

export type RuntimeOverrides = { db?: Database; clock?: Clock; keyring?: Keyring; mailer?: Mailer; logger?: Logger };

export async function createRuntime(config: Config, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  const logger = overrides.logger ?? pino({ level: config.logLevel, ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty' } } : {}) });
  const db =
    overrides.db ??
    (await openDatabase(config.databaseUrl ? { engine: 'postgres', connectionString: config.databaseUrl } : { engine: 'pglite', dataDir: config.dataDir }));
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
  const jobs = [purgeExpiredSessionsJob({ db, clock }), eraseExpiredMembersJob({ db, members }), expireTagAssignmentsJob({ db, tags })] as Array<JobDefinition<object>>;
  const queue = createJobQueue(db, jobs, logger);
  return { config, db, clock, keyring, mailer, logger, queue, auth, twoFactor, members, tags, segments };
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
