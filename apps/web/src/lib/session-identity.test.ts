import { afterEach, describe, expect, it } from 'vitest';

// The API client's messages come from the app's i18n, which names the page's language on load: a page's bare minimum.
Object.assign(globalThis, { document: { documentElement: {} } });
const { api, setCsrfToken } = await import('./api-client.ts');
const { adoptIdentity, forgetIdentity, identityOf, maySend, otherTabPublished, sessionChanged } = await import('./session-identity.ts');

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

  it('sends no read either: a read waits unsent (a poll with it), and is sent when the tab’s own account signs in again', async () => {
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    otherTabPublished(identityOf('account-b', 'hotel-2'));
    expect(sessionChanged()).toBe('other_tab');
    const answered = answering({ sent: 3 });
    let settled = false;
    const progress = api.get<{ sent: number }>('/api/campaigns/c-1/progress').finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toEqual([]);
    expect(settled).toBe(false);
    // Another account again (a third): still nothing.
    otherTabPublished(identityOf('account-c', 'hotel-2'));
    expect(sessionChanged()).toBe('other_tab');
    // This tab's own account signed in again there: the tab asks the session (only that), and its answer settles it.
    otherTabPublished(identityOf('account-a', 'hotel-1'));
    expect(sessionChanged()).toBe('csrf');
    await api.get('/api/auth/session', { identityProbe: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toEqual(['GET /api/auth/session']);
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    await expect(progress).resolves.toEqual({ sent: 3 });
    expect(sent).toEqual(['GET /api/auth/session', 'GET /api/campaigns/c-1/progress']);
    expect(answered.length).toBe(2);
  });

  it('a waiting read ends as fetch does when its caller gives up (a query cancelled, its page left)', async () => {
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    expect(adoptIdentity(identityOf('account-b', 'hotel-2'))).toBe('changed');
    answering({});
    const controller = new AbortController();
    const read = api.get('/api/members', { signal: controller.signal });
    // The question whose the session is does not go out either: the session already named another account.
    const probe = new AbortController();
    const asked = api.get('/api/auth/session', { identityProbe: true, signal: probe.signal });
    controller.abort();
    probe.abort();
    await expect(read).rejects.toMatchObject({ name: 'AbortError' });
    await expect(asked).rejects.toMatchObject({ name: 'AbortError' });
    expect(sent).toEqual([]);
  });

  it('an answer that comes back after the tab lost its session is dropped unread, and asked again once it is its own', async () => {
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    let release: () => void = () => undefined;
    const answers = [{ name: '林美玲（其他帳號的）' }, { name: '林美玲' }];
    globalThis.fetch = ((input: string, init?: RequestInit) => {
      sent.push(`${init?.method ?? 'GET'} ${input}`);
      const body = JSON.stringify(answers.shift());
      if (sent.length > 1) return Promise.resolve(new Response(body, { status: 200 }));
      return new Promise<Response>((resolve) => (release = () => resolve(new Response(body, { status: 200 }))));
    }) as typeof fetch;
    const member = api.get<{ name: string }>('/api/members/m-1');
    await new Promise((resolve) => setTimeout(resolve, 0));
    otherTabPublished(identityOf('account-b', 'hotel-2'));
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toEqual(['GET /api/members/m-1']);
    otherTabPublished(identityOf('account-a', 'hotel-1'));
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    await expect(member).resolves.toEqual({ name: '林美玲' });
    expect(sent).toEqual(['GET /api/members/m-1', 'GET /api/members/m-1']);
  });

  it('signed out in another tab: it waits; whoever signs in there next decides (another account keeps it waiting)', async () => {
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    otherTabPublished('signed-out:1');
    expect(sessionChanged()).toBe('signed_out');
    answering({});
    await expect(api.post('/api/tags', { name: '長住客' })).rejects.toMatchObject({ code: 'client.session_changed' });
    otherTabPublished(identityOf('account-b', 'hotel-1'));
    expect(sessionChanged()).toBe('other_tab');
    otherTabPublished('signed-out:2');
    expect(sessionChanged()).toBe('other_tab');
    otherTabPublished(identityOf('account-a', 'hotel-1'));
    expect(sessionChanged()).toBe('csrf');
    // The session names someone else after all: the tab stays changed.
    expect(adoptIdentity(identityOf('account-b', 'hotel-1'))).toBe('changed');
    expect(sessionChanged()).toBe('session_answer');
    expect(sent).toEqual([]);
  });
});

describe('a POST that only reads (api.query: a search, a count, an estimate)', () => {
  it('waits unsent as a GET does, and goes with the token of the session its own account signed in again with', async () => {
    setCsrfToken('token-of-first-sign-in');
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    otherTabPublished(identityOf('account-b', 'hotel-1'));
    const tokens: Array<string | undefined> = [];
    globalThis.fetch = ((input: string, init?: RequestInit) => {
      sent.push(`${init?.method ?? 'GET'} ${input}`);
      tokens.push((init?.headers as Record<string, string>)['x-csrf-token']);
      return Promise.resolve(new Response(JSON.stringify({ count: 42 }), { status: 200 }));
    }) as typeof fetch;
    const count = api.query<{ count: number }>('/api/members/count', { kind: 'all' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toEqual([]);
    otherTabPublished(identityOf('account-a', 'hotel-1'));
    // As useMe takes the session's answer: the identity first, then its token.
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    setCsrfToken('token-of-second-sign-in');
    await expect(count).resolves.toEqual({ count: 42 });
    expect(sent).toEqual(['POST /api/members/count']);
    expect(tokens).toEqual(['token-of-second-sign-in']);
  });
});

/** Answers every request with this body (200), noting it as sent. */
function answering(body: unknown): string[] {
  globalThis.fetch = ((input: string, init?: RequestInit) => {
    sent.push(`${init?.method ?? 'GET'} ${input}`);
    return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }));
  }) as typeof fetch;
  return sent;
}

describe('news from another tab while this tab asks whose the session is', () => {
  // The question (GET /api/auth/session) left while the session was still this account's; its answer may arrive after
  // another tab said the session changed hands again. The news wins (attack review 2026-12-07c).
  const mine = identityOf('account-a', 'hotel-1');
  function askingAgain() {
    forgetIdentity();
    expect(adoptIdentity(mine)).toBe('own');
    otherTabPublished(identityOf('account-b', 'hotel-1'));
    otherTabPublished(mine);
    expect(sessionChanged()).toBe('csrf');
    expect(maySend(true)).toBe(true);
  }

  it('another account signing in meanwhile: the answer naming this account does not let the tab go on', () => {
    askingAgain();
    otherTabPublished(identityOf('account-b', 'hotel-1'));
    expect(sessionChanged()).toBe('other_tab');
    expect(adoptIdentity(mine)).toBe('changed');
    expect(maySend()).toBe(false);
    expect(maySend(true)).toBe(false);
    // Its own account signing in again after that reopens the question, as before.
    otherTabPublished(mine);
    expect(sessionChanged()).toBe('csrf');
    expect(adoptIdentity(mine)).toBe('own');
    expect(maySend()).toBe(true);
  });

  it('a sign-out meanwhile: the tab waits for whoever signs in next', () => {
    askingAgain();
    otherTabPublished('signed-out:3');
    expect(sessionChanged()).toBe('signed_out');
    expect(adoptIdentity(mine)).toBe('changed');
    expect(maySend()).toBe(false);
  });
});
