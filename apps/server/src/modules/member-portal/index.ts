import { contribute, defineModule, type Platform } from '../../core/module.ts';
import { auditTargetLabelers } from '../audit/index.ts';
import type { ChannelsService, LineApi } from '../line/index.ts';
import type { MemberLineService, MembersService } from '../members/index.ts';
import { createBindingService } from './binding.service.ts';
import { PORTAL_FIELD_MESSAGES } from './member-portal.messages.ts';
import { liffRoutes, memberPortalRoutes } from './member-portal.routes.ts';
import { createPortalService } from './portal.service.ts';
import { createReviewsService, labelReviewsForAudit } from './reviews.service.ts';
import { createSettingsService } from './settings.service.ts';

export type { BindingService } from './binding.service.ts';
export type { PortalService } from './portal.service.ts';
export type { ReviewsService } from './reviews.service.ts';
export type { SettingsService } from './settings.service.ts';
export { DEFAULT_PORTAL_SETTINGS, type PortalSettings } from './portal-settings.ts';
export { PORTAL_FIELD_MESSAGES } from './member-portal.messages.ts';
export { hasName, isSameName, normaliseName } from './same-name.ts';

type Needs = { members: MembersService; memberLine: MemberLineService; channels: ChannelsService; lineApi: LineApi };

export const memberPortalModule = defineModule({
  name: 'member-portal',
  permissions: ['members.edit', 'settings.manage'],
  fieldMessages: PORTAL_FIELD_MESSAGES,
  create: ({ db, clock, keyring, sms, queue, members, memberLine, channels, lineApi }: Platform & Needs) => {
    const portalSettings = createSettingsService();
    const binding = createBindingService({ db, clock, keyring, lineApi, channels, members, memberLine, sms, settings: portalSettings, queue });
    const portal = createPortalService({ db, binding, settings: portalSettings, channels, members, memberLine });
    const reviews = createReviewsService({ keyring, clock, members, memberLine, queue });
    return {
      services: { portalSettings, binding, portal, reviews },
      routes: [liffRoutes({ binding, portal }), memberPortalRoutes({ settings: portalSettings, reviews, members, memberLine, bindingAvailable: binding.available })],
      contributes: contribute(auditTargetLabelers, { binding_review: labelReviewsForAudit }),
    };
  },
});
