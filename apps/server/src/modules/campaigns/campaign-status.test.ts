import { describe, expect, it } from 'vitest';
import { statusDetailOf } from './campaign-status.ts';

const at = new Date('2026-12-05T02:00:00Z');
const row = (status: string, statusReason: string, extra: { cancelledAt?: Date | null } = {}) =>
  ({ status, statusReason, updatedBy: 'acc-1', updatedAt: at, cancelledAt: null, ...extra }) as Parameters<typeof statusDetailOf>[0];

describe('the status reason read for people', () => {
  it('nothing to explain for drafts, scheduled campaigns and clean sends', () => {
    expect(statusDetailOf(row('draft', ''))).toBeNull();
    expect(statusDetailOf(row('scheduled', ''))).toBeNull();
    expect(statusDetailOf(row('sending', ''))).toBeNull();
    expect(statusDetailOf(row('sent', ''))).toBeNull();
  });

  it('cancelled: by the account that made the last change, when it was cancelled, whatever reason was stored before', () => {
    const cancelledAt = new Date('2026-12-05T01:00:00Z');
    expect(statusDetailOf(row('cancelled', 'quota_exhausted: You have reached your monthly limit.', { cancelledAt }))).toEqual({ reason: 'cancelled', byAccountId: 'acc-1', at: cancelledAt, failed: null, attempted: null, lineMessage: null });
  });

  it('paused by staff names who; the quota and a refused token are the engine’s, with LINE’s words', () => {
    expect(statusDetailOf(row('paused', 'paused_by_staff'))).toMatchObject({ reason: 'paused_by_staff', byAccountId: 'acc-1', at });
    expect(statusDetailOf(row('paused', 'quota_exhausted: You have reached your monthly limit.'))).toMatchObject({ reason: 'quota_exhausted', byAccountId: null, lineMessage: 'You have reached your monthly limit.' });
    expect(statusDetailOf(row('paused', 'unauthorized: Authentication failed'))).toMatchObject({ reason: 'unauthorized', byAccountId: null, lineMessage: 'Authentication failed' });
  });

  it('failed recipients: how many of how many, and the last reason', () => {
    expect(statusDetailOf(row('sent', '703 of 1203 recipients failed: gave up after retries: server_error 500 Internal'))).toEqual({
      reason: 'recipients_failed',
      byAccountId: null,
      at: null,
      failed: 703,
      attempted: 1203,
      lineMessage: 'gave up after retries: server_error 500 Internal',
    });
    expect(statusDetailOf(row('failed', '5 of 5 recipients failed: 400 The request body has 1 error(s)'))).toMatchObject({ failed: 5, attempted: 5 });
  });

  it('an audience that could not be worked out when due (its segment deleted) says so, with the code it met', () => {
    expect(statusDetailOf(row('failed', 'audience_unavailable: segment.not_found'))).toMatchObject({ reason: 'audience_unavailable', at, lineMessage: 'segment.not_found' });
  });

  it('a reason it does not know is passed on as it is', () => {
    expect(statusDetailOf(row('failed', 'something new'))).toMatchObject({ reason: 'other', lineMessage: 'something new' });
  });
});
