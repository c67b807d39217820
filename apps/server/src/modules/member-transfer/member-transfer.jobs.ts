import { z } from 'zod';
import type { JobDefinition } from '../../core/jobs/queue.ts';

export const ZImportJob = z.strictObject({ tenantId: z.uuid(), importId: z.uuid() });
export type ImportJobData = z.infer<typeof ZImportJob>;

/**
 * Runs a large import's dry run ('checking') or an import ('queued'/'importing'), in batches, each in its own tenant
 * transaction; the import's status says which. The payload carries ids only; the handler reloads the file.
 * A restarted job resumes after the last committed batch.
 */
export function memberImportJob(run: (data: ImportJobData) => Promise<void>): JobDefinition<ImportJobData> {
  return { name: 'member-transfer.import', schema: ZImportJob, retryLimit: 2, handler: (data) => run(data) };
}
