import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZChannel, ZChannelList, ZChannelRequest, ZFollowLog, ZFollowLogQuery } from '@innkeeper/contracts/api';
import { AppError } from '../../core/errors.ts';
import { asTenantId } from '../../core/ids.ts';
import type { MemberLineService } from '../members/index.ts';
import type { ChannelsService } from './channels.service.ts';
import { ZChannelIdParams } from './line.schemas.ts';
import type { WebhookReceiver } from './webhook.service.ts';

export function lineWebhookRoutes(deps: { receiveWebhook: WebhookReceiver }): FastifyPluginAsyncZod {
  return async (app) => {
    // LINE signs the exact bytes it sends: this scope keeps JSON bodies raw so the signature can be checked first.
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    // Not logged per request (warnings and errors still are, refused signatures and bodies among them): a campaign's
    // replies and taps arrive as hundreds of requests a second, and two synchronous access-log lines per request were
    // a large part of the endpoint's own CPU (bench/webhook, the campaign tracked links' redirect does the same).
    app.post('/api/line/webhook/:tenantId/:channelId', {
      schema: {
        tags: ['line'],
        summary: 'LINE webhook endpoint (paste into LINE Developers); verifies x-line-signature, stores events, answers 200',
        params: z.object({ tenantId: z.uuid(), channelId: z.uuid() }),
        response: { 200: z.object({}) },
      },
      config: { access: 'public' },
      logLevel: 'warn',
    }, async (req) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = req.headers['x-line-signature'];
      const outcome = await deps.receiveWebhook({ tenantId: asTenantId(req.params.tenantId), channelId: req.params.channelId, rawBody, signature: typeof signature === 'string' ? signature : undefined });
      switch (outcome.kind) {
        case 'accepted':
          return {};
        case 'unknown_channel':
          throw new AppError('line.channel_not_found');
        case 'bad_signature':
          req.log.warn({ tenantId: req.params.tenantId, channelId: req.params.channelId, hasSignature: Boolean(signature) }, 'LINE webhook refused: bad signature');
          throw new AppError('line.bad_signature');
        case 'bad_body':
          req.log.warn({ reason: outcome.reason }, 'LINE webhook refused: bad body');
          throw new AppError('line.bad_webhook_body', { reason: outcome.reason });
      }
    });
  };
}

export function lineSettingsRoutes(deps: { channels: ChannelsService; memberLine: MemberLineService }): FastifyPluginAsyncZod {
  const { channels } = deps;
  return async (app) => {
    app.get('/api/line/channels', {
      schema: { tags: ['line'], summary: 'Connected LINE Official Accounts', response: { 200: ZChannelList } },
      config: { access: 'settings.manage' },
    }, async (req) => ({ data: await channels.listChannels(req.ctx) }));

    app.post('/api/line/channels', {
      schema: { tags: ['line'], summary: 'Connect a LINE Official Account (secrets are stored encrypted)', body: ZChannelRequest, response: { 201: ZChannel } },
      config: { access: 'settings.manage' },
    }, async (req, reply) => {
      reply.code(201);
      return channels.createChannel(req.ctx, req.body);
    });

    app.patch('/api/line/channels/:channelId', {
      schema: { tags: ['line'], summary: 'Change a channel; secrets are replaced only when given', params: ZChannelIdParams, body: ZChannelRequest.partial(), response: { 200: ZChannel } },
      config: { access: 'settings.manage' },
    }, async (req) => channels.updateChannel(req.ctx, req.params.channelId, req.body));

    app.post('/api/line/channels/:channelId/verify', {
      schema: { tags: ['line'], summary: 'Check the credentials with LINE (bot info)', params: ZChannelIdParams, response: { 200: ZChannel } },
      config: { access: 'settings.manage' },
    }, async (req) => channels.verifyChannel(req.ctx, req.params.channelId));

    app.delete('/api/line/channels/:channelId', {
      schema: { tags: ['line'], summary: 'Disconnect a channel', params: ZChannelIdParams, response: { 204: z.null() } },
      config: { access: 'settings.manage' },
    }, async (req, reply) => {
      await channels.deleteChannel(req.ctx, req.params.channelId);
      reply.code(204);
      return null;
    });

    app.get('/api/line/follow-log', {
      schema: { tags: ['line'], summary: '封鎖紀錄: who followed, unblocked or blocked, with daily counts', querystring: ZFollowLogQuery, response: { 200: ZFollowLog } },
      config: { access: 'members.read' },
    }, async (req) => {
      const { from, to, type, page, pageSize } = req.query;
      const events = await deps.memberLine.listFriendEvents(req.ctx, { from, to, type, page, pageSize });
      const daily = await deps.memberLine.friendEventDailyCounts(req.ctx, { from, to, timezone: req.ctx.timezone });
      return { ...events, daily };
    });
  };
}
