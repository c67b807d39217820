import { describe, expect, it } from 'vitest';
import { testSendOutcomeOf } from './campaign-test-send.ts';

const M = '01900000-0000-7000-8000-000000000001';

describe('a test push’s outcome as staff are told it', () => {
  it('names the cause; LINE’s words travel apart, only when LINE said them', () => {
    expect(testSendOutcomeOf(M, { kind: 'accepted', requestId: 'r', alreadyAccepted: false, acceptedRequestId: null, sentMessages: null })).toEqual({ memberId: M, outcome: 'accepted', cause: null, message: '' });
    expect(testSendOutcomeOf(M, { kind: 'rejected', status: 400, message: 'The request body has 1 error(s)', details: [], requestId: 'r' })).toEqual({ memberId: M, outcome: 'failed', cause: 'line_refused', message: 'The request body has 1 error(s)' });
    expect(testSendOutcomeOf(M, { kind: 'quota_exhausted', message: 'You have reached your monthly limit.', requestId: 'r' })).toMatchObject({ cause: 'quota_exhausted', message: 'You have reached your monthly limit.' });
    expect(testSendOutcomeOf(M, { kind: 'unauthorized', message: 'Authentication failed', requestId: 'r' })).toMatchObject({ cause: 'unauthorized', message: 'Authentication failed' });
    // LINE answered 500 until the retries ran out: its words are LINE's.
    expect(testSendOutcomeOf(M, { kind: 'retryable', reason: 'server_error', status: 500, message: 'Internal server error', retryAfterMs: 1000, requestId: 'r' })).toMatchObject({ cause: 'gave_up', message: 'Internal server error' });
  });

  it('never shows Innkeeper’s own network or pacing words as LINE’s', () => {
    expect(testSendOutcomeOf(M, { kind: 'retryable', reason: 'network', status: null, message: 'fetch failed (ECONNREFUSED)', retryAfterMs: 1000, requestId: null })).toEqual({ memberId: M, outcome: 'failed', cause: 'gave_up', message: '' });
    expect(testSendOutcomeOf(M, { kind: 'retryable', reason: 'paced', status: null, message: 'channel is paced', retryAfterMs: 50, requestId: null })).toMatchObject({ cause: 'gave_up', message: '' });
  });
});
