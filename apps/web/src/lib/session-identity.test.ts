import { afterEach, describe, expect, it } from 'vitest';

// The API client's messages come from the app's i18n, which names the page's language on load: a page's bare minimum.
Object.assign(globalThis, { document: { documentElement: {} } });
const { api, setCsrfToken } = await import('./api-client.ts');
const { adoptIdentity, identityOf, sessionChanged } = await import('./session-identity.ts');

/** Each request the page would have sent, answered as the server answers a token of another sign-in (403). */
const sent: string[] = [];
const realFetch = globalThis.fetch;
function serverRefusingTheToken() {
  globalThis.fetch = ((input: string, init?: RequestInit) => {
    sent.push(`${init?.method ?? 'GET'} ${input}`);
    const body = { error: { code: 'auth.csrf_invalid', message: 'Security check failed; reload the page and try again.' } };
    return Promise.resolve(new Response(JSON.stringify(body), { status: 403, headers: { 'content-type': 'application/json' } }));
  }) as typeof fetch;
}
afterEach(() => {
  globalThis.fetch = realFetch;
  sent.length = 0;
  setCsrfToken(undefined);
});

describe('a tab whose browser session became another sign-in’s', () => {
  it('the session answer naming another account marks it changed; nothing that writes leaves it after', async () => {
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    expect(sessionChanged()).toBeUndefined();
    expect(adoptIdentity(identityOf('account-b', 'hotel-2'))).toBe('changed');
    expect(sessionChanged()).toBe('session_answer');
    serverRefusingTheToken();
    await expect(api.post('/api/members', { lastName: '林' })).rejects.toMatchObject({ code: 'client.session_changed' });
    expect(sent).toEqual([]);
    // Signing out in the tab makes it no one's: the next account to sign in there is its own.
    setCsrfToken(undefined);
    expect(sessionChanged()).toBeUndefined();
    expect(adoptIdentity(identityOf('account-b', 'hotel-2'))).toBe('own');
  });

  it('a token the server refuses as another session’s (CSRF) marks it changed: the next write is not sent', async () => {
    setCsrfToken('token-of-a');
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    serverRefusingTheToken();
    await expect(api.post('/api/tags', { name: '長住客' })).rejects.toMatchObject({ code: 'auth.csrf_invalid' });
    expect(sessionChanged()).toBe('csrf');
    await expect(api.post('/api/tags', { name: '長住客' })).rejects.toMatchObject({ code: 'client.session_changed' });
    expect(sent).toEqual(['POST /api/tags']);
  });
});
