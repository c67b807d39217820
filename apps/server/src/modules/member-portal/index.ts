export { createBindingService, type BindingService } from './binding.service.ts';
export { createPortalService, type PortalService } from './portal.service.ts';
export { createReviewsService, type ReviewsService } from './reviews.service.ts';
export { createSettingsService, type SettingsService } from './settings.service.ts';
export { DEFAULT_PORTAL_SETTINGS, type PortalSettings } from './portal-settings.ts';
export { liffRoutes, memberPortalRoutes } from './member-portal.routes.ts';
export { PORTAL_FIELD_MESSAGES } from './member-portal.messages.ts';
export { hasName, isSameName, normaliseName } from './same-name.ts';
