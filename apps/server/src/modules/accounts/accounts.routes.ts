import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZAccount, ZAccountListQuery, ZAccountPage, ZAccountStatusRequest, ZCreateAccountRequest, ZRole, ZRoleList, ZRoleRequest, ZUpdateAccountRequest } from '@innkeeper/contracts/api';
import { ZAccountIdParams, ZRoleIdParams } from './accounts.schemas.ts';
import { createAccount, getAccount, listAccounts, setAccountStatus, updateAccount, type InviteAccount } from './accounts.service.ts';
import { createRole, deleteRole, listRoles, updateRole } from './roles.service.ts';

export function accountRoutes(deps: { invite: InviteAccount }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/accounts', {
      schema: { tags: ['accounts'], summary: 'List staff accounts', querystring: ZAccountListQuery, response: { 200: ZAccountPage } },
      config: { access: 'accounts.manage' },
    }, async (req) => listAccounts(req.ctx, req.query));

    app.post('/api/accounts', {
      schema: { tags: ['accounts'], summary: 'Create a sub-account and email it an invitation', body: ZCreateAccountRequest, response: { 201: ZAccount } },
      config: { access: 'accounts.manage' },
    }, async (req, reply) => {
      reply.code(201);
      return createAccount(req.ctx, req.body, deps.invite);
    });

    app.get('/api/accounts/:accountId', {
      schema: { tags: ['accounts'], summary: 'One staff account', params: ZAccountIdParams, response: { 200: ZAccount } },
      config: { access: 'accounts.manage' },
    }, async (req) => getAccount(req.ctx, req.params.accountId));

    app.patch('/api/accounts/:accountId', {
      schema: { tags: ['accounts'], summary: 'Change name, role, properties or language', params: ZAccountIdParams, body: ZUpdateAccountRequest, response: { 200: ZAccount } },
      config: { access: 'accounts.manage' },
    }, async (req) => updateAccount(req.ctx, req.params.accountId, req.body));

    app.post('/api/accounts/:accountId/status', {
      schema: { tags: ['accounts'], summary: 'Disable or re-enable an account', params: ZAccountIdParams, body: ZAccountStatusRequest, response: { 200: ZAccount } },
      config: { access: 'accounts.manage' },
    }, async (req) => setAccountStatus(req.ctx, req.params.accountId, req.body.status));

    app.get('/api/roles', {
      schema: { tags: ['roles'], summary: 'Roles with their permissions', response: { 200: ZRoleList } },
      config: { access: 'accounts.manage' },
    }, async (req) => ({ data: await listRoles(req.ctx) }));

    app.post('/api/roles', {
      schema: { tags: ['roles'], summary: 'Create a custom role', body: ZRoleRequest, response: { 201: ZRole } },
      config: { access: 'accounts.manage' },
    }, async (req, reply) => {
      reply.code(201);
      return createRole(req.ctx, req.body);
    });

    app.patch('/api/roles/:roleId', {
      schema: { tags: ['roles'], summary: 'Edit a custom role', params: ZRoleIdParams, body: ZRoleRequest.partial(), response: { 200: ZRole } },
      config: { access: 'accounts.manage' },
    }, async (req) => updateRole(req.ctx, req.params.roleId, req.body));

    app.delete('/api/roles/:roleId', {
      schema: { tags: ['roles'], summary: 'Delete an unused custom role', params: ZRoleIdParams, response: { 204: z.null() } },
      config: { access: 'accounts.manage' },
    }, async (req, reply) => {
      await deleteRole(req.ctx, req.params.roleId);
      reply.code(204);
      return null;
    });
  };
}
