import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { Database } from '../../core/db/database.ts';
import type { JobDefinition } from '../../core/jobs/queue.ts';
import { purgeCapturedBefore } from './mailbox.service.ts';

/** How long the demo mailbox keeps what it captured: long enough to sign in, not long enough to become a record. */
export const CAPTURE_RETENTION_HOURS = 24;

/** Hourly: captured mail and SMS older than a day are deleted (also leftovers of a demo on a database now in use). */
export function purgeCapturedMessagesJob(deps: { db: Database; clock: Clock }): JobDefinition<Record<string, never>> {
  return {
    name: 'mailbox.purge-captured',
    schema: z.object({}).strict(),
    cron: '41 * * * *',
    handler: async () => {
      await purgeCapturedBefore(deps.db, new Date(deps.clock.now().getTime() - CAPTURE_RETENTION_HOURS * 3_600_000));
    },
  };
}
