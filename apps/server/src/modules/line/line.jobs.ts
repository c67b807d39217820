import { z } from 'zod';
import type { Database } from '../../core/db/database.ts';
import { asTenantId } from '../../core/ids.ts';
import type { JobDefinition, JobQueue, JobRef } from '../../core/jobs/queue.ts';
import { perTenantCron } from '../tenants/index.ts';
import type { EventProcessor } from './events.service.ts';
import { hasPending } from './inbox.repository.ts';

const ZTenant = z.strictObject({ tenantId: z.uuid() });
/** An effect of one stored webhook event: the handler reloads the event, its channel and the friend. */
const ZEventEffect = z.strictObject({ tenantId: z.uuid(), eventId: z.uuid() });
export type EventEffect = z.infer<typeof ZEventEffect>;

/**
 * The wake-up: 'short' keeps at most one queued per tenant (singletonKey = tenant id) while one may be running, so a
 * burst of webhooks leaves one wake-up behind the running drain instead of one per request.
 */
/**
 * Drains of one tenant that one process runs at once, each on its own partition of the inbox (the wake-up's
 * localConcurrency): while one waits for the database the other uses the process, and the database serves both.
 */
export const DRAIN_LANES = 2;
export const DRAIN_INBOX_JOB: JobRef<{ tenantId: string }> = { name: 'line.drain-inbox', schema: ZTenant };
/** Written in the batch's transaction when a follow is recorded (an outbox): the friend's name and picture. */
export const FETCH_PROFILE_JOB: JobRef<EventEffect> = { name: 'line.fetch-profile', schema: ZEventEffect };
/** Written with the follow, like the profile: the welcome message (a reply, or a push with a retry key). */
export const SEND_WELCOME_JOB: JobRef<EventEffect> = { name: 'line.send-welcome', schema: ZEventEffect };
/** The wake-up's queue before it had a policy; worked so that wake-ups queued before an upgrade still drain. */
const LEGACY_PROCESS_INBOX = 'line.process-inbox';

/**
 * The LINE worker's jobs: draining a tenant's inbox, the LINE calls that recorded follows asked for, and the sweep.
 * The webhook writes its wake-up after its commit (webhook.service.ts), so a process that dies in between, or a queue
 * that refused it, leaves events with nobody woken for them: every minute the sweep looks for a tenant's pending events
 * and queues a wake-up (dropped when one is queued already; one more while a drain runs only makes it look again).
 */
export function lineJobs(processor: () => EventProcessor, deps: { db: Database; queue: () => JobQueue }): Array<JobDefinition<object>> {
  const drain = async ({ tenantId }: { tenantId: string }) => {
    await processor().drain(asTenantId(tenantId));
  };
  const wake: JobDefinition<{ tenantId: string }> = { ...DRAIN_INBOX_JOB, policy: 'short', localConcurrency: DRAIN_LANES, handler: drain };
  const legacy: JobDefinition<{ tenantId: string }> = { name: LEGACY_PROCESS_INBOX, schema: ZTenant, handler: drain };
  // A LINE call takes seconds at most: an attempt whose worker died is retried after a minute, not pg-boss's 15, and a
  // retry is looked for every 5 s. A welcome should not come long after the follow.
  const effect = { retryLimit: 5, expireInSeconds: 60, pollSeconds: 5, localConcurrency: 4 };
  const profile: JobDefinition<EventEffect> = { ...FETCH_PROFILE_JOB, ...effect, handler: (data) => processor().fetchProfile(data) };
  const welcome: JobDefinition<EventEffect> = { ...SEND_WELCOME_JOB, ...effect, handler: (data, job) => processor().sendWelcome(data, job.retryCount) };
  const sweep = perTenantCron(deps, {
    name: 'line.sweep-inbox',
    cron: '* * * * *',
    run: async (tx, tenantId) => {
      if (await hasPending(tx, tenantId)) await deps.queue().enqueue(tx, DRAIN_INBOX_JOB, { tenantId }, { singletonKey: tenantId });
    },
  });
  return [wake, legacy, profile, welcome, ...sweep] as Array<JobDefinition<object>>;
}
