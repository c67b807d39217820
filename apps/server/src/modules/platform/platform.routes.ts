import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { ZEmail, type InviteAccount } from '../accounts/index.ts';
import { ZPropertyInput, ZTenant } from '../tenants/index.ts';
import { listTenants, provisionTenantAsOperator, setTenantStatus } from './platform.service.ts';

const ZCreateTenantRequest = z.strictObject({
  name: z.string().trim().min(1, { error: 'field.required' }).max(200),
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { error: 'field.slug' }),
  timezone: z.string().max(64).optional(),
  properties: z.array(ZPropertyInput.pick({ code: true, name: true })).min(1).max(50),
  administrator: z.strictObject({ email: ZEmail, displayName: z.string().trim().min(1, { error: 'field.required' }).max(100) }),
});

export function platformRoutes(deps: { invite: InviteAccount; clock: Clock }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/platform/tenants', {
      schema: { tags: ['platform'], summary: 'All hotel tenants (platform operator)', response: { 200: z.object({ data: z.array(ZTenant) }) } },
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
        body: z.strictObject({ status: z.enum(['active', 'suspended']) }),
        response: { 200: ZTenant },
      },
      config: { access: 'platform.tenants' },
    }, async (req) => setTenantStatus(req.ctx, req.params.tenantId, req.body.status));
  };
}
