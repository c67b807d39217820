import type { Audience } from '../segments/index.ts';
import type { CampaignAudience } from './campaigns.schemas.ts';

/**
 * A campaign's audience as the segments module selects it, for the estimate and the send alike. 所有 LINE 好友 is the
 * account's friends (blocked ones included, skipped as blocked), not every member: a guest who never added the account
 * is no friend left out of it, so neither the estimate nor the send's outcomes list them as 未加入 LINE 好友.
 */
export function segmentsAudienceOf(audience: CampaignAudience): Audience {
  if (audience.kind === 'segment') return { segmentId: audience.segmentId };
  if (audience.kind === 'conditions') return { definition: audience.definition };
  return { lineFriends: true };
}
