import type { RequestContext, TenantContext } from '../../core/context.ts';
import { newId } from '../../core/ids.ts';
import type { Page } from '../../core/http/pagination.ts';
import { findAuditActions, findAuditEntries, insertAuditEntry, type AuditEntryRow, type AuditFilter } from './audit.repository.ts';

export type AuditInput = {
  action: string;
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
    action: input.action,
    targetType: input.targetType ?? '',
    targetId: input.targetId ?? '',
    ip: ctx.ip,
    requestId: ctx.requestId,
    details: input.details ?? {},
  });
}

export async function listAuditLog(ctx: RequestContext, query: AuditFilter & { page: number; pageSize: number }): Promise<Page<AuditEntryRow>> {
  const { rows, total } = await findAuditEntries(ctx.db, ctx.tenantId, query, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
  return { data: rows, total, page: query.page, pageSize: query.pageSize };
}

export function listAuditActions(ctx: RequestContext): Promise<string[]> {
  return findAuditActions(ctx.db, ctx.tenantId);
}
