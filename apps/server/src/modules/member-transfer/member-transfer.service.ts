import type { Clock } from '../../core/clock.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import type { Database } from '../../core/db/database.ts';
import type { JobQueue } from '../../core/jobs/queue.ts';
import { createMembersBulk } from '../members/index.ts';
import type { SegmentsService } from '../segments/index.ts';
import type { TagsService } from '../tags/index.ts';
import { createMemberExportService } from './member-export.service.ts';
import { createMemberImportService } from './member-import.service.ts';

/**
 * Member import (CSV/XLSX upload → column mapping → dry run → background import) and export (member list or segment
 * to CSV/XLSX). `job` is the background job to register with the queue; `queue` is read lazily because the queue is
 * built from the job list.
 */
export function createMemberTransferService(deps: { db: Database; keyring: Keyring; clock: Clock; tags: TagsService; segments: SegmentsService; queue: () => JobQueue }) {
  const bulk = createMembersBulk({ keyring: deps.keyring, clock: deps.clock });
  const imports = createMemberImportService({ db: deps.db, clock: deps.clock, bulk, tags: deps.tags, queue: deps.queue });
  const exports = createMemberExportService({ clock: deps.clock, bulk, segments: deps.segments });
  return { ...imports, ...exports };
}

export type MemberTransferService = ReturnType<typeof createMemberTransferService>;
