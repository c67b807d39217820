import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZAudience, ZAudienceCount, ZBulkTagRequest, ZBulkTagResult, ZMemberSearchRequest, ZMemberSearchResponse, ZSegment, ZSegmentList, ZSegmentRequest } from '@innkeeper/contracts/api';
import { ZSegmentIdParams } from './segments.schemas.ts';
import type { SegmentsService } from './segments.service.ts';

export function segmentRoutes(segments: SegmentsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/members/search', {
      schema: { tags: ['members'], summary: 'Find members by segment, ad-hoc conditions and/or text; one page, sorted', body: ZMemberSearchRequest, response: { 200: ZMemberSearchResponse } },
      config: { access: 'members.read' },
    }, async (req) => {
      const { sort, page, pageSize, ...audience } = req.body;
      return segments.listMembers(req.ctx, audience, { sort, page, pageSize });
    });

    app.post('/api/members/count', {
      schema: { tags: ['members'], summary: 'How many members an audience has (the live count while editing a segment)', body: ZAudience, response: { 200: ZAudienceCount } },
      config: { access: 'members.read' },
    }, async (req) => ({ count: await segments.countAudience(req.ctx, req.body) }));

    app.post('/api/members/bulk-tag', {
      schema: { tags: ['members'], summary: 'Add or remove a tag on a whole audience', body: ZBulkTagRequest, response: { 200: ZBulkTagResult } },
      config: { access: 'tags.edit' },
    }, async (req) => segments.changeTagForAudience(req.ctx, req.body.audience, req.body.tagId, req.body.change));

    app.get('/api/segments', {
      schema: { tags: ['segments'], summary: 'Saved segments', response: { 200: ZSegmentList } },
      config: { access: 'members.read' },
    }, async (req) => ({ data: await segments.listSegments(req.ctx) }));

    app.post('/api/segments', {
      schema: { tags: ['segments'], summary: 'Save a segment', body: ZSegmentRequest, response: { 201: ZSegment } },
      config: { access: 'tags.edit' },
    }, async (req, reply) => {
      reply.code(201);
      return segments.createSegment(req.ctx, req.body);
    });

    app.get('/api/segments/:segmentId', {
      schema: { tags: ['segments'], summary: 'One saved segment', params: ZSegmentIdParams, response: { 200: ZSegment } },
      config: { access: 'members.read' },
    }, async (req) => segments.getSegment(req.ctx, req.params.segmentId));

    app.patch('/api/segments/:segmentId', {
      schema: { tags: ['segments'], summary: 'Rename or change a saved segment', params: ZSegmentIdParams, body: ZSegmentRequest.partial(), response: { 200: ZSegment } },
      config: { access: 'tags.edit' },
    }, async (req) => segments.updateSegment(req.ctx, req.params.segmentId, req.body));

    app.delete('/api/segments/:segmentId', {
      schema: { tags: ['segments'], summary: 'Delete a saved segment', params: ZSegmentIdParams, response: { 204: z.null() } },
      config: { access: 'tags.edit' },
    }, async (req, reply) => {
      await segments.deleteSegment(req.ctx, req.params.segmentId);
      reply.code(204);
      return null;
    });
  };
}
