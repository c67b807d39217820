import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { ephemeralKeyring, keyringFromConfig, loadOrCreateLocalKeyring, type Keyring } from '../core/crypto/keyring.ts';
import { openDatabase, type Database } from '../core/db/database.ts';
import { migrate } from '../core/db/migrate.ts';
import { createJobQueue, type JobQueue, type QueueDriver } from '../core/jobs/queue.ts';
import { createLogger } from '../core/logging.ts';
import { assertSmtpUrl, createSmtpMailer, type Mailer } from '../core/mail/mailer.ts';
import { createProviderSms } from '../core/sms/sms-providers.ts';
import { noSms, type SmsSender } from '../core/sms/sms.ts';
import { createExtensions, type Extensions, type ModuleParts, type Platform } from '../core/module.ts';
import { createCaptureMailer, createCaptureSms } from '../modules/mailbox/index.ts';
import { MODULES, type AnyModule, type Services } from './modules.ts';

/** A module once created: its manifest's name, permissions and field messages with what its `create` returned. */
export type CreatedModule = ModuleParts<object> & Pick<AnyModule, 'name' | 'permissions' | 'fieldMessages'>;

/**
 * Everything a process needs, built once: the web process, the worker and the tests all start from here. The
 * platform (database, clock, keys, mail, SMS, queue) and every module's services by name (app/modules.ts).
 */
export type Runtime = Omit<Platform, 'queue' | 'lineBaseUrl'> & {
  queue: JobQueue;
  /** The modules in creation order, for build-app.ts (routes, field messages). */
  modules: readonly CreatedModule[];
  extensions: Extensions;
} & Services;

export type RuntimeOverrides = {
  db?: Database;
  clock?: Clock;
  keyring?: Keyring;
  mailer?: Mailer;
  sms?: SmsSender;
  logger?: Logger;
  lineBaseUrl?: () => string;
  /** Tests run jobs inline (drained by the test); processes use pg-boss's workers. */
  queueDriver?: QueueDriver;
  /** The modules to create, in order (app/modules.ts); a test may append one of its own. */
  modules?: readonly AnyModule[];
};

export async function createRuntime(config: Config, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  // Refused before the database is touched: a production-like process without a mail transport must not start.
  if (!overrides.mailer && !config.mail.smtpUrl && !config.demoMode) throw new Error(NO_SMTP);
  if (!overrides.mailer && config.mail.smtpUrl) assertSmtpUrl(config.mail.smtpUrl);
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
  // A configured provider sends; the demo captures codes for its mailbox; otherwise binding by mobile is off.
  const sms = overrides.sms ?? (config.sms ? createProviderSms(config.sms) : config.demoMode ? createCaptureSms(db) : noSms);
  if (sms.mode === 'none') logger.warn('No SMS provider (SMS_PROVIDER): guests cannot bind their membership by mobile until one is configured');

  const extensions = createExtensions();
  // The queue is built from every module's jobs, below: modules call `queue()` when they use it, not in `create`.
  const lineBaseUrl = overrides.lineBaseUrl ?? (() => config.line.apiBaseUrl);
  const platform: Platform = { config, db, clock, keyring, mailer, sms, logger, extensions, queue: () => queue, lineBaseUrl };
  // Each module gets the platform and the services created before it (app/modules.ts orders them; the type-check
  // there proves each module's needs come first).
  const services: Record<string, unknown> = {};
  const created: CreatedModule[] = [];
  const modules: readonly AnyModule[] = overrides.modules ?? MODULES;
  for (const module of modules) {
    const parts = module.create({ ...platform, ...services });
    for (const name of Object.keys(parts.services)) {
      if (name in services || name in platform) throw new Error(`modules/${module.name}: a service named ${name} already exists`);
    }
    Object.assign(services, parts.services);
    for (const { point, item } of parts.contributes ?? []) extensions.add(point, item);
    created.push({ ...parts, name: module.name, permissions: module.permissions, fieldMessages: module.fieldMessages });
  }
  const queue = createJobQueue(db, created.flatMap((module) => module.jobs ?? []), logger, overrides.queueDriver);
  return { config, db, clock, keyring, mailer, sms, logger, extensions, queue, modules: created, ...(services as Services) };
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
