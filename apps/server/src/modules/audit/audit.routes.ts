import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZAuditActions, ZAuditPage, ZAuditQuery } from '@innkeeper/contracts/api';
import { labelAuditTargets, type AuditTargetLabelers } from './audit-target-labels.ts';
import { listAuditActions, listAuditLog } from './audit.service.ts';

/** `targetLabelers`: how each module names its targets (contributed to `auditTargetLabelers` by the modules' manifests). */
export const auditRoutes: FastifyPluginAsyncZod<{ targetLabelers?: AuditTargetLabelers }> = async (app, options) => {
  app.get('/api/audit-log', {
    schema: { tags: ['audit'], summary: 'Search the audit log', querystring: ZAuditQuery, response: { 200: ZAuditPage } },
    config: { access: 'audit.read' },
  }, async (req) => {
    const page = await listAuditLog(req.ctx, req.query);
    return { ...page, data: await labelAuditTargets(req.ctx, page.data, options.targetLabelers ?? {}) };
  });

  app.get('/api/audit-log/actions', {
    schema: { tags: ['audit'], summary: 'Actions the audit log records (for filters)', response: { 200: ZAuditActions } },
    config: { access: 'audit.read' },
  }, async () => ({ actions: listAuditActions() }));
};
