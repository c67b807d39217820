import { describe, expect, it } from 'vitest';
import en from '../../locales/en.json';
import zhTW from '../../locales/zh-TW.json';
import type { CampaignFailureCause } from '@innkeeper/contracts/api';
import type { Campaign } from './messages.ts';
import { approvalOf, personOf, reasonView, wentOut, type ReasonKey } from './status-reason.ts';

// Every cause the contract names (the Record makes a new one fail to compile until it is listed here).
const CAMPAIGN_FAILURE_CAUSES = Object.keys({ line_refused: 1, gave_up: 1, job_lost: 1, no_channel: 1, member_gone: 1 } satisfies Record<CampaignFailureCause, 1>) as CampaignFailureCause[];
const formatAt = (iso: string) => `@${iso.slice(11, 16)}`;
const detail = (d: Partial<NonNullable<Campaign['statusDetail']>> & Pick<NonNullable<Campaign['statusDetail']>, 'reason'>) =>
  ({ by: null, at: null, failed: null, attempted: null, lineMessage: null, cause: null, code: null, ...d }) as NonNullable<Campaign['statusDetail']>;
const view = (status: Campaign['status'], d: NonNullable<Campaign['statusDetail']> | null) => reasonView({ status, statusDetail: d }, formatAt);

describe('why a campaign paused or ended, for staff', () => {
  it('nothing to say without a detail', () => {
    expect(view('sent', null)).toBeNull();
  });

  it('who cancelled or paused it and when; unnamed when the account is gone', () => {
    expect(view('cancelled', detail({ reason: 'cancelled', by: '王經理', at: '2026-12-05T01:30:00.000Z' }))).toEqual({ type: 'info', key: 'cancelledBy', params: { by: '王經理', at: '@01:30' }, lineMessage: null, cause: null });
    expect(view('cancelled', detail({ reason: 'cancelled' }))).toMatchObject({ key: 'cancelled', params: { at: '—' } });
    expect(view('paused', detail({ reason: 'paused_by_staff', by: '行銷小婷', at: '2026-12-05T02:00:00.000Z' }))).toMatchObject({ type: 'warning', key: 'pausedBy', params: { by: '行銷小婷', at: '@02:00' } });
  });

  it('the quota and a refused token stop the engine, with LINE’s words kept', () => {
    expect(view('paused', detail({ reason: 'quota_exhausted', lineMessage: 'You have reached your monthly limit.' }))).toMatchObject({ type: 'warning', key: 'quotaExhausted', lineMessage: 'You have reached your monthly limit.' });
    expect(view('paused', detail({ reason: 'unauthorized', lineMessage: 'Authentication failed' }))).toMatchObject({ type: 'error', key: 'unauthorized' });
  });

  it('an audience that could not be worked out when due: a deleted segment is named as such', () => {
    expect(view('failed', detail({ reason: 'audience_unavailable', code: 'segment.not_found', at: '2026-12-05T02:00:00.000Z' }))).toEqual({ type: 'error', key: 'segmentGone', params: { at: '@02:00' }, lineMessage: null, cause: null });
    expect(view('failed', detail({ reason: 'audience_unavailable', code: 'segment.invalid' }))).toMatchObject({ key: 'audienceUnavailable' });
    // Gone while the audience was being written: what was written went out, and the campaign says why it reached fewer.
    expect(view('sent', detail({ reason: 'audience_unavailable', code: 'segment.not_found' }))).toEqual({ type: 'warning', key: 'segmentGoneMidway', params: {}, lineMessage: null, cause: null });
    expect(view('sending', detail({ reason: 'audience_unavailable', code: 'segment.invalid' }))).toMatchObject({ type: 'warning', key: 'audienceUnavailableMidway' });
  });

  it('some or all recipients failed', () => {
    expect(view('sent', detail({ reason: 'recipients_failed', failed: 703, attempted: 1203 }))).toMatchObject({ type: 'warning', key: 'someFailed', params: { failed: '703', attempted: '1,203' } });
    expect(view('failed', detail({ reason: 'recipients_failed', failed: 5, attempted: 5 }))).toMatchObject({ type: 'error', key: 'allFailed' });
    // A lost batch is Innkeeper's own failure: said as a cause in hotel words, with no English "LINE's reply" under it.
    expect(view('failed', detail({ reason: 'recipients_failed', failed: 1100, attempted: 1100, cause: 'job_lost' }))).toMatchObject({ key: 'allFailed', cause: 'job_lost', lineMessage: null });
    expect(view('sent', detail({ reason: 'recipients_failed', failed: 3, attempted: 9, cause: 'line_refused', lineMessage: '400 The request body has 1 error(s)' }))).toMatchObject({ cause: 'line_refused', lineMessage: '400 The request body has 1 error(s)' });
    expect(view('failed', detail({ reason: 'other', lineMessage: 'something new' }))).toMatchObject({ type: 'error', key: 'other', lineMessage: 'something new' });
  });

  it('every reason has its words in both languages', () => {
    const keys: ReasonKey[] = ['cancelledBy', 'cancelled', 'pausedBy', 'paused', 'quotaExhausted', 'unauthorized', 'someFailed', 'allFailed', 'other'];
    for (const texts of [zhTW, en]) for (const key of keys) expect(texts.campaigns.reason[key], key).toEqual(expect.any(String));
    for (const texts of [zhTW, en]) for (const cause of CAMPAIGN_FAILURE_CAUSES) expect([texts.campaigns.reason.cause[cause], texts.campaigns.progress.reasons[cause]], cause).toEqual([expect.any(String), expect.any(String)]);
  });
});

describe('whether a campaign went out (its page then says when)', () => {
  const at = '2026-12-07T02:00:00.000Z';
  const campaign = (status: Campaign['status'], scheduledAt: string | null, cancelledAt?: string) => ({ status, scheduledAt, statusDetail: cancelledAt ? detail({ reason: 'cancelled', at: cancelledAt }) : null });
  it('sending, paused or over with a send time: yes; a draft, a scheduled one or no send time: no', () => {
    for (const status of ['sending', 'paused', 'sent', 'failed'] as const) expect(wentOut(campaign(status, at))).toBe(true);
    for (const status of ['draft', 'scheduled'] as const) expect(wentOut(campaign(status, at))).toBe(false);
    expect(wentOut(campaign('sent', null))).toBe(false);
  });
  it('cancelled: only if cancelled at or after its send time, not while it was still scheduled', () => {
    expect(wentOut(campaign('cancelled', at, '2026-12-07T01:59:00.000Z'))).toBe(false);
    expect(wentOut(campaign('cancelled', at, '2026-12-07T02:03:00.000Z'))).toBe(true);
    expect(wentOut(campaign('cancelled', at))).toBe(false);
  });
});

describe('who wrote and who approved a campaign (its page names them)', () => {
  const gone = '已移除的帳號';
  it('the approver by name, with the approval time in the hotel’s time', () => {
    expect(approvalOf({ approvedBy: 'acc-1', approvedByName: '王經理', approvedAt: '2026-12-07T01:30:00.000Z' }, formatAt, gone)).toEqual({ by: '王經理', at: '@01:30' });
  });
  it('nobody yet: no approval to show', () => {
    expect(approvalOf({ approvedBy: null, approvedByName: null, approvedAt: null }, formatAt, gone)).toBeNull();
  });
  it('an account that is no longer the hotel group’s is said to be removed, never left blank', () => {
    expect(approvalOf({ approvedBy: 'acc-9', approvedByName: null, approvedAt: '2026-12-07T01:30:00.000Z' }, formatAt, gone)).toEqual({ by: gone, at: '@01:30' });
    expect(personOf('acc-9', null, gone)).toBe(gone);
    expect(personOf('acc-1', '行銷小婷', gone)).toBe('行銷小婷');
    // A seeded campaign no account wrote names nobody.
    expect(personOf(null, null, gone)).toBeNull();
  });
  it('the page’s words in both languages name the approver and the time', () => {
    for (const texts of [zhTW, en]) {
      expect(texts.campaigns.schedule.sentAt).toMatch(/\{\{by\}\}.*\{\{approvedAt\}\}/);
      expect(texts.campaigns.schedule.approvedBy).toMatch(/\{\{by\}\}.*\{\{at\}\}/);
      expect(texts.campaigns.schedule.createdBy).toContain('{{by}}');
      expect(texts.campaigns.schedule.removedAccount).toEqual(expect.any(String));
    }
  });
});
