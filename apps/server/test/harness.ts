import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app/build-app.ts';
import { createRuntime, type Runtime, type RuntimeOverrides } from '../src/app/runtime.ts';
import { loadConfig, type Config } from '../src/config/config.ts';
import type { Clock } from '../src/core/clock.ts';
import type { QueueDriver } from '../src/core/jobs/queue.ts';
import { createLogger } from '../src/core/logging.ts';
import { enterPlatformScope } from '../src/core/db/database.ts';
import { asTenantId, newId, type TenantId } from '../src/core/ids.ts';
import { provisionTenant } from '../src/modules/platform/index.ts';
import { openTestDatabase } from './database.ts';

export class TestClock implements Clock {
  current: Date;
  constructor(start = new Date('2026-11-22T02:00:00Z')) {
    this.current = start;
  }
  now(): Date {
    return new Date(this.current);
  }
  nowMs(): number {
    return this.current.getTime();
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
  /** A wait (a send's backoff) passes at once, moving the clock on by as much. */
  sleep(ms: number): Promise<void> {
    this.current = new Date(this.current.getTime() + ms);
    return Promise.resolve();
  }
}

export type TestEnv = { runtime: Runtime; app: FastifyInstance; clock: TestClock; config: Config; engine: string; close(): Promise<void> };

/**
 * The real application on a fresh database (PGlite, or PostgreSQL with TEST_DATABASE_URL), with a controllable clock.
 * Jobs are written as in production but run only when the test calls `runtime.queue.drain()` (the inline driver, see
 * core/jobs/queue.ts); `queue: 'pg-boss'` keeps pg-boss's own workers, for the tests that prove them end to end.
 */
export async function startTestEnv(
  env: Record<string, string> = {},
  options: { beforeReady?: (app: FastifyInstance) => void; runtime?: RuntimeOverrides; webRoot?: string; queue?: QueueDriver } = {},
): Promise<TestEnv> {
  const db = await openTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://innkeeper.test', SEED_DEMO: 'false', ...env });
  const clock = new TestClock();
  const runtime = await createRuntime(config, { db, clock, logger: createLogger({ level: 'error' }), queueDriver: options.queue ?? 'inline', ...options.runtime });
  // beforeReady's routes go into the general pipeline (build-app.ts), as a module's would.
  const app = await buildApp(runtime, { serveWeb: Boolean(options.webRoot), webRoot: options.webRoot, ...(options.beforeReady ? { addRoutes: options.beforeReady } : {}) });
  await app.ready();
  return {
    runtime,
    app,
    clock,
    config,
    engine: db.engineLabel,
    async close() {
      await app.close();
      await runtime.queue.stop();
      await db.close();
    },
  };
}

export type TestTenant = { tenantId: TenantId; slug: string; adminEmail: string; password: string; propertyIds: string[] };

let tenantCounter = 0;

/** A hotel tenant with two properties and an administrator who already has a password. */
export async function createTestTenant(env: TestEnv, options: { slug?: string; name?: string } = {}): Promise<TestTenant> {
  tenantCounter += 1;
  const slug = options.slug ?? `hotel-${tenantCounter}-${newId().slice(-6)}`;
  const adminEmail = `admin@${slug}.example`;
  const password = 'correct horse battery';
  const result = await env.runtime.db.withPlatform(async (tx) => {
    await enterPlatformScope(tx);
    return provisionTenant(
      tx,
      {
        kind: 'hotel',
        name: options.name ?? `測試飯店 ${slug}`,
        slug,
        properties: [
          { code: 'TPE', name: '台北館' },
          { code: 'TXG', name: '台中館' },
        ],
        administrator: { email: adminEmail, displayName: '管理員', password },
      },
      { actor: { kind: 'system', name: 'test' }, ip: '', requestId: newId(), afterCommit: () => undefined, invite: async () => undefined, now: env.clock.now() },
    );
  });
  return { tenantId: asTenantId(result.tenant.id), slug, adminEmail, password, propertyIds: result.properties.map((p) => p.id) };
}
