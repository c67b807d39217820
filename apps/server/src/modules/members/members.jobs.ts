import { z } from 'zod';
import type { Database } from '../../core/db/database.ts';
import type { JobDefinition } from '../../core/jobs/queue.ts';
import { forEachTenant } from '../tenants/index.ts';
import type { MembersService } from './members.service.ts';

/** Nightly: members deleted more than 30 days ago are erased for good (the restore window has passed). */
export function eraseExpiredMembersJob(deps: { db: Database; members: MembersService }): JobDefinition<Record<string, never>> {
  return {
    name: 'members.erase-expired',
    schema: z.object({}).strict(),
    cron: '30 18 * * *', // 02:30 in Taipei
    handler: async () => {
      // What the erasure does outside the tenant's transaction (e.g. captured demo messages) runs once it committed.
      const afterCommit: Array<() => Promise<void>> = [];
      await forEachTenant(deps.db, async (tx, tenantId) => {
        await deps.members.eraseExpiredMembers({ tenantId, db: tx, actor: { kind: 'system', name: 'retention' }, ip: '', requestId: 'members.erase-expired', afterCommit: (task) => afterCommit.push(task) });
      });
      for (const task of afterCommit) await task();
    },
  };
}
