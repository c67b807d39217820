import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { defineModule, extensionPoint } from '../../core/module.ts';
import { auditRoutes } from './audit.routes.ts';
import type { AuditTargetLabelers } from './audit-target-labels.ts';

export { recordAudit, type AuditInput } from './audit.service.ts';
export type { AuditTargetLabeler, AuditTargetLabelers } from './audit-target-labels.ts';
export { AUDIT_ACTIONS, type AuditAction } from './audit-actions.ts';

/** How the audit log names targets: each module that owns a kind of target adds `{ <targetType>: labeler }`. */
export const auditTargetLabelers = extensionPoint<AuditTargetLabelers>('audit.target-labelers');

export const auditModule = defineModule({
  name: 'audit',
  permissions: ['audit.read'],
  create: ({ extensions }) => {
    // Read when the routes are registered, once every module has added its labelers.
    const routes: FastifyPluginAsyncZod = async (app) => void (await app.register(auditRoutes, { targetLabelers: Object.assign({}, ...extensions.of(auditTargetLabelers)) }));
    return { services: {}, routes: [routes] };
  },
});
