import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import {
  ZBindingReviewList,
  ZBindingReviewQuery,
  ZBindResponse,
  ZButton,
  ZButtonList,
  ZButtonRequest,
  ZCodeSent,
  ZGuestView,
  ZMemberCard,
  ZOk,
  ZOptInRequest,
  ZPortalConfig,
  ZPortalSettings,
  ZPortalStatus,
  ZReviewLinkRequest,
  ZReviewResolved,
} from '@innkeeper/contracts/api';
import { z } from 'zod';
import { asTenantId } from '../../core/ids.ts';
import type { MemberDto, MemberLineService, MembersService } from '../members/index.ts';
import type { BindingService, Guest } from './binding.service.ts';
import { ZBindRequest, ZButtonParams, ZCodeRequest, ZLiffParams, ZReviewParams } from './member-portal.schemas.ts';
import type { PortalService } from './portal.service.ts';
import type { ReviewsService } from './reviews.service.ts';
import type { SettingsService } from './settings.service.ts';

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

function toCard(member: MemberDto) {
  return { memberNo: member.memberNo, lastName: member.lastName, firstName: member.firstName, mobile: member.mobile, email: member.email, marketingOptIn: member.marketingOptIn, joinedAt: member.joinedAt };
}

/** The guest-facing API behind the LIFF pages: every call carries the LIFF ID token, verified with LINE. */
export function liffRoutes(deps: { binding: BindingService; portal: PortalService }): FastifyPluginAsyncZod {
  const { binding, portal } = deps;
  const guestOf = (req: FastifyRequest<{ Params: { tenantId: string; channelId: string } }>): Promise<Guest> =>
    binding.authenticateGuest(asTenantId(req.params.tenantId), req.params.channelId, bearer(req));

  return async (app) => {
    app.get('/api/liff/:tenantId/:channelId/config', {
      schema: { tags: ['liff'], summary: 'What the member area shows and asks (no sign-in needed)', params: ZLiffParams, response: { 200: ZPortalConfig } },
      config: { access: 'public' },
    }, async (req) => portal.config(asTenantId(req.params.tenantId), req.params.channelId));

    app.get('/api/liff/:tenantId/:channelId/me', {
      schema: { tags: ['liff'], summary: 'The guest and, once bound, their member card (Authorization: Bearer <LIFF ID token>)', params: ZLiffParams, response: { 200: ZGuestView } },
      config: { access: 'public' },
    }, async (req) => {
      const view = await portal.guestView(await guestOf(req));
      return { ...view, member: view.member ? toCard(view.member) : null };
    });

    app.post('/api/liff/:tenantId/:channelId/code', {
      schema: { tags: ['liff'], summary: 'Text a one-time code to the mobile being bound', params: ZLiffParams, body: ZCodeRequest, response: { 200: ZCodeSent } },
      config: { access: 'public' },
    }, async (req) => binding.requestCode(await guestOf(req), req.body.mobile));

    app.post('/api/liff/:tenantId/:channelId/bind', {
      schema: { tags: ['liff'], summary: 'Bind the LINE account to the guest’s member record', params: ZLiffParams, body: ZBindRequest, response: { 200: ZBindResponse } },
      config: { access: 'public' },
    }, async (req) => {
      const guest = await guestOf(req);
      const { mobile, identity, email, ...rest } = req.body;
      const result = await binding.bind(guest, { ...rest, mobile, identity: identity ?? undefined, email: email ?? undefined });
      const view = result.memberId ? await portal.guestView(guest) : null;
      return { status: result.status, member: view?.member ? toCard(view.member) : null };
    });

    app.patch('/api/liff/:tenantId/:channelId/me', {
      schema: { tags: ['liff'], summary: 'The guest turns offers on or off', params: ZLiffParams, body: ZOptInRequest, response: { 200: ZMemberCard } },
      config: { access: 'public' },
    }, async (req) => toCard(await portal.setOptIn(await guestOf(req), req.body.marketingOptIn)));
  };
}

/** Staff: member-area settings, custom buttons and the binding review queue. */
export function memberPortalRoutes(deps: { settings: SettingsService; reviews: ReviewsService; members: MembersService; memberLine: MemberLineService; bindingAvailable: boolean }): FastifyPluginAsyncZod {
  const { settings, reviews } = deps;
  return async (app) => {
    app.get('/api/member-portal/status', {
      schema: {
        tags: ['member-portal'],
        summary: 'Whether guests can bind now (binding confirms the mobile by SMS: without an SMS provider it is off)',
        response: { 200: ZPortalStatus },
      },
      config: { access: 'settings.manage' },
    }, async () => ({ bindingAvailable: deps.bindingAvailable }));

    app.get('/api/member-portal/settings', {
      schema: { tags: ['member-portal'], summary: 'Member area settings (registration fields, member card)', response: { 200: ZPortalSettings } },
      config: { access: 'settings.manage' },
    }, async (req) => settings.getSettings(req.ctx));

    app.put('/api/member-portal/settings', {
      schema: { tags: ['member-portal'], summary: 'Change the member area settings', body: ZPortalSettings, response: { 200: ZPortalSettings } },
      config: { access: 'settings.manage' },
    }, async (req) => settings.updateSettings(req.ctx, req.body));

    app.get('/api/member-portal/buttons', {
      schema: { tags: ['member-portal'], summary: 'Custom buttons of the member area', response: { 200: ZButtonList } },
      config: { access: 'settings.manage' },
    }, async (req) => ({ data: await settings.listButtons(req.ctx) }));

    app.post('/api/member-portal/buttons', {
      schema: { tags: ['member-portal'], summary: 'Add a custom button', body: ZButtonRequest, response: { 201: ZButton } },
      config: { access: 'settings.manage' },
    }, async (req, reply) => {
      reply.code(201);
      return settings.createButton(req.ctx, req.body);
    });

    app.patch('/api/member-portal/buttons/:buttonId', {
      schema: { tags: ['member-portal'], summary: 'Edit a custom button', params: ZButtonParams, body: ZButtonRequest.partial(), response: { 200: ZButton } },
      config: { access: 'settings.manage' },
    }, async (req) => settings.updateButton(req.ctx, req.params.buttonId, req.body));

    app.delete('/api/member-portal/buttons/:buttonId', {
      schema: { tags: ['member-portal'], summary: 'Remove a custom button', params: ZButtonParams, response: { 204: z.null() } },
      config: { access: 'settings.manage' },
    }, async (req, reply) => {
      await settings.deleteButton(req.ctx, req.params.buttonId);
      reply.code(204);
      return null;
    });

    app.get('/api/binding-reviews', {
      schema: {
        tags: ['member-portal'],
        summary: 'Bindings waiting for staff (several members matched, or the data conflicts)',
        querystring: ZBindingReviewQuery,
        response: { 200: ZBindingReviewList },
      },
      config: { access: 'members.edit' },
    }, async (req) => ({ data: await reviews.listReviews(req.ctx, req.query.status) }));

    app.post('/api/binding-reviews/:reviewId/link', {
      schema: { tags: ['member-portal'], summary: 'Link the guest to the member staff chose', params: ZReviewParams, body: ZReviewLinkRequest, response: { 200: ZReviewResolved } },
      config: { access: 'members.edit' },
    }, async (req) => {
      const member = await reviews.linkToMember(req.ctx, req.params.reviewId, req.body.memberId);
      return { memberId: member.id, memberNo: member.memberNo };
    });

    app.post('/api/binding-reviews/:reviewId/create', {
      schema: { tags: ['member-portal'], summary: 'Make the guest a new member', params: ZReviewParams, response: { 200: ZReviewResolved } },
      config: { access: 'members.edit' },
    }, async (req) => {
      const member = await reviews.createMember(req.ctx, req.params.reviewId);
      return { memberId: member.id, memberNo: member.memberNo };
    });

    app.post('/api/binding-reviews/:reviewId/dismiss', {
      schema: { tags: ['member-portal'], summary: 'Dismiss the binding request', params: ZReviewParams, response: { 200: ZOk } },
      config: { access: 'members.edit' },
    }, async (req) => {
      await reviews.dismiss(req.ctx, req.params.reviewId);
      return { ok: true as const };
    });
  };
}
