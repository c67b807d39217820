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
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Innkeeper <no-reply@innkeeper.local>'),
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
  login: { maxFailures: number; lockoutMinutes: number; attemptsPerIpPer10Minutes: number };
  mail: { smtpUrl: string | undefined; from: string };
  seedDemo: boolean;
  demoAdminPassword: string;
  /** The platform operator created on first start; without a password one is generated and printed once. */
  operator: { email: string; password: string | undefined };
  cookieSecure: boolean;
  encryptionKeys: string | undefined;
  blindIndexKey: string | undefined;
  line: { apiBaseUrl: string; simulator: boolean; simulatorPort: number };
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = ZConfigEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
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
    login: { maxFailures: e.LOGIN_MAX_FAILURES, lockoutMinutes: e.LOGIN_LOCKOUT_MINUTES, attemptsPerIpPer10Minutes: e.LOGIN_ATTEMPTS_PER_IP },
    mail: { smtpUrl: e.SMTP_URL || undefined, from: e.MAIL_FROM },
    // The demo tenant is seeded on the embedded database unless told otherwise.
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : !e.DATABASE_URL,
    demoAdminPassword: e.DEMO_ADMIN_PASSWORD,
    operator: { email: e.OPERATOR_EMAIL.toLowerCase(), password: e.OPERATOR_PASSWORD },
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : publicUrl.startsWith('https://'),
    encryptionKeys: e.ENCRYPTION_KEYS || undefined,
    blindIndexKey: e.BLIND_INDEX_KEY || undefined,
    line: {
      // The simulator runs with the demo unless a real LINE endpoint is configured or it is switched off.
      simulator: e.LINE_SIMULATOR ? e.LINE_SIMULATOR === 'on' : !e.LINE_API_BASE_URL && (e.SEED_DEMO ? e.SEED_DEMO === 'true' : !e.DATABASE_URL) && e.NODE_ENV !== 'test',
      apiBaseUrl: (e.LINE_API_BASE_URL ?? 'https://api.line.me').replace(/\/$/, ''),
      simulatorPort: e.LINE_SIMULATOR_PORT,
    },
    ...overrides,
  };
}
