export { createCampaignsService, labelCampaignsForAudit, type CampaignsService } from './campaigns.service.ts';
export { createCampaignImagesService, type CampaignImagesService } from './campaign-images.service.ts';
export { campaignRoutes } from './campaigns.routes.ts';
export { toLineMessages, postbackData, type ImageUrls } from './line-messages.ts';
export { ZCampaignMessage, type CampaignMessage } from './campaign-messages.ts';
