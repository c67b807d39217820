import { afterEach, describe, expect, it } from 'vitest';

/**
 * Attack review 2026-12-07b (atk3): the admin app's stale-tab logic (apps/web/src/lib/session-identity.ts and
 * api-client.ts), driven as the app drives it, with fetch answering as the server does. Under apps/server/test only
 * because the review's probes live here; it needs no database. Tests titled DEFECT assert today's faulty behaviour.
 */
Object.assign(globalThis, { document: { documentElement: {} } });
// Imported by URL, not by a checked path: the server's TypeScript project has no DOM types for the web app's files.
const WEB_LIB = new URL('../../web/src/lib/', import.meta.url).href;
type ApiClientModule = {
  api: Record<'post' | 'patch' | 'put' | 'delete', (path: string, body?: unknown) => Promise<unknown>>;
  setCsrfToken(token: string | undefined): void;
};
type IdentityModule = { adoptIdentity(identity: string): 'own' | 'changed'; forgetIdentity(): void; identityOf(accountId: string, tenantId: string): string; sessionChanged(): string | undefined };
const { api, setCsrfToken } = (await import(/* @vite-ignore */ `${WEB_LIB}api-client.ts`)) as ApiClientModule;
const { adoptIdentity, forgetIdentity, identityOf, sessionChanged } = (await import(/* @vite-ignore */ `${WEB_LIB}session-identity.ts`)) as IdentityModule;

const sent: string[] = [];
const realFetch = globalThis.fetch;
function server(answer: { status: number; body: unknown }) {
  globalThis.fetch = ((input: string, init?: RequestInit) => {
    sent.push(`${init?.method ?? 'GET'} ${input}`);
    return Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } }));
  }) as typeof fetch;
}
const csrfRefused = { status: 403, body: { error: { code: 'auth.csrf_invalid', message: 'Security check failed; reload the page and try again.' } } };
afterEach(() => {
  globalThis.fetch = realFetch;
  sent.length = 0;
  setCsrfToken(undefined);
  forgetIdentity();
});

describe('the stale-tab logic', () => {
  it('holds: signing out and in again in the same tab, as the same or another account, leaves it usable', async () => {
    setCsrfToken('token-1');
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    setCsrfToken(undefined); // UserMenu's sign-out
    setCsrfToken('token-2'); // the login answer
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    setCsrfToken(undefined);
    setCsrfToken('token-3');
    expect(adoptIdentity(identityOf('account-b', 'hotel-2'))).toBe('own');
    server({ status: 201, body: { id: 'x' } });
    await expect(api.post('/api/tags', { name: '長住客' })).resolves.toEqual({ id: 'x' });
    expect(sessionChanged()).toBeUndefined();
  });

  it('holds: a changed tab sends no write of any method (POST, PATCH, PUT, DELETE) until it signs out', async () => {
    setCsrfToken('token-a');
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    expect(adoptIdentity(identityOf('account-b', 'hotel-2'))).toBe('changed');
    server({ status: 200, body: {} });
    for (const write of [() => api.post('/api/tags', {}), () => api.patch('/api/tags/1', {}), () => api.put('/api/tags/1', {}), () => api.delete('/api/tags/1')]) {
      await expect(write()).rejects.toMatchObject({ code: 'client.session_changed' });
    }
    expect(sent).toEqual([]);
  });

  it('fixed: the same account signed in again in another window: the first save is refused (CSRF); the session answer naming the same account and hotel lets the tab go on (it needed a reload, losing the form)', async () => {
    setCsrfToken('token-of-first-sign-in');
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    server(csrfRefused);
    await expect(api.post('/api/automation/rules', { name: '生日祝福' })).rejects.toMatchObject({ code: 'auth.csrf_invalid' });
    expect(sessionChanged()).toBe('csrf');
    // The session answer (the notice asks for it at once) names the very same account and hotel: the tab is its own.
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    expect(sessionChanged()).toBeUndefined();
    setCsrfToken('token-of-second-sign-in');
    server({ status: 201, body: { id: 'r' } });
    await expect(api.post('/api/automation/rules', { name: '生日祝福' })).resolves.toEqual({ id: 'r' });
  });

  it('holds: after a refused token, a session answer naming another account keeps the tab changed', async () => {
    setCsrfToken('token-of-first-sign-in');
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('own');
    server(csrfRefused);
    await expect(api.post('/api/automation/rules', { name: '生日祝福' })).rejects.toMatchObject({ code: 'auth.csrf_invalid' });
    expect(adoptIdentity(identityOf('account-b', 'hotel-1'))).toBe('changed');
    expect(adoptIdentity(identityOf('account-a', 'hotel-1'))).toBe('changed');
    server({ status: 201, body: {} });
    await expect(api.post('/api/automation/rules', { name: '生日祝福' })).rejects.toMatchObject({ code: 'client.session_changed' });
    expect(sent).toEqual(['POST /api/automation/rules']);
  });
});
