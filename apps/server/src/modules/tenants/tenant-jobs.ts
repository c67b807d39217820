import { z } from 'zod';
import { runAfterCommit } from '../../core/after-commit.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import { asTenantId, type TenantId } from '../../core/ids.ts';
import type { JobDefinition, JobQueue } from '../../core/jobs/queue.ts';
import * as repo from './tenants.repository.ts';

export type PerTenantCron = {
  /** The schedule's queue; each tenant's run goes to `<name>.tenant`. */
  name: string;
  /** Cron expression (UTC). */
  cron: string;
  /** Work on one tenant, in that tenant's transaction; `afterCommit` tasks run once that transaction committed. */
  run: (tx: Tx, tenantId: TenantId, afterCommit: (task: () => Promise<void>) => void) => Promise<unknown>;
  /** Which tenants: the active ones (default), or all, for clean-ups that personal data needs whatever the status. */
  tenants?: 'active' | 'all';
  /** Cross-tenant clean-up done once per occurrence, in the platform scope, before the fan-out. */
  platform?: (tx: Tx) => Promise<void>;
  retryLimit?: number;
};

/**
 * A recurring maintenance job, fanned out: the scheduled job only lists the active tenants and queues one job per
 * tenant, which runs, fails and is retried on its own. So a tenant whose run fails or takes long holds nobody else up.
 * The per-tenant queue keeps one queued run per tenant (policy 'short'): a slow tenant does not pile up occurrences.
 */
export function perTenantCron(deps: { db: Database; queue: () => JobQueue }, job: PerTenantCron): Array<JobDefinition<object>> {
  const perTenant: JobDefinition<{ tenantId: string }> = {
    name: `${job.name}.tenant`,
    schema: z.strictObject({ tenantId: z.uuid() }),
    policy: 'short',
    ...(job.retryLimit !== undefined ? { retryLimit: job.retryLimit } : {}),
    handler: async ({ tenantId }) => {
      const id = asTenantId(tenantId);
      const committed: Array<() => Promise<void>> = [];
      await deps.db.withTenant(id, (tx) => job.run(tx, id, (task) => committed.push(task)));
      await runAfterCommit(committed);
    },
  };
  const schedule: JobDefinition<Record<string, never>> = {
    name: job.name,
    schema: z.strictObject({}),
    cron: job.cron,
    handler: async () => {
      const tenants = await deps.db.withPlatform(async (tx) => {
        await job.platform?.(tx);
        return repo.findAllTenants(tx);
      });
      for (const tenant of tenants.filter((t) => job.tenants === 'all' || t.status === 'active')) {
        await deps.queue().enqueueNow(perTenant, { tenantId: tenant.id }, { singletonKey: tenant.id });
      }
    },
  };
  return [schedule, perTenant] as Array<JobDefinition<object>>;
}
