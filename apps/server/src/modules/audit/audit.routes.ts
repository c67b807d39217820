import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZAuditPage, ZAuditQuery } from './audit.schemas.ts';
import { listAuditActions, listAuditLog } from './audit.service.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/audit-log', {
    schema: { tags: ['audit'], summary: 'Search the audit log', querystring: ZAuditQuery, response: { 200: ZAuditPage } },
    config: { access: 'audit.read' },
  }, async (req) => listAuditLog(req.ctx, req.query));

  app.get('/api/audit-log/actions', {
    schema: { tags: ['audit'], summary: 'Actions the audit log records (for filters)', response: { 200: z.object({ actions: z.array(z.string()) }) } },
    config: { access: 'audit.read' },
  }, async () => ({ actions: listAuditActions() }));
};
