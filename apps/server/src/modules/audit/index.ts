export { recordAudit, type AuditInput } from './audit.service.ts';
export { auditRoutes } from './audit.routes.ts';
