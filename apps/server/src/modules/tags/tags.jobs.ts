import { systemContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import type { JobDefinition, JobQueue } from '../../core/jobs/queue.ts';
import { perTenantCron } from '../tenants/index.ts';
import type { TagsService } from './tags.service.ts';

/** Hourly, per tenant: tag assignments past their validity leave the member, with a history entry. */
export function expireTagAssignmentsJob(deps: { db: Database; tags: TagsService; queue: () => JobQueue }): Array<JobDefinition<object>> {
  return perTenantCron(deps, {
    name: 'tags.expire-assignments',
    cron: '7 * * * *',
    run: (tx, tenantId) => deps.tags.removeExpiredAssignments(systemContext(tx, tenantId, 'rule', { requestId: 'tags.expire-assignments' })),
  });
}
