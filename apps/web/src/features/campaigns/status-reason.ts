import type { CampaignFailureCause } from '@innkeeper/contracts/api';
import type { Campaign } from './messages.ts';

/** The locale keys under `campaigns.reason` that say why a campaign stands where it is. */
export type ReasonKey = 'cancelledBy' | 'cancelled' | 'pausedBy' | 'paused' | 'quotaExhausted' | 'unauthorized' | 'someFailed' | 'allFailed' | 'segmentGone' | 'audienceUnavailable' | 'segmentGoneMidway' | 'audienceUnavailableMidway' | 'other';

export type ReasonView = {
  type: 'info' | 'warning' | 'error';
  key: ReasonKey;
  params: Record<string, string | number>;
  /** Why recipients failed, in hotel words (a key under `campaigns.reason.cause`). */
  cause: CampaignFailureCause | null;
  /** LINE's own words (English), shown under the explanation for whoever contacts support. */
  lineMessage: string | null;
};

/**
 * Why a campaign was paused, cancelled, failed or ended with failures, as a message in the staff's language: who
 * and when for what staff did, the quota or the token for what stopped the engine, how many LINE refused. Null when
 * there is nothing to explain. `formatAt` renders an instant in the hotel's time zone.
 */
export function reasonView(campaign: Pick<Campaign, 'status' | 'statusDetail'>, formatAt: (iso: string) => string): ReasonView | null {
  const detail = campaign.statusDetail;
  if (!detail) return null;
  const at = detail.at ? formatAt(detail.at) : '—';
  switch (detail.reason) {
    case 'cancelled':
      return { type: 'info', key: detail.by ? 'cancelledBy' : 'cancelled', params: { by: detail.by ?? '', at }, lineMessage: null, cause: null };
    case 'paused_by_staff':
      return { type: 'warning', key: detail.by ? 'pausedBy' : 'paused', params: { by: detail.by ?? '', at }, lineMessage: null, cause: null };
    case 'quota_exhausted':
      return { type: 'warning', key: 'quotaExhausted', params: { at }, lineMessage: detail.lineMessage, cause: null };
    case 'unauthorized':
      return { type: 'error', key: 'unauthorized', params: { at }, lineMessage: detail.lineMessage, cause: null };
    case 'recipients_failed': {
      const failed = detail.failed ?? 0;
      const attempted = detail.attempted ?? failed;
      const all = campaign.status === 'failed' || failed >= attempted;
      // The cause in hotel words; LINE's own words under it only when LINE said them (never Innkeeper's own failure).
      return { type: all ? 'error' : 'warning', key: all ? 'allFailed' : 'someFailed', params: { failed: failed.toLocaleString(), attempted: attempted.toLocaleString() }, lineMessage: detail.lineMessage, cause: detail.cause };
    }
    case 'audience_unavailable':
      // A code, not LINE's words: the explanation says it all, so nothing is shown under it. Failed: nothing was sent;
      // otherwise the audience went away while it was being written, and what was written went out (or is going).
      if (campaign.status !== 'failed') return { type: 'warning', key: detail.code === 'segment.not_found' ? 'segmentGoneMidway' : 'audienceUnavailableMidway', params: {}, lineMessage: null, cause: null };
      return { type: 'error', key: detail.code === 'segment.not_found' ? 'segmentGone' : 'audienceUnavailable', params: { at }, lineMessage: null, cause: null };
    case 'other':
      return { type: campaign.status === 'failed' ? 'error' : 'warning', key: 'other', params: {}, lineMessage: detail.lineMessage, cause: null };
  }
}

/**
 * Whether the campaign went out at its send time: it is sending, paused or over; a cancelled one only if it was
 * cancelled at or after that time (one cancelled while still scheduled never went out, though it keeps the time).
 */
export function wentOut(campaign: Pick<Campaign, 'status' | 'scheduledAt' | 'statusDetail'>): boolean {
  if (!campaign.scheduledAt) return false;
  if (campaign.status === 'cancelled') return campaign.statusDetail?.at != null && Date.parse(campaign.statusDetail.at) >= Date.parse(campaign.scheduledAt);
  return campaign.status !== 'draft' && campaign.status !== 'scheduled';
}

/**
 * Who an account the campaign refers to is, for staff: its name (a disabled account keeps its own), or `gone` when the
 * campaign names an account that is no longer the hotel group's (the server gives an id without a name); null when it
 * names nobody.
 */
export function personOf(id: string | null, name: string | null, gone: string): string | null {
  if (name !== null) return name;
  return id !== null ? gone : null;
}

/** Who approved the send and when (the hotel's time, by `formatAt`), or null while nobody has. */
export function approvalOf(campaign: Pick<Campaign, 'approvedBy' | 'approvedByName' | 'approvedAt'>, formatAt: (iso: string) => string, gone: string): { by: string; at: string } | null {
  const by = personOf(campaign.approvedBy, campaign.approvedByName, gone);
  return by === null ? null : { by, at: campaign.approvedAt ? formatAt(campaign.approvedAt) : '—' };
}
