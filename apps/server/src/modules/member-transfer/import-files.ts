import type { Clock } from '../../core/clock.ts';
import type { TenantContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import type { JobDefinition, JobQueue } from '../../core/jobs/queue.ts';
import { recordAudit } from '../audit/index.ts';
import { perTenantCron } from '../tenants/index.ts';
import * as repo from './member-transfer.repository.ts';
import { readSheet } from './spreadsheet-reader.ts';

/** An uploaded file is kept at most this long (or until its import completes). */
export const IMPORT_FILE_RETENTION_HOURS = 24;

/**
 * Hourly, per tenant: deletes uploaded files older than a day that no check or import is reading. Suspended tenants
 * too: a file is personal data whether or not the hotel group is active.
 */
export function expireImportFilesJob(deps: { db: Database; clock: Clock; queue: () => JobQueue }): Array<JobDefinition<object>> {
  return perTenantCron(deps, {
    name: 'member-transfer.expire-files',
    cron: '23 * * * *',
    tenants: 'all',
    run: (tx, tenantId) => {
      const now = deps.clock.now();
      return repo.dropStaleImportFiles(tx, tenantId, new Date(now.getTime() - IMPORT_FILE_RETENTION_HOURS * 3_600_000), now);
    },
  });
}

/** What identifies an erased guest in a spreadsheet cell. */
export type ErasedGuest = { mobile: string | null; email: string | null; identityNumber: string | null };

/**
 * Erasing a guest erases them from the import files still held: any file with a cell holding their mobile, e-mail
 * address or ID number is deleted (a spreadsheet is not edited in place), and an import waiting for staff ends as
 * failed with the reason. Returns how many files went.
 */
export async function eraseFromImportFiles(ctx: TenantContext, guest: ErasedGuest, now: Date): Promise<number> {
  const needles = needlesOf(guest);
  if (needles.length === 0) return 0;
  // Taken before any member row is written: a running import finishes its batch first, and its next batch sees the
  // file gone and stops (member-import.service.ts).
  await repo.lockTenantImports(ctx.db, ctx.tenantId);
  let dropped = 0;
  for (const held of await repo.findHeldImportFiles(ctx.db, ctx.tenantId)) {
    const cells = await keyCellsOf(ctx, held.id, held.file_format);
    if (cells !== 'unreadable' && !needles.some((n) => cells.has(n))) continue;
    await repo.dropImportFile(ctx.db, ctx.tenantId, held.id, now);
    if (held.status === 'uploaded' || held.status === 'checked' || held.status === 'queued') {
      await repo.updateImport(ctx.db, ctx.tenantId, held.id, { status: 'failed', failure: 'member_import.file_removed', finishedAt: now }, [held.status]);
    }
    await recordAudit(ctx, { action: 'member_import.file_erased', targetType: 'member_import', targetId: held.id, details: { reason: 'member_erased' } });
    dropped += 1;
  }
  return dropped;
}

/** Compared ignoring case, spaces and dashes; a mobile also as its national form (+886912… ↔ 0912…). */
function normalise(value: string): string {
  return value.toLowerCase().replace(/[\s-]/g, '');
}

function needlesOf(guest: ErasedGuest): string[] {
  const needles: string[] = [];
  if (guest.mobile) {
    const mobile = normalise(guest.mobile);
    needles.push(mobile);
    if (mobile.startsWith('+886')) needles.push(`0${mobile.slice(4)}`, mobile.slice(1));
  }
  if (guest.email) needles.push(normalise(guest.email));
  if (guest.identityNumber) needles.push(normalise(guest.identityNumber));
  return needles;
}

/**
 * The cells of a held file that could identify someone (with a digit or an @), normalised. The nightly retention job
 * erases many members in one transaction: each file is read once per transaction, not once per member.
 */
const keyCellCache = new WeakMap<object, Map<string, Set<string> | 'unreadable'>>();

async function keyCellsOf(ctx: TenantContext, importId: string, format: 'csv' | 'xlsx'): Promise<Set<string> | 'unreadable'> {
  let perTx = keyCellCache.get(ctx.db);
  if (!perTx) keyCellCache.set(ctx.db, (perTx = new Map()));
  const cached = perTx.get(importId);
  if (cached) return cached;
  let cells: Set<string> | 'unreadable' = new Set();
  const bytes = await repo.findImportFile(ctx.db, ctx.tenantId, importId);
  try {
    const sheet = bytes ? await readSheet(bytes, format) : { rows: [] };
    for (const row of sheet.rows) for (const cell of row.cells) if (/[\d@]/.test(cell)) cells.add(normalise(cell));
  } catch {
    // A file that cannot be read cannot be checked: it goes, as the erasure must not leave the guest behind.
    cells = 'unreadable';
  }
  perTx.set(importId, cells);
  return cells;
}
