import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZMemberPmsProfiles,
  ZPmsConflictPage,
  ZPmsConflictQuery,
  ZOk,
  ZPmsConnection,
  ZPmsConnectionInput,
  ZPmsConnectionList,
  ZPmsConnectionParams,
  ZPmsConnectionPatch,
  ZPmsHealth,
  ZPmsReport,
  ZPmsReviewLinkRequest,
  ZPmsReviewList,
  ZPmsReviewParams,
  ZPmsReviewQuery,
  ZPmsReviewResolved,
  ZPmsRun,
  ZPmsRunList,
} from '@innkeeper/contracts/api';
import { ZMemberIdParams } from '../members/index.ts';
import type { PmsService } from './pms.service.ts';

/** The PMS page (pms.view / pms.manage) and the PMS match reviews in 綁定審核 (members.edit, like LINE bindings). */
export function pmsRoutes(pms: PmsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/pms/connections', {
      schema: { tags: ['pms'], summary: 'The hotel group’s PMS connection (its key is never shown), with the sync under way', response: { 200: ZPmsConnectionList } },
      config: { access: 'pms.view' },
    }, async (req) => ({ data: await pms.listConnections(req.ctx) }));

    app.post('/api/pms/connections', {
      schema: { tags: ['pms'], summary: 'Connect the 德安 PMS (docs/pms-dean-contract.md); the first sync starts within a minute', body: ZPmsConnectionInput, response: { 201: ZPmsConnection } },
      config: { access: 'pms.manage' },
    }, async (req, reply) => {
      reply.code(201);
      return pms.createConnection(req.ctx, req.body, req.ctx.accountId);
    });

    app.get('/api/pms/connections/:connectionId', {
      schema: { tags: ['pms'], summary: 'One PMS connection', params: ZPmsConnectionParams, response: { 200: ZPmsConnection } },
      config: { access: 'pms.view' },
    }, async (req) => pms.getConnection(req.ctx, req.params.connectionId));

    app.patch('/api/pms/connections/:connectionId', {
      schema: { tags: ['pms'], summary: 'Change the connection: schedule, key, URL, property mapping, on/off', params: ZPmsConnectionParams, body: ZPmsConnectionPatch, response: { 200: ZPmsConnection } },
      config: { access: 'pms.manage' },
    }, async (req) => pms.updateConnection(req.ctx, req.params.connectionId, req.body));

    app.delete('/api/pms/connections/:connectionId', {
      schema: { tags: ['pms'], summary: 'Delete the connection: syncing stops, the PMS copy and links go, members keep their stays (refused while a sync runs)', params: ZPmsConnectionParams, response: { 200: ZOk } },
      config: { access: 'pms.manage' },
    }, async (req) => pms.deleteConnection(req.ctx, req.params.connectionId));

    app.post('/api/pms/connections/:connectionId/test', {
      schema: { tags: ['pms'], summary: 'Ask the PMS’s /health with the stored key (reachable, hotels, clock skew)', params: ZPmsConnectionParams, response: { 200: ZPmsHealth } },
      config: { access: 'pms.manage' },
    }, async (req) => pms.testConnection(req.ctx, req.params.connectionId));

    app.post('/api/pms/connections/:connectionId/sync', {
      schema: { tags: ['pms'], summary: 'Sync now (refused while a sync is running)', params: ZPmsConnectionParams, response: { 202: ZPmsRun } },
      config: { access: 'pms.manage' },
    }, async (req, reply) => {
      reply.code(202);
      return pms.syncNow(req.ctx, req.params.connectionId);
    });

    app.get('/api/pms/connections/:connectionId/runs', {
      schema: { tags: ['pms'], summary: 'Sync runs, newest first, with their figures and quarantined rows', params: ZPmsConnectionParams, response: { 200: ZPmsRunList } },
      config: { access: 'pms.view' },
    }, async (req) => ({ data: await pms.listRuns(req.ctx, req.params.connectionId) }));

    app.get('/api/pms/connections/:connectionId/report', {
      schema: { tags: ['pms'], summary: 'The match report: coverage, matched, in review, unmatched with reasons, rate', params: ZPmsConnectionParams, response: { 200: ZPmsReport } },
      config: { access: 'pms.view' },
    }, async (req) => pms.report(req.ctx, req.params.connectionId));

    app.get('/api/pms/connections/:connectionId/conflicts', {
      schema: { tags: ['pms'], summary: 'Field conflicts the sync recorded (the later change won), a page at a time, newest first; values masked', params: ZPmsConnectionParams, querystring: ZPmsConflictQuery, response: { 200: ZPmsConflictPage } },
      config: { access: 'pms.view' },
    }, async (req) => pms.listConflicts(req.ctx, req.params.connectionId, req.query));

    app.get('/api/pms/connections/:connectionId/changes.csv', {
      schema: { tags: ['pms'], summary: 'The front desk’s change file: CRM edits a read-only PMS could not take (contract §9.4)', params: ZPmsConnectionParams, response: { 200: z.string() } },
      config: { access: 'pms.manage' },
    }, async (req, reply) => {
      const text = await pms.changeFile(req.ctx, req.params.connectionId);
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="changes_${new Date().toISOString().slice(0, 10).replace(/-/g, '')}.csv"`);
      return text;
    });

    app.get('/api/pms/reviews', {
      schema: { tags: ['pms'], summary: 'PMS matches waiting for staff (shown in 綁定審核), a page at a time with the total; by status and reason', querystring: ZPmsReviewQuery, response: { 200: ZPmsReviewList } },
      config: { access: 'members.edit' },
    }, async (req) => pms.listReviews(req.ctx, req.query));

    app.post('/api/pms/reviews/:caseId/link', {
      schema: { tags: ['pms'], summary: 'Link the member to the PMS profiles staff picked', params: ZPmsReviewParams, body: ZPmsReviewLinkRequest, response: { 200: ZPmsReviewResolved } },
      config: { access: 'members.edit' },
    }, async (req) => pms.linkReview(req.ctx, req.params.caseId, req.body.profileIds));

    app.post('/api/pms/reviews/:caseId/reject', {
      schema: { tags: ['pms'], summary: 'None of the candidates is this member', params: ZPmsReviewParams, response: { 200: ZPmsReviewResolved } },
      config: { access: 'members.edit' },
    }, async (req) => pms.rejectReview(req.ctx, req.params.caseId));

    app.get('/api/members/:memberId/pms-profiles', {
      schema: { tags: ['pms'], summary: 'The PMS guest profiles linked to a member', params: ZMemberIdParams, response: { 200: ZMemberPmsProfiles } },
      config: { access: 'members.read' },
    }, async (req) => ({ data: await pms.memberProfiles(req.ctx, req.params.memberId) }));
  };
}
