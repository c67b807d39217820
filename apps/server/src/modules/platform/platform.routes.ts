import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZCreateTenantRequest, ZTenant, ZTenantList, ZTenantStatusRequest } from '@innkeeper/contracts/api';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { InviteAccount } from '../accounts/index.ts';
import { listTenants, provisionTenantAsOperator, setTenantStatus } from './platform.service.ts';

export function platformRoutes(deps: { invite: InviteAccount; clock: Clock }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/platform/tenants', {
      schema: { tags: ['platform'], summary: 'All hotel tenants (platform operator)', response: { 200: ZTenantList } },
      config: { access: 'platform.tenants' },
    }, async (req) => ({ data: await listTenants(req.ctx) }));

    app.post('/api/platform/tenants', {
      schema: { tags: ['platform'], summary: 'Create a hotel tenant with its properties and first administrator', body: ZCreateTenantRequest, response: { 201: ZTenant } },
      config: { access: 'platform.tenants' },
    }, async (req, reply) => {
      reply.code(201);
      return provisionTenantAsOperator(req.ctx, req.body, deps.invite, deps.clock.now());
    });

    app.post('/api/platform/tenants/:tenantId/status', {
      schema: {
        tags: ['platform'],
        summary: 'Suspend or reactivate a tenant',
        params: z.object({ tenantId: z.uuid() }),
        body: ZTenantStatusRequest,
        response: { 200: ZTenant },
      },
      config: { access: 'platform.tenants' },
    }, async (req) => setTenantStatus(req.ctx, req.params.tenantId, req.body.status));
  };
}
