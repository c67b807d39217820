import type { CampaignFailureCause, CampaignStatusReason } from '@innkeeper/contracts/api';
import type { CampaignRow } from './campaigns.repository.ts';

/** Why a campaign stands where it is, from its stored code and parameters; `byAccountId` is named by the service. */
export type StatusDetail = {
  reason: CampaignStatusReason;
  cause: CampaignFailureCause | null;
  code: string | null;
  byAccountId: string | null;
  at: Date | null;
  failed: number | null;
  attempted: number | null;
  lineMessage: string | null;
};

const none = { cause: null, code: null, byAccountId: null, at: null, failed: null, attempted: null, lineMessage: null };

/**
 * The status reason of a campaign for people: who cancelled or paused it and when, the quota or token that stopped
 * the engine, how many recipients failed and why. Null when nothing needs explaining (a draft, a clean send). The row
 * holds a code and its parameters (migration 0030), never text to parse; the screens translate them.
 */
export function statusDetailOf(row: Pick<CampaignRow, 'status' | 'statusReason' | 'statusParams' | 'updatedBy' | 'updatedAt' | 'cancelledAt'>): StatusDetail | null {
  // Cancelling is the last change a campaign takes: the account that made it is the one that cancelled.
  if (row.status === 'cancelled') return { ...none, reason: 'cancelled', byAccountId: row.updatedBy, at: row.cancelledAt ?? row.updatedAt };
  const code = row.statusReason;
  const params = row.statusParams;
  if (code === '' || row.status === 'draft' || row.status === 'scheduled') return null;
  const lineMessage = params.lineMessage?.trim() || null;
  switch (code) {
    case 'paused_by_staff':
      return { ...none, reason: 'paused_by_staff', byAccountId: row.updatedBy, at: row.updatedAt };
    case 'quota_exhausted':
    case 'unauthorized':
      return { ...none, reason: code, at: row.updatedAt, lineMessage };
    case 'audience_unavailable':
      // The audience could not be worked out when the campaign was due (its saved segment deleted, say): the code it met.
      return { ...none, reason: 'audience_unavailable', at: row.updatedAt, code: params.code ?? null };
    case 'recipients_failed':
      return { ...none, reason: 'recipients_failed', cause: params.cause ?? 'line_refused', failed: params.failed ?? null, attempted: params.attempted ?? null, lineMessage };
    case 'other':
      return { ...none, reason: 'other', lineMessage: params.text ?? null };
  }
}
