import type { Clock } from '../../core/clock.ts';
import type { TenantContext } from '../../core/context.ts';
import { newId } from '../../core/ids.ts';
import { writeImportHistory, type BulkSource } from './bulk-members.ts';
import { insertInteractionBatch } from './interactions.repository.ts';
import type { StayStatus } from './members.tables.ts';
import * as repo from './stays.repository.ts';

/*
 * Stay rows of an import batch (later the PMS sync): planned against the stays on file and written in one statement.
 */

export type BulkStayRow = {
  memberId: string;
  propertyId: string;
  externalId: string;
  checkIn?: string | undefined;
  checkOut?: string | undefined;
  roomType?: string | undefined;
  rateCode?: string | undefined;
  channel?: string | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
  status?: StayStatus | undefined;
  /** The party in the room; null says "not recorded" (and clears a count held before), undefined leaves it as it is. */
  adults?: number | null | undefined;
  children?: number | null | undefined;
};

type MergedStay = Required<Omit<BulkStayRow, 'amount' | 'adults' | 'children'>> & { amount: number | null; adults: number | null; children: number | null; id: string };

const STAY_FIELDS = ['checkIn', 'checkOut', 'roomType', 'rateCode', 'channel', 'amount', 'currency', 'status', 'adults', 'children'] as const;

export type BulkStayPlan =
  | { action: 'create' | 'update' | 'unchanged'; stay: MergedStay; fields: string[] }
  | { action: 'error'; field: 'checkIn' | 'checkOut'; reason: 'dates_missing' | 'dates_reversed' };

export function createBulkStays(deps: { clock: Clock }) {
  const { clock } = deps;

  /** What importing each stay would do. Stays are identified by property + reservation number (external id). */
  async function planStays(ctx: TenantContext, rows: BulkStayRow[]): Promise<BulkStayPlan[]> {
    const existing = await repo.findStaysByExternalIds(ctx.db, ctx.tenantId, rows);
    const byKey = new Map(existing.map((s) => [`${s.propertyId}\u0000${s.externalId}`, s]));
    return rows.map((row): BulkStayPlan => {
      const before = byKey.get(`${row.propertyId}\u0000${row.externalId}`);
      const stay: MergedStay = {
        id: before?.id ?? newId(),
        memberId: row.memberId,
        propertyId: row.propertyId,
        externalId: row.externalId,
        checkIn: row.checkIn ?? before?.checkIn ?? '',
        checkOut: row.checkOut ?? before?.checkOut ?? '',
        roomType: row.roomType ?? before?.roomType ?? '',
        rateCode: row.rateCode ?? before?.rateCode ?? '',
        channel: row.channel ?? before?.channel ?? '',
        amount: row.amount ?? before?.amount ?? null,
        currency: row.currency ?? before?.currency ?? 'TWD',
        status: row.status ?? before?.status ?? 'stayed',
        adults: row.adults === undefined ? (before?.adults ?? null) : row.adults,
        children: row.children === undefined ? (before?.children ?? null) : row.children,
      };
      if (!stay.checkIn) return { action: 'error', field: 'checkIn', reason: 'dates_missing' };
      if (!stay.checkOut) return { action: 'error', field: 'checkOut', reason: 'dates_missing' };
      if (stay.checkOut < stay.checkIn) return { action: 'error', field: 'checkOut', reason: 'dates_reversed' };
      if (!before) {
        const present = STAY_FIELDS.filter((f) => row[f] !== undefined);
        return { action: 'create', stay, fields: present };
      }
      const fields: string[] = [];
      if (stay.memberId !== before.memberId) fields.push('member');
      for (const field of STAY_FIELDS) {
        if (stay[field] !== before[field]) fields.push(field);
      }
      return { action: fields.length > 0 ? 'update' : 'unchanged', stay, fields };
    });
  }

  /** The planned creates and updates written in one statement, with the history entry each member gets. */
  async function writePlanned(ctx: TenantContext, plans: BulkStayPlan[], via: 'import' | 'pms', ref: string) {
    const writes = plans.flatMap((p) => (p.action === 'create' || p.action === 'update' ? [p] : []));
    if (writes.length === 0) return { history: [], now: clock.now() };
    const now = clock.now();
    const written = await repo.upsertStays(ctx.db, ctx.tenantId, writes.map((p) => p.stay), via, now);
    const planById = new Map(writes.map((p) => [p.stay.id, p]));
    const key = via === 'import' ? 'importId' : 'runId';
    const history = written.map((row) => {
      const plan = planById.get(row.id);
      return row.inserted
        ? { memberId: row.member_id, type: 'stay_added' as const, details: { stayId: row.id, checkIn: plan?.stay.checkIn, checkOut: plan?.stay.checkOut, propertyId: plan?.stay.propertyId, source: via, [key]: ref } }
        : { memberId: row.member_id, type: via === 'import' ? ('imported' as const) : ('synced' as const), details: { [key]: ref, action: 'updated', stayId: row.id, fields: plan?.fields ?? [] } };
    });
    return { history, now };
  }

  /**
   * Writes the planned stays in one statement (repo.upsertStays: a stay is rewritten only if something differs).
   * New stays get a 'stay_added' history entry, changed ones an 'imported' entry (field names only).
   */
  async function applyStays(ctx: TenantContext, plans: BulkStayPlan[], source: BulkSource): Promise<void> {
    const { history, now } = await writePlanned(ctx, plans, 'import', source.importId);
    await writeImportHistory(ctx, history, source, now);
  }

  /**
   * The PMS sync's stays (source 'pms'): the same upsert by property + external id (the PMS stay key), so a re-read
   * stay changes nothing; history entries are the PMS's ('stay_added', or 'synced' with the fields that changed).
   */
  async function applyPmsStays(ctx: TenantContext, plans: BulkStayPlan[], source: { runId: string; label: string }): Promise<number> {
    const { history, now } = await writePlanned(ctx, plans, 'pms', source.runId);
    await insertInteractionBatch(ctx.db, ctx.tenantId, history, { type: 'pms', ref: source.runId, label: source.label }, now);
    return history.length;
  }

  return { planStays, applyStays, applyPmsStays };
}
