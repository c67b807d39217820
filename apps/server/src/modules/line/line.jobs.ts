import { z } from 'zod';
import { asTenantId } from '../../core/ids.ts';
import type { JobDefinition } from '../../core/jobs/queue.ts';
import type { EventProcessor } from './events.service.ts';

export const PROCESS_INBOX_JOB = 'line.process-inbox';

/** Woken by the webhook (one pending wake-up per tenant); drains every pending event of the tenant. */
export function processInboxJob(processor: () => EventProcessor): JobDefinition<{ tenantId: string }> {
  return {
    name: PROCESS_INBOX_JOB,
    schema: z.object({ tenantId: z.uuid() }),
    localConcurrency: 2,
    handler: async ({ tenantId }) => {
      await processor().drain(asTenantId(tenantId));
    },
  };
}
