import { systemContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import type { JobDefinition, JobQueue } from '../../core/jobs/queue.ts';
import { perTenantCron } from '../tenants/index.ts';
import type { MembersService } from './members.service.ts';

/** Nightly, per tenant: members deleted more than 30 days ago are erased for good (the restore window has passed). */
export function eraseExpiredMembersJob(deps: { db: Database; members: MembersService; queue: () => JobQueue }): Array<JobDefinition<object>> {
  return perTenantCron(deps, {
    name: 'members.erase-expired',
    cron: '30 18 * * *', // 02:30 in Taipei
    // What the erasure does outside the tenant's transaction (e.g. captured demo messages) runs once it committed.
    run: (tx, tenantId, afterCommit) => deps.members.eraseExpiredMembers(systemContext(tx, tenantId, 'retention', { requestId: 'members.erase-expired', afterCommit })),
  });
}
