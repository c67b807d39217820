import type { RequestContext, TenantContext } from '../../core/context.ts';
import { newId } from '../../core/ids.ts';
import type { Page } from '../../core/http/pagination.ts';
import { AUDIT_ACTIONS, type AuditAction } from './audit-actions.ts';
import { findAuditEntries, insertAuditEntry, type AuditEntryRow, type AuditFilter } from './audit.repository.ts';

export type AuditInput = {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

/** Appends to the tenant's audit log inside the caller's transaction, so the record commits with the change it describes. */
export async function recordAudit(ctx: TenantContext, input: AuditInput): Promise<void> {
  await insertAuditEntry(ctx.db, {
    tenantId: ctx.tenantId,
    id: newId(),
    actorAccountId: ctx.actor.kind === 'account' ? ctx.actor.accountId : null,
    actorEmail: ctx.actor.kind === 'account' ? ctx.actor.email : `system:${ctx.actor.name}`,
    actorPropertyIds: ctx.propertyScope.kind === 'all' ? null : [...ctx.propertyScope.ids],
    action: input.action,
    targetType: input.targetType ?? '',
    targetId: input.targetId ?? '',
    ip: ctx.ip,
    requestId: ctx.requestId,
    details: input.details ?? {},
  });
}

/**
 * A page of the log as the account may read it (decision 0006): a group-level account reads every entry; an account
 * limited to some properties reads what accounts limited to those properties did (itself included), because their
 * details (a merge's members, an export's audience, a review's candidates) hold only what such accounts could see.
 * Group-level staff's and the system's entries may concern any property, so they stay with group-level staff.
 */
export async function listAuditLog(ctx: RequestContext, query: AuditFilter & { page: number; pageSize: number }): Promise<Page<AuditEntryRow>> {
  const readable = ctx.propertyScope.kind === 'all' ? 'all' : ctx.propertyScope.ids;
  const { rows, total } = await findAuditEntries(ctx.db, ctx.tenantId, { ...query, readable }, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
  return { data: rows, total, page: query.page, pageSize: query.pageSize };
}

/** The catalogue, not what occurred: a DISTINCT over the whole log cost a full index scan on every visit. */
export function listAuditActions(): string[] {
  return [...AUDIT_ACTIONS].sort();
}
