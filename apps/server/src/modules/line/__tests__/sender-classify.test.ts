import { HTTPFetchError } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { backoffMs, classifyLineFailure } from '../sender.ts';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new HTTPFetchError(`${status}`, { status, statusText: 'x', headers: new Headers({ 'x-line-request-id': 'req-1', ...headers }), body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('what LINE’s answer means for a send', () => {
  it('409 is "already accepted" only for a retry key; any other 409 is a refusal', () => {
    expect(classifyLineFailure(answer(409, { message: 'The retry key is already accepted' }, { 'x-line-accepted-request-id': 'req-0' }))).toEqual({
      kind: 'accepted',
      requestId: 'req-1',
      alreadyAccepted: true,
      acceptedRequestId: 'req-0',
      sentMessages: null,
    });
    expect(classifyLineFailure(answer(409, { message: 'Conflict' }))).toMatchObject({ kind: 'rejected', status: 409, message: 'Conflict' });
  });

  it('tells the three 429s apart by LINE’s message', () => {
    expect(classifyLineFailure(answer(429, { message: 'You have reached your monthly limit.' }))).toMatchObject({ kind: 'quota_exhausted' });
    expect(classifyLineFailure(answer(429, { message: 'The API rate limit has been exceeded. Try again later.' }))).toMatchObject({ kind: 'retryable', reason: 'rate_limited' });
    expect(classifyLineFailure(answer(429, { message: 'Too many messages have been sent to this user. Try again later.' }))).toMatchObject({ kind: 'retryable', reason: 'same_user' });
  });

  it('5xx and anything that is not an answer are retryable; 401 unauthorized; other 4xx refusals keep LINE’s words', () => {
    expect(classifyLineFailure(answer(502, '<html>bad gateway</html>'))).toMatchObject({ kind: 'retryable', reason: 'server_error', status: 502, message: '<html>bad gateway</html>' });
    expect(classifyLineFailure(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }))).toMatchObject({ kind: 'retryable', reason: 'network', message: 'fetch failed (ECONNRESET)' });
    expect(classifyLineFailure(answer(401, { message: 'Authentication failed.' }))).toMatchObject({ kind: 'unauthorized', message: 'Authentication failed.' });
    expect(classifyLineFailure(answer(403, { message: 'Access to this API is not available for your account' }))).toMatchObject({ kind: 'rejected', status: 403, details: [] });
    expect(classifyLineFailure(answer(400, { message: 'The request body has 1 error(s)', details: [{ message: 'May not be empty', property: 'messages[0].text' }] }))).toMatchObject({
      kind: 'rejected',
      details: [{ message: 'May not be empty', property: 'messages[0].text' }],
    });
  });

  it('backs off exponentially with full jitter, capped, never to zero', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs('server_error', n, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs('server_error', 30, () => 1)).toBe(60_000);
    expect(backoffMs('rate_limited', 1, () => 0)).toBe(50);
    expect(backoffMs('same_user', 1, () => 1)).toBe(60_000);
  });
});
