export { recordAudit, type AuditInput } from './audit.service.ts';
export { auditRoutes } from './audit.routes.ts';
export type { AuditTargetLabeler, AuditTargetLabelers } from './audit-target-labels.ts';
export { AUDIT_ACTIONS, type AuditAction } from './audit-actions.ts';
