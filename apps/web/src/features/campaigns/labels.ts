import type { CampaignStatus } from '@innkeeper/contracts';

/** Tag colours of campaign statuses in lists and headers. */
export const STATUS_COLORS: Record<CampaignStatus, string> = {
  draft: 'default',
  scheduled: 'blue',
  sending: 'processing',
  sent: 'green',
  paused: 'orange',
  cancelled: 'default',
  failed: 'red',
};
