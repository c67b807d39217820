import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { LINE_LIMITS } from '@innkeeper/contracts';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { asTenantId } from '../../core/ids.ts';
import type { CampaignImagesService, UploadedImage } from './campaign-images.service.ts';
import { ZCampaign, ZCampaignCreate, ZCampaignImage, ZCampaignList, ZCampaignListQuery, ZCampaignPatch, ZCampaignProgress, ZCampaignSettings, ZEstimate, ZEstimateRequest, ZScheduleRequest, ZTestSendRequest, ZTestSendResult } from '@innkeeper/contracts/api';
import { ZCampaignIdParams, ZImageTokenParams } from './campaigns.schemas.ts';
import type { CampaignsService } from './campaigns.service.ts';

/** Uploads are read into memory before the handler opens its transaction, so a slow upload holds no database connection. */
const uploads = new WeakMap<FastifyRequest, { original: UploadedImage; preview: UploadedImage | undefined }>();

function fileNameOf(name: string): string {
  return [...name].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('').split(/[\\/]/).pop()!.trim().slice(-200);
}

/** Field "file" (the image) and optionally "preview" (at most 1 MB), in one multipart request. */
async function receiveImages(req: FastifyRequest) {
  if (!req.isMultipart()) throw new AppError('campaign_image.file_missing');
  const files: Record<string, UploadedImage> = {};
  try {
    for await (const part of req.files()) {
      if (part.fieldname !== 'file' && part.fieldname !== 'preview') {
        await part.toBuffer();
        continue;
      }
      files[part.fieldname] = { fileName: fileNameOf(part.filename), bytes: await part.toBuffer() };
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('campaign_image.too_large', { limit: LINE_LIMITS.imageBytes });
    throw new AppError('campaign_image.file_missing');
  }
  if (!files.file) throw new AppError('campaign_image.file_missing');
  return { original: files.file, preview: files.preview };
}

export function campaignRoutes(deps: { campaigns: CampaignsService; images: CampaignImagesService }): FastifyPluginAsyncZod {
  const { campaigns } = deps;
  return async (app) => {
    // Reading campaigns needs campaigns.edit or campaigns.push: the service checks either (a route names one permission).
    app.get('/api/campaigns', {
      schema: { tags: ['campaigns'], summary: 'One page of the campaigns the account may see (its properties and group-wide ones), newest change first, with how many are in each status', querystring: ZCampaignListQuery, response: { 200: ZCampaignList } },
      config: { access: 'session' },
    }, async (req) => campaigns.listCampaigns(req.ctx, req.query));

    app.post('/api/campaigns', {
      schema: { tags: ['campaigns'], summary: 'Create a draft campaign', body: ZCampaignCreate, response: { 201: ZCampaign } },
      config: { access: 'campaigns.edit' },
    }, async (req, reply) => {
      reply.code(201);
      return campaigns.createCampaign(req.ctx, req.body);
    });

    app.post('/api/campaigns/estimate', {
      schema: { tags: ['campaigns'], summary: 'Audience size, who is skipped and why, holdout and LINE message cost of an unsaved campaign', body: ZEstimateRequest, response: { 200: ZEstimate } },
      config: { access: 'session' },
    }, async (req) => campaigns.estimate(req.ctx, req.body));

    app.get('/api/campaigns/:campaignId', {
      schema: { tags: ['campaigns'], summary: 'One campaign with its messages, images and what the account may do with it', params: ZCampaignIdParams, response: { 200: ZCampaign } },
      config: { access: 'session' },
    }, async (req) => campaigns.getCampaign(req.ctx, req.params.campaignId));

    app.patch('/api/campaigns/:campaignId', {
      schema: { tags: ['campaigns'], summary: 'Change a draft (version: the one the editor started from)', params: ZCampaignIdParams, body: ZCampaignPatch, response: { 200: ZCampaign } },
      config: { access: 'campaigns.edit' },
    }, async (req) => campaigns.updateCampaign(req.ctx, req.params.campaignId, req.body));

    app.delete('/api/campaigns/:campaignId', {
      schema: { tags: ['campaigns'], summary: 'Delete a draft', params: ZCampaignIdParams, response: { 204: z.null() } },
      config: { access: 'campaigns.edit' },
    }, async (req, reply) => {
      await campaigns.deleteCampaign(req.ctx, req.params.campaignId);
      reply.code(204);
      return null;
    });

    app.get('/api/campaigns/:campaignId/estimate', {
      schema: { tags: ['campaigns'], summary: 'The saved campaign’s audience, skips, holdout and message cost', params: ZCampaignIdParams, response: { 200: ZEstimate } },
      config: { access: 'session' },
    }, async (req) => campaigns.estimateCampaign(req.ctx, req.params.campaignId));

    app.post('/api/campaigns/:campaignId/schedule', {
      schema: { tags: ['campaigns'], summary: 'Approve and schedule a draft: at a local time in the hotel’s time zone (not in the past, not after the campaign’s end date, at most a year ahead), or now (campaigns.push)', params: ZCampaignIdParams, body: ZScheduleRequest, response: { 200: ZCampaign } },
      config: { access: 'campaigns.push' },
    }, async (req) => campaigns.scheduleCampaign(req.ctx, req.params.campaignId, req.body));

    app.post('/api/campaigns/:campaignId/test-send', {
      schema: { tags: ['campaigns'], summary: 'Send the campaign now to chosen guests (at most 10) as a test: personalised pushes, not counted as delivery (audited)', params: ZCampaignIdParams, body: ZTestSendRequest, response: { 200: ZTestSendResult } },
      config: { access: 'campaigns.edit' },
    }, async (req) => campaigns.testSend(req.ctx, req.params.campaignId, req.body.memberIds));

    app.post('/api/campaigns/:campaignId/unschedule', {
      schema: { tags: ['campaigns'], summary: 'Withdraw the approval of a scheduled campaign: back to draft (campaigns.push, or the campaign’s author with campaigns.edit)', params: ZCampaignIdParams, response: { 200: ZCampaign } },
      config: { access: 'session' },
    }, async (req) => campaigns.unscheduleCampaign(req.ctx, req.params.campaignId));

    app.post('/api/campaigns/:campaignId/cancel', {
      schema: { tags: ['campaigns'], summary: 'Cancel a draft, or a scheduled campaign (campaigns.push)', params: ZCampaignIdParams, response: { 200: ZCampaign } },
      config: { access: 'session' },
    }, async (req) => campaigns.cancelCampaign(req.ctx, req.params.campaignId));

    app.post('/api/campaigns/:campaignId/pause', {
      schema: { tags: ['campaigns'], summary: 'Pause a campaign that is sending: what is not yet sent waits (campaigns.push)', params: ZCampaignIdParams, response: { 200: ZCampaign } },
      config: { access: 'campaigns.push' },
    }, async (req) => campaigns.pauseCampaign(req.ctx, req.params.campaignId));

    app.post('/api/campaigns/:campaignId/resume', {
      schema: { tags: ['campaigns'], summary: 'Resume a paused campaign: its unsent batches go out with their stored retry keys (campaigns.push)', params: ZCampaignIdParams, response: { 200: ZCampaign } },
      config: { access: 'campaigns.push' },
    }, async (req) => campaigns.resumeCampaign(req.ctx, req.params.campaignId));

    app.get('/api/campaigns/:campaignId/progress', {
      schema: { tags: ['campaigns'], summary: 'How far a send has got: recipients per status and reason, rate, time left', params: ZCampaignIdParams, response: { 200: ZCampaignProgress } },
      config: { access: 'session' },
    }, async (req) => campaigns.campaignProgress(req.ctx, req.params.campaignId));

    app.get('/api/campaign-settings', {
      schema: { tags: ['campaigns'], summary: 'Marketing push limits: at most N pushes per guest per week, quiet hours (applied when sending)', response: { 200: ZCampaignSettings } },
      config: { access: 'session' },
    }, async (req) => campaigns.readSettings(req.ctx));

    app.put('/api/campaign-settings', {
      schema: { tags: ['campaigns'], summary: 'Change the marketing push limits', body: ZCampaignSettings, response: { 200: ZCampaignSettings } },
      config: { access: 'settings.manage' },
    }, async (req) => campaigns.updateSettings(req.ctx, req.body));

    // Multipart parsing exists for the upload route only (an encapsulated plugin); every other route stays JSON-only.
    await app.register(async (upload) => {
      // Busboy reads header parameters as latin1 unless told: browsers send UTF-8 file names (平日優惠.jpg).
      const busboy = { defParamCharset: 'utf8' };
      await upload.register(fastifyMultipart, { limits: { fileSize: LINE_LIMITS.imageBytes, files: 2, fields: 2, parts: 4 }, ...busboy });
      upload.withTypeProvider<ZodTypeProvider>().post('/api/campaign-images', {
        schema: {
          tags: ['campaigns'],
          summary: 'Upload an image for a campaign message: multipart field "file" (JPEG or PNG, at most 10 MB) and, for files over 1 MB, "preview" (at most 1 MB)',
          consumes: ['multipart/form-data'],
          response: { 201: ZCampaignImage },
        },
        config: { access: 'campaigns.edit', authenticateBeforeBody: true },
        preHandler: async (req) => {
          uploads.set(req, await receiveImages(req));
        },
      }, async (req, reply) => {
        const files = uploads.get(req);
        if (!files) throw new AppError('campaign_image.file_missing');
        reply.code(201);
        return deps.images.upload(req.ctx, files.original, files.preview);
      });
    });

    // Public: LINE fetches campaign images from here. The token in the path is the only key.
    app.get('/media/campaign-images/:tenantId/:token/:variant', {
      schema: { hide: true, params: ZImageTokenParams },
      config: { access: 'public' },
    }, async (req, reply) => {
      const image = await deps.images.serve(asTenantId(req.params.tenantId), req.params.token, req.params.variant);
      reply.header('content-type', image.contentType).header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff');
      // Meant to be shown on other sites (LINE's clients, the demo's simulated phone): the general same-origin
      // resource policy would have browsers refuse to display it there.
      reply.header('cross-origin-resource-policy', 'cross-origin');
      return reply.send(image.data);
    });
  };
}
