import { z } from 'zod';
import type { Database } from '../../core/db/database.ts';
import type { JobDefinition } from '../../core/jobs/queue.ts';
import { forEachTenant } from '../tenants/index.ts';
import type { TagsService } from './tags.service.ts';

/** Hourly: tag assignments past their validity leave the member, with a history entry. */
export function expireTagAssignmentsJob(deps: { db: Database; tags: TagsService }): JobDefinition<Record<string, never>> {
  return {
    name: 'tags.expire-assignments',
    schema: z.object({}).strict(),
    cron: '7 * * * *',
    handler: async () => {
      await forEachTenant(deps.db, async (tx, tenantId) => {
        await deps.tags.removeExpiredAssignments({ tenantId, db: tx, actor: { kind: 'system', name: 'rule' }, ip: '', requestId: 'tags.expire-assignments', afterCommit: () => undefined });
      });
    },
  };
}
