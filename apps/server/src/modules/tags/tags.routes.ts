import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZMemberTagList, ZTag, ZTagImpact, ZTagList, ZTagListQuery, ZTagMembersChange, ZTagMembersRequest, ZTagRequest } from '@innkeeper/contracts/api';
import { ZMemberIdParams } from '../members/index.ts';
import { ZTagIdParams } from './tags.schemas.ts';
import type { TagsService } from './tags.service.ts';

export function tagRoutes(tags: TagsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/tags', {
      schema: {
        tags: ['tags'],
        summary: 'Tags with how many members carry each',
        querystring: ZTagListQuery,
        response: { 200: ZTagList },
      },
      config: { access: 'members.read' },
    }, async (req) => ({ data: await tags.listTags(req.ctx, req.query) }));

    app.post('/api/tags', {
      schema: { tags: ['tags'], summary: 'Create a tag', body: ZTagRequest, response: { 201: ZTag } },
      config: { access: 'tags.edit' },
    }, async (req, reply) => {
      reply.code(201);
      return tags.createTag(req.ctx, req.body);
    });

    app.patch('/api/tags/:tagId', {
      schema: { tags: ['tags'], summary: 'Edit a tag', params: ZTagIdParams, body: ZTagRequest.partial(), response: { 200: ZTag } },
      config: { access: 'tags.edit' },
    }, async (req) => tags.updateTag(req.ctx, req.params.tagId, req.body));

    app.get('/api/tags/:tagId/impact', {
      schema: { tags: ['tags'], summary: 'What deleting the tag would affect', params: ZTagIdParams, response: { 200: ZTagImpact } },
      config: { access: 'members.read' },
    }, async (req) => tags.tagImpact(req.ctx, req.params.tagId));

    app.delete('/api/tags/:tagId', {
      schema: { tags: ['tags'], summary: 'Delete a tag (refused while a scheduled campaign or active rule needs it)', params: ZTagIdParams, response: { 204: z.null() } },
      config: { access: 'tags.edit' },
    }, async (req, reply) => {
      await tags.deleteTag(req.ctx, req.params.tagId);
      reply.code(204);
      return null;
    });

    app.post('/api/tags/:tagId/members', {
      schema: { tags: ['tags'], summary: 'Add the tag to chosen members', params: ZTagIdParams, body: ZTagMembersRequest, response: { 200: ZTagMembersChange } },
      config: { access: 'tags.edit' },
    }, async (req) => ({ changed: await tags.changeTagForMembers(req.ctx, req.params.tagId, req.body.memberIds, 'add') }));

    app.post('/api/tags/:tagId/members/remove', {
      schema: { tags: ['tags'], summary: 'Remove the tag from chosen members (history is kept)', params: ZTagIdParams, body: ZTagMembersRequest, response: { 200: ZTagMembersChange } },
      config: { access: 'tags.edit' },
    }, async (req) => ({ changed: await tags.changeTagForMembers(req.ctx, req.params.tagId, req.body.memberIds, 'remove') }));

    app.get('/api/members/:memberId/tags', {
      schema: { tags: ['tags'], summary: 'A member’s tags with where each came from', params: ZMemberIdParams, response: { 200: ZMemberTagList } },
      config: { access: 'members.read' },
    }, async (req) => ({ data: await tags.memberTags(req.ctx, req.params.memberId) }));
  };
}
