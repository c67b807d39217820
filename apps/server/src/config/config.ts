import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

// Every setting comes from the environment, parsed once at boot; nothing else reads process.env.
const ZConfigEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  /** The login role requests and jobs use (not the owner); DATABASE_URL then serves migrations and the queue only. */
  DATABASE_APP_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  LOGIN_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).default(30),
  /** Failed passwords from all addresses within an hour before the account is throttled and its owner alerted. */
  LOGIN_ACCOUNT_FAILURES_PER_HOUR: z.coerce.number().int().min(1).default(50),
  /** Comma-separated addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For is believed; none by default. */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
    .refine((entries) => entries.every(isAddressOrRange), { error: 'each entry must be an IP address or CIDR range, e.g. 10.0.0.0/8' }),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Innkeeper <no-reply@innkeeper.local>'),
  /** The demo: mail and SMS are captured and shown at /demo-mailbox, the demo tenant is seeded, LINE is simulated. */
  DEMO_MODE: z.enum(['true', 'false']).optional(),
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  DEMO_ADMIN_PASSWORD: z.string().min(10).default('Innkeeper-demo-2026'),
  OPERATOR_EMAIL: z.email().default('operator@innkeeper.example'),
  OPERATOR_PASSWORD: z.string().min(10).optional(),
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  /** Where LINE's APIs are: LINE itself in production, the bundled simulator in the demo and tests. */
  LINE_API_BASE_URL: z.url().optional(),
  /** Demo: run the LINE simulator in the same process on this port and connect the demo tenant to it. */
  LINE_SIMULATOR: z.enum(['on', 'off']).optional(),
  LINE_SIMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(3900),
  /** The share of LINE's per-channel rate limits Innkeeper sends at (send-pacing.ts); lower it if LINE answers 429s. */
  LINE_PACE_PERCENT: z.coerce.number().min(10).max(99).default(97.5),
  /** Demo: run the 德安 PMS simulator in the same process on this port and connect the demo tenant to it. */
  PMS_SIMULATOR: z.enum(['on', 'off']).optional(),
  PMS_SIMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(3910),
  /** Allow a PMS base URL over plain http:// (an agent on the hotel's LAN or VPN); on in the demo and tests. */
  PMS_ALLOW_HTTP: z.enum(['true', 'false']).optional(),
  /** Allow a PMS address inside Innkeeper's own network (loopback, private ranges); on in the demo and tests. */
  PMS_ALLOW_PRIVATE_NETWORK: z.enum(['true', 'false']).optional(),
  /** Where connections' drop folders live (docs/pms-dean-contract.md §9); unset = no drop folders, uploads only. */
  PMS_DROP_ROOT: z.string().trim().min(1).optional(),
  /** A real SMS provider for guests' binding codes; without one (outside the demo) binding by mobile is off. */
  SMS_PROVIDER: z.enum(['every8d', 'twilio']).optional(),
  /** Every8d: account and password; Twilio: account SID and auth token. */
  SMS_USERNAME: z.string().optional(),
  SMS_PASSWORD: z.string().optional(),
  /** Twilio: the sending number (E.164) or messaging service SID. */
  SMS_FROM: z.string().optional(),
  /** The provider's API root, for a regional endpoint or a test double. */
  SMS_API_BASE_URL: z.url().optional(),
  /** Comma-separated `keyId:base64(32 bytes)`; the first is used for new data, all decrypt. */
  ENCRYPTION_KEYS: z.string().optional(),
  /** base64(32 bytes) for keyed lookup hashes (blind indexes); never rotated in place. */
  BLIND_INDEX_KEY: z.string().optional(),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databaseAppUrl: string | undefined;
  logLevel: z.infer<typeof ZConfigEnv>['LOG_LEVEL'];
  session: { idleMinutes: number; absoluteHours: number };
  login: { maxFailures: number; lockoutMinutes: number; attemptsPerIpPer10Minutes: number; accountFailuresPerHour: number };
  /** Proxies allowed to say who the client is (X-Forwarded-For); empty: the socket's address is the client. */
  trustedProxies: string[];
  mail: { smtpUrl: string | undefined; from: string };
  /**
   * Demo mode: mail and SMS are captured in the database and readable by anyone at /demo-mailbox, the demo tenant
   * with its known password is seeded, and the LINE simulator may run. Never with NODE_ENV=production.
   */
  demoMode: boolean;
  sms: SmsConfig | undefined;
  seedDemo: boolean;
  demoAdminPassword: string;
  /** The platform operator created on first start; without a password one is generated and printed once. */
  operator: { email: string; password: string | undefined };
  cookieSecure: boolean;
  encryptionKeys: string | undefined;
  blindIndexKey: string | undefined;
  line: { apiBaseUrl: string; simulator: boolean; simulatorPort: number; pacePercent: number };
  pms: { simulator: boolean; simulatorPort: number; allowHttp: boolean; allowPrivateNetwork: boolean; dropRoot?: string | undefined };
};

export type SmsConfig = { provider: 'every8d' | 'twilio'; username: string; password: string; from: string | undefined; apiBaseUrl: string | undefined };

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = ZConfigEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const demoMode = resolveDemoMode(e);
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: publicUrl.replace(/\/$/, ''),
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    databaseAppUrl: e.DATABASE_APP_URL || undefined,
    logLevel: e.LOG_LEVEL,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, lockoutMinutes: e.LOGIN_LOCKOUT_MINUTES, attemptsPerIpPer10Minutes: e.LOGIN_ATTEMPTS_PER_IP, accountFailuresPerHour: e.LOGIN_ACCOUNT_FAILURES_PER_HOUR },
    trustedProxies: e.TRUSTED_PROXIES,
    mail: { smtpUrl: e.SMTP_URL || undefined, from: e.MAIL_FROM },
    demoMode,
    sms: resolveSms(e),
    // In demo mode the demo tenant is seeded on the embedded database unless told otherwise; never outside it.
    seedDemo: demoMode && (e.SEED_DEMO ? e.SEED_DEMO === 'true' : !e.DATABASE_URL),
    demoAdminPassword: e.DEMO_ADMIN_PASSWORD,
    operator: { email: e.OPERATOR_EMAIL.toLowerCase(), password: e.OPERATOR_PASSWORD },
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : publicUrl.startsWith('https://'),
    encryptionKeys: e.ENCRYPTION_KEYS || undefined,
    blindIndexKey: e.BLIND_INDEX_KEY || undefined,
    line: {
      // The simulator runs with the demo unless a real LINE endpoint is configured or it is switched off.
      simulator: demoMode && (e.LINE_SIMULATOR ? e.LINE_SIMULATOR === 'on' : !e.LINE_API_BASE_URL && (e.SEED_DEMO ? e.SEED_DEMO === 'true' : !e.DATABASE_URL) && e.NODE_ENV !== 'test'),
      apiBaseUrl: (e.LINE_API_BASE_URL ?? 'https://api.line.me').replace(/\/$/, ''),
      simulatorPort: e.LINE_SIMULATOR_PORT,
      pacePercent: e.LINE_PACE_PERCENT,
    },
    pms: {
      // Like the LINE simulator: with the seeded demo, unless switched off.
      simulator: demoMode && (e.PMS_SIMULATOR ? e.PMS_SIMULATOR === 'on' : (e.SEED_DEMO ? e.SEED_DEMO === 'true' : !e.DATABASE_URL) && e.NODE_ENV !== 'test'),
      simulatorPort: e.PMS_SIMULATOR_PORT,
      allowHttp: e.PMS_ALLOW_HTTP ? e.PMS_ALLOW_HTTP === 'true' : demoMode || e.NODE_ENV === 'test',
      allowPrivateNetwork: e.PMS_ALLOW_PRIVATE_NETWORK ? e.PMS_ALLOW_PRIVATE_NETWORK === 'true' : demoMode || e.NODE_ENV === 'test',
      dropRoot: e.PMS_DROP_ROOT ? path.resolve(e.PMS_DROP_ROOT) : undefined,
    },
    ...overrides,
  };
}

type Env = z.infer<typeof ZConfigEnv>;

/**
 * Demo mode is on by default only for the embedded database outside production without a mail server (`npm start`);
 * DATABASE_URL, SMTP_URL or NODE_ENV=production turn it off. It may be switched on for a PostgreSQL demo, never in
 * production, and what only the demo has (a seeded tenant with a published password, the LINE simulator) is refused
 * outside it rather than ignored.
 */
function resolveDemoMode(e: Env): boolean {
  // A mail server configured means real staff will sign in: no published demo password, no public mailbox.
  const demoMode = e.DEMO_MODE ? e.DEMO_MODE === 'true' : !e.DATABASE_URL && !e.SMTP_URL && e.NODE_ENV !== 'production';
  const refuse = (message: string) => {
    throw new Error(`Invalid configuration:\n  ${message}`);
  };
  if (demoMode && e.NODE_ENV === 'production') refuse('DEMO_MODE=true is not allowed with NODE_ENV=production: demo mode publishes every captured mail and SMS at /demo-mailbox');
  if (!demoMode && e.SEED_DEMO === 'true') refuse('SEED_DEMO=true needs demo mode (DEMO_MODE=true): the demo tenant has a published password');
  if (!demoMode && e.LINE_SIMULATOR === 'on') refuse('LINE_SIMULATOR=on needs demo mode (DEMO_MODE=true)');
  if (!demoMode && e.PMS_SIMULATOR === 'on') refuse('PMS_SIMULATOR=on needs demo mode (DEMO_MODE=true)');
  return demoMode;
}

function resolveSms(e: Env): SmsConfig | undefined {
  if (!e.SMS_PROVIDER) return undefined;
  if (!e.SMS_USERNAME || !e.SMS_PASSWORD) throw new Error(`Invalid configuration:\n  SMS_PROVIDER=${e.SMS_PROVIDER} needs SMS_USERNAME and SMS_PASSWORD`);
  if (e.SMS_PROVIDER === 'twilio' && !e.SMS_FROM) throw new Error('Invalid configuration:\n  SMS_PROVIDER=twilio needs SMS_FROM (a Twilio number or messaging service SID)');
  return { provider: e.SMS_PROVIDER, username: e.SMS_USERNAME, password: e.SMS_PASSWORD, from: e.SMS_FROM || undefined, apiBaseUrl: e.SMS_API_BASE_URL?.replace(/\/$/, '') };
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const version = net.isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}
