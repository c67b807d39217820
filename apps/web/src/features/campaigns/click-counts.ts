import type { ResponseBody, ZCampaignClickCounts } from '@innkeeper/contracts/api';
import type { Campaign } from './messages.ts';

/** A campaign's buttons with their clicks, as GET /api/campaigns/:id/clicks answers (message order). */
export type CampaignClickCounts = ResponseBody<typeof ZCampaignClickCounts>;
export type ButtonClicks = CampaignClickCounts['data'][number];

/** Statuses of a campaign that has gone out to guests (or is going out): its page shows what they clicked. */
const OUT = new Set<Campaign['status']>(['sending', 'sent', 'paused']);
/** Stopped ones: shown only when LINE accepted it for some guests before it stopped. */
const STOPPED = new Set<Campaign['status']>(['cancelled', 'failed']);

/**
 * Whether the campaign's page shows the clicks card: once the campaign has gone out (sending, sent, paused), or when it
 * was cancelled or failed after LINE accepted it for some guests (`accepted`, from its progress; undefined while
 * unknown). A draft's or a scheduled campaign's only clicks would be its test sends'.
 */
export function showsClicks(status: Campaign['status'], accepted: number | undefined): boolean {
  if (OUT.has(status)) return true;
  return STOPPED.has(status) && (accepted ?? 0) > 0;
}

/** Whether the answer needs asking for again: is the campaign still sending, are clicks' tags still being applied? */
export function clicksStillMoving(status: Campaign['status'], counts: CampaignClickCounts | undefined): boolean {
  return status === 'sending' || (counts?.data.some((b) => b.pending > 0) ?? false);
}

/**
 * What the card says: the campaign has no button (nothing to count), nobody clicked yet (the buttons with zeros, and
 * that said in words rather than a bare 暫無資料), or the clicks.
 */
export function clicksState(counts: CampaignClickCounts): 'no_buttons' | 'no_clicks' | 'clicks' {
  if (counts.data.length === 0) return 'no_buttons';
  return counts.data.some((b) => b.clicks > 0) ? 'clicks' : 'no_clicks';
}

/**
 * What a button does: a URL button's link (null for a postback button), and the tags a tap gives by name, for either
 * kind (a URL button gives its tags too, to a guest known by the tap; a tag deleted since is left out, as a tap no
 * longer gives it).
 */
export function buttonTarget(button: ButtonClicks, tagNames: ReadonlyMap<string, string>): { url: string | null; tags: string[] } {
  return { url: button.kind === 'uri' ? button.url : null, tags: button.tagIds.flatMap((id) => (tagNames.has(id) ? [tagNames.get(id)!] : [])) };
}
