import type { Clock } from '../../core/clock.ts';
import type { Database } from '../../core/db/database.ts';
import type { JobDefinition, JobQueue } from '../../core/jobs/queue.ts';
import { deleteEndedRateLimits } from '../../core/rate-limit.ts';
import { perTenantCron } from '../tenants/index.ts';
import { deleteExpiredSessions, deleteStaleLoginFailures } from './auth.repository.ts';

/**
 * Hourly clean-up: finished throttling windows (once), then each tenant's sessions past their absolute expiry and old
 * runs of failed sign-ins — suspended tenants too, since both hold who signed in from where.
 */
export function purgeExpiredSessionsJob(deps: { db: Database; clock: Clock; queue: () => JobQueue }): Array<JobDefinition<object>> {
  return perTenantCron(deps, {
    name: 'auth.purge-expired-sessions',
    cron: '17 * * * *',
    tenants: 'all',
    platform: (tx) => deleteEndedRateLimits(tx, deps.clock.now()),
    run: async (tx, tenantId) => {
      const now = deps.clock.now();
      await deleteExpiredSessions(tx, tenantId, now);
      await deleteStaleLoginFailures(tx, tenantId, now);
    },
  });
}
