import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZDeletedMemberList, ZMember, ZMemberDeletion, ZMergeRequest, ZPersonalData, ZStay, ZStayInput, ZStayList, ZTimeline, ZTimelineQuery } from '@innkeeper/contracts/api';
import { ZMemberIdParams, ZMemberInput, ZNewMember } from './members.schemas.ts';
import type { MembersService } from './members.service.ts';

export function memberRoutes(members: MembersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/members', {
      schema: { tags: ['members'], summary: 'Add a member', body: ZNewMember, response: { 201: ZMember } },
      config: { access: 'members.edit' },
    }, async (req, reply) => {
      reply.code(201);
      return members.createMember(req.ctx, req.body);
    });

    app.get('/api/members/deleted', {
      schema: { tags: ['members'], summary: 'Deleted members that can still be restored', response: { 200: ZDeletedMemberList } },
      config: { access: 'members.read' },
    }, async (req) => ({ data: await members.listDeletedMembers(req.ctx) }));

    app.get('/api/members/:memberId', {
      schema: { tags: ['members'], summary: 'One member (contact details and ID masked)', params: ZMemberIdParams, response: { 200: ZMember } },
      config: { access: 'members.read' },
    }, async (req) => members.getMember(req.ctx, req.params.memberId));

    app.patch('/api/members/:memberId', {
      schema: { tags: ['members'], summary: 'Edit a member', params: ZMemberIdParams, body: ZMemberInput, response: { 200: ZMember } },
      config: { access: 'members.edit' },
    }, async (req) => members.updateMember(req.ctx, req.params.memberId, req.body));

    app.post('/api/members/:memberId/personal-data', {
      schema: { tags: ['members'], summary: 'Reveal unmasked personal data (audit-logged)', params: ZMemberIdParams, response: { 200: ZPersonalData } },
      config: { access: 'personal_data.unmasked' },
    }, async (req) => members.revealPersonalData(req.ctx, req.params.memberId));

    app.delete('/api/members/:memberId', {
      schema: { tags: ['members'], summary: 'Delete a member (restorable for 30 days)', params: ZMemberIdParams, response: { 200: ZMemberDeletion } },
      config: { access: 'members.edit' },
    }, async (req) => members.deleteMember(req.ctx, req.params.memberId));

    app.post('/api/members/:memberId/restore', {
      schema: { tags: ['members'], summary: 'Restore a deleted member', params: ZMemberIdParams, response: { 200: ZMember } },
      config: { access: 'members.edit' },
    }, async (req) => members.restoreMember(req.ctx, req.params.memberId));

    app.post('/api/members/:memberId/erase', {
      schema: { tags: ['members'], summary: 'Erase a deleted member for good (personal-data request)', params: ZMemberIdParams, response: { 204: z.null() } },
      config: { access: 'members.edit' },
    }, async (req, reply) => {
      await members.eraseMember(req.ctx, req.params.memberId, 'request');
      reply.code(204);
      return null;
    });

    app.post('/api/members/:memberId/merge', {
      schema: { tags: ['members'], summary: 'Merge another record of the same guest into this one', params: ZMemberIdParams, body: ZMergeRequest, response: { 200: ZMember } },
      config: { access: 'members.edit' },
    }, async (req) => members.mergeMembers(req.ctx, req.params.memberId, req.body.mergedMemberId, req.body.choices));

    app.get('/api/members/:memberId/stays', {
      schema: { tags: ['members'], summary: 'A member’s stays, newest first', params: ZMemberIdParams, response: { 200: ZStayList } },
      config: { access: 'members.read' },
    }, async (req) => ({ data: await members.listStays(req.ctx, req.params.memberId) }));

    app.post('/api/members/:memberId/stays', {
      schema: { tags: ['members'], summary: 'Record a stay', params: ZMemberIdParams, body: ZStayInput, response: { 201: ZStay } },
      config: { access: 'members.edit' },
    }, async (req, reply) => {
      reply.code(201);
      return members.addStay(req.ctx, req.params.memberId, { ...req.body, source: 'staff' });
    });

    app.get('/api/members/:memberId/timeline', {
      schema: { tags: ['members'], summary: 'Everything that happened to the member, newest first', params: ZMemberIdParams, querystring: ZTimelineQuery, response: { 200: ZTimeline } },
      config: { access: 'members.read' },
    }, async (req) => ({ data: await members.timeline(req.ctx, req.params.memberId, req.query) }));
  };
}
