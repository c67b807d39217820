import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZProperty, ZPropertyInput, ZPropertyList } from '@innkeeper/contracts/api';
import { ZPropertyIdParams } from './tenants.schemas.ts';
import { createProperty, listProperties, updateProperty } from './tenants.service.ts';

export const tenantRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/properties', {
    schema: { tags: ['properties'], summary: 'Properties (館別) the account may work with', response: { 200: ZPropertyList } },
    config: { access: 'session' },
  }, async (req) => ({ data: await listProperties(req.ctx) }));

  app.post('/api/properties', {
    schema: { tags: ['properties'], summary: 'Add a property', body: ZPropertyInput, response: { 201: ZProperty } },
    config: { access: 'settings.manage' },
  }, async (req, reply) => {
    reply.code(201);
    return createProperty(req.ctx, req.body);
  });

  app.patch('/api/properties/:propertyId', {
    schema: { tags: ['properties'], summary: 'Edit a property', params: ZPropertyIdParams, body: ZPropertyInput.partial(), response: { 200: ZProperty } },
    config: { access: 'settings.manage' },
  }, async (req) => updateProperty(req.ctx, req.params.propertyId, req.body));
};
