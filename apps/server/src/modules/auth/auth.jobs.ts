import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { Clock } from '../../core/clock.ts';
import type { Database } from '../../core/db/database.ts';
import { asTenantId } from '../../core/ids.ts';
import type { JobDefinition } from '../../core/jobs/queue.ts';
import { listTenantsInPlatformScope } from '../tenants/index.ts';
import { deleteExpiredSessions, deleteStaleLoginFailures } from './auth.repository.ts';

/** Hourly clean-up: sessions past their absolute expiry, finished throttling windows and old runs of failed sign-ins. */
export function purgeExpiredSessionsJob(deps: { db: Database; clock: Clock }): JobDefinition<Record<string, never>> {
  return {
    name: 'auth.purge-expired-sessions',
    schema: z.object({}).strict(),
    cron: '17 * * * *',
    handler: async () => {
      const now = deps.clock.now();
      const tenants = await deps.db.withPlatform(async (tx) => {
        await tx.execute(sql`delete from rate_limits where window_ends_at < ${now.toISOString()}`);
        return listTenantsInPlatformScope(tx);
      });
      for (const tenant of tenants) {
        await deps.db.withTenant(asTenantId(tenant.id), async (tx) => {
          await deleteExpiredSessions(tx, asTenantId(tenant.id), now);
          await deleteStaleLoginFailures(tx, asTenantId(tenant.id), now);
        });
      }
    },
  };
}
