import { and, count, desc, eq, gte, ilike, lt, sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../../core/db/arrays.ts';
import type { Tx } from '../../core/db/database.ts';
import { escapeLike } from '../../core/db/like.ts';
import type { TenantId } from '../../core/ids.ts';
import { auditLog } from './audit.tables.ts';

export type AuditEntryRow = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;

export async function insertAuditEntry(tx: Tx, entry: NewAuditEntry): Promise<void> {
  await tx.insert(auditLog).values(entry);
}

export type AuditFilter = {
  action?: string | undefined;
  actor?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
};

/** Whose entries a reader sees: all, or those of actors limited to (some of) these properties (audit.service.ts). */
export type AuditReadable = 'all' | readonly string[];

function whereOf(tenantId: TenantId, filter: AuditFilter & { readable: AuditReadable }): SQL | undefined {
  return and(
    eq(auditLog.tenantId, tenantId),
    filter.readable === 'all' ? undefined : sql`${auditLog.actorPropertyIds} is not null and ${auditLog.actorPropertyIds} <@ ${uuidArray(filter.readable)}`,
    // "auth." selects the whole group; "auth.login" exactly that action.
    filter.action ? (filter.action.endsWith('.') ? sql`${auditLog.action} like ${escapeLike(filter.action) + '%'}` : eq(auditLog.action, filter.action)) : undefined,
    filter.actor ? ilike(auditLog.actorEmail, `%${escapeLike(filter.actor)}%`) : undefined,
    filter.targetType ? eq(auditLog.targetType, filter.targetType) : undefined,
    filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
    filter.from ? gte(auditLog.occurredAt, filter.from) : undefined,
    filter.to ? lt(auditLog.occurredAt, filter.to) : undefined,
  );
}

/**
 * Counting stops here: a page shows "10,000" for a larger result rather than counting a tenant's whole history on
 * every page view (the filters narrow it; pages past it are not offered).
 */
export const AUDIT_COUNT_LIMIT = 10_000;

export async function findAuditEntries(tx: Tx, tenantId: TenantId, filter: AuditFilter & { readable: AuditReadable }, page: { offset: number; limit: number }) {
  const where = whereOf(tenantId, filter);
  const [rows, [total]] = await Promise.all([
    tx.select().from(auditLog).where(where).orderBy(desc(auditLog.occurredAt), desc(auditLog.id)).offset(page.offset).limit(page.limit),
    tx.select({ value: count() }).from(tx.select({ one: sql`1` }).from(auditLog).where(where).limit(AUDIT_COUNT_LIMIT).as('bounded')),
  ]);
  return { rows, total: total?.value ?? 0 };
}
