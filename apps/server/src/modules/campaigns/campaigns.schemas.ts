import { z } from 'zod';

// The bodies and answers of the campaign routes are the wire contract: @innkeeper/contracts/api.
export type { CampaignAudience, CampaignCreate, CampaignPatch, CampaignSettings } from '@innkeeper/contracts/api';

export const ZCampaignIdParams = z.object({ campaignId: z.uuid() });

export const ZImageTokenParams = z.object({ tenantId: z.uuid(), token: z.string().regex(/^[A-Za-z0-9_-]{32,64}$/), variant: z.enum(['original', 'preview']) });
