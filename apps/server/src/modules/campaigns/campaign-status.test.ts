import { describe, expect, it } from 'vitest';
import type { CampaignStatusParams } from '@innkeeper/contracts/api';
import { statusDetailOf } from './campaign-status.ts';
import type { StatusReasonCode } from './campaigns.tables.ts';

const at = new Date('2026-12-05T02:00:00Z');
const row = (status: string, statusReason: StatusReasonCode, statusParams: CampaignStatusParams = {}, extra: { cancelledAt?: Date | null } = {}) =>
  ({ status, statusReason, statusParams, updatedBy: 'acc-1', updatedAt: at, cancelledAt: null, ...extra }) as Parameters<typeof statusDetailOf>[0];
const none = { cause: null, code: null, byAccountId: null, at: null, failed: null, attempted: null, lineMessage: null };

describe('the status reason read for people (a stored code and its parameters)', () => {
  it('nothing to explain for drafts, scheduled campaigns and clean sends', () => {
    expect(statusDetailOf(row('draft', ''))).toBeNull();
    expect(statusDetailOf(row('scheduled', ''))).toBeNull();
    expect(statusDetailOf(row('sending', ''))).toBeNull();
    expect(statusDetailOf(row('sent', ''))).toBeNull();
  });

  it('cancelled: by the account that made the last change, when it was cancelled, whatever reason was stored before', () => {
    const cancelledAt = new Date('2026-12-05T01:00:00Z');
    expect(statusDetailOf(row('cancelled', 'quota_exhausted', { lineMessage: 'You have reached your monthly limit.' }, { cancelledAt }))).toEqual({ ...none, reason: 'cancelled', byAccountId: 'acc-1', at: cancelledAt });
  });

  it('paused by staff names who; the quota and a refused token are the engine’s, with LINE’s words', () => {
    expect(statusDetailOf(row('paused', 'paused_by_staff'))).toMatchObject({ reason: 'paused_by_staff', byAccountId: 'acc-1', at });
    expect(statusDetailOf(row('paused', 'quota_exhausted', { lineMessage: 'You have reached your monthly limit.' }))).toMatchObject({ reason: 'quota_exhausted', byAccountId: null, lineMessage: 'You have reached your monthly limit.' });
    expect(statusDetailOf(row('paused', 'unauthorized', { lineMessage: 'Authentication failed' }))).toMatchObject({ reason: 'unauthorized', byAccountId: null, lineMessage: 'Authentication failed' });
  });

  it('failed recipients: how many of how many, the cause, and LINE’s words only when LINE said them', () => {
    expect(statusDetailOf(row('sent', 'recipients_failed', { failed: 703, attempted: 1203, cause: 'gave_up', lineMessage: '500 Internal' }))).toEqual({
      ...none,
      reason: 'recipients_failed',
      cause: 'gave_up',
      failed: 703,
      attempted: 1203,
      lineMessage: '500 Internal',
    });
    // A batch whose job was lost is Innkeeper's own failure: a cause the screens translate, no English under it.
    expect(statusDetailOf(row('failed', 'recipients_failed', { failed: 1100, attempted: 1100, cause: 'job_lost' }))).toMatchObject({ cause: 'job_lost', failed: 1100, lineMessage: null });
  });

  it('an audience that could not be worked out when due (its segment deleted) says so, with the code it met', () => {
    expect(statusDetailOf(row('failed', 'audience_unavailable', { code: 'segment.not_found' }))).toMatchObject({ reason: 'audience_unavailable', at, code: 'segment.not_found', lineMessage: null });
  });

  it('a reason stored as text before codes existed (migration 0030 keeps it as other) is passed on as it is', () => {
    expect(statusDetailOf(row('failed', 'other', { text: 'something old' }))).toMatchObject({ reason: 'other', lineMessage: 'something old' });
  });
});
