import type { CampaignStatusReason } from '@innkeeper/contracts/api';
import type { CampaignRow } from './campaigns.repository.ts';

/** Why a campaign stands where it is, read from its stored reason; `byAccountId` is resolved to a name by the service. */
export type StatusDetail = {
  reason: CampaignStatusReason;
  byAccountId: string | null;
  at: Date | null;
  failed: number | null;
  attempted: number | null;
  lineMessage: string | null;
};

// The reasons the engine and the service store (campaign-delivery.ts, campaign-delivery.repository.ts finishIfSettled,
// campaigns.service.ts pause): kept short and in English in the row, read here into a shape the screens can translate.
const QUOTA = /^quota_exhausted: ?([\s\S]*)$/;
const UNAUTHORIZED = /^unauthorized: ?([\s\S]*)$/;
const AUDIENCE_UNAVAILABLE = /^audience_unavailable: ?([\s\S]*)$/;
const RECIPIENTS_FAILED = /^(\d+) of (\d+) recipients failed: ?([\s\S]*)$/;

const none = { byAccountId: null, at: null, failed: null, attempted: null, lineMessage: null };

/**
 * The status reason of a campaign for people: who cancelled or paused it and when, the quota or token that stopped
 * the engine, how many recipients LINE refused. Null when nothing needs explaining (a draft, a clean send).
 */
export function statusDetailOf(row: Pick<CampaignRow, 'status' | 'statusReason' | 'updatedBy' | 'updatedAt' | 'cancelledAt'>): StatusDetail | null {
  // Cancelling is the last change a campaign takes: the account that made it is the one that cancelled.
  if (row.status === 'cancelled') return { ...none, reason: 'cancelled', byAccountId: row.updatedBy, at: row.cancelledAt ?? row.updatedAt };
  const stored = row.statusReason.trim();
  if (stored === '' || row.status === 'draft' || row.status === 'scheduled') return null;
  if (stored === 'paused_by_staff') return { ...none, reason: 'paused_by_staff', byAccountId: row.updatedBy, at: row.updatedAt };
  const quota = QUOTA.exec(stored);
  if (quota) return { ...none, reason: 'quota_exhausted', at: row.updatedAt, lineMessage: quota[1]!.trim() || null };
  const unauthorized = UNAUTHORIZED.exec(stored);
  if (unauthorized) return { ...none, reason: 'unauthorized', at: row.updatedAt, lineMessage: unauthorized[1]!.trim() || null };
  // The audience could not be worked out when the campaign was due (its saved segment deleted, say): the code it met.
  const audience = AUDIENCE_UNAVAILABLE.exec(stored);
  if (audience) return { ...none, reason: 'audience_unavailable', at: row.updatedAt, lineMessage: audience[1]!.trim() || null };
  const failed = RECIPIENTS_FAILED.exec(stored);
  if (failed) return { ...none, reason: 'recipients_failed', failed: Number(failed[1]), attempted: Number(failed[2]), lineMessage: failed[3]!.trim() || null };
  return { ...none, reason: 'other', lineMessage: stored };
}
