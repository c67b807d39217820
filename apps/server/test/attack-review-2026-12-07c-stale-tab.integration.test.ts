import { afterEach, describe, expect, it } from 'vitest';

/**
 * Attack review 2026-12-07c (atk4): can a crafted message between tabs (the localStorage key the tabs publish on)
 * make a tab of account A trust account B's session? It may only make the tab ask (GET /api/auth/session), and only
 * that answer, naming A, lets it go on. The server's own refusal of A's token under B's session is in
 * attack-review-2026-12-07c.integration.test.ts. Needs no database; here so the integration project runs it.
 */
Object.assign(globalThis, { document: { documentElement: {} } });
const WEB_LIB = new URL('../../web/src/lib/', import.meta.url).href;
type IdentityModule = {
  adoptIdentity(identity: string): 'own' | 'changed';
  forgetIdentity(): void;
  identityOf(accountId: string, tenantId: string): string;
  sessionChanged(): string | undefined;
  otherTabPublished(identity: string | null): void;
  maySend(identityProbe?: boolean): boolean;
};
const { adoptIdentity, forgetIdentity, identityOf, sessionChanged, otherTabPublished, maySend } = (await import(/* @vite-ignore */ `${WEB_LIB}session-identity.ts`)) as IdentityModule;
afterEach(() => forgetIdentity());

const A = identityOf('account-a', 'hotel-1');
const B = identityOf('account-b', 'hotel-2');

describe('crafted messages between tabs', () => {
  it('holds: a forged publish of A’s own identity after B’s session answer only lets the tab ask; B’s answer keeps it stopped', () => {
    expect(adoptIdentity(A)).toBe('own');
    expect(adoptIdentity(B)).toBe('changed');
    otherTabPublished(A);
    expect(maySend()).toBe(false);
    expect(maySend(true)).toBe(true);
    expect(adoptIdentity(B)).toBe('changed');
    expect(maySend(true)).toBe(false);
    expect(sessionChanged()).toBe('session_answer');
  });

  it('holds: forged values (null, empty, a sign-out prefix alone, the same identity, junk) never make a stopped tab send, nor a fresh tab adopt anyone', () => {
    for (const forged of [null, '', 'signed-out:', A, 'hotel-1:account-a ', '__proto__', 'x'.repeat(10_000)]) otherTabPublished(forged);
    expect(sessionChanged()).toBeUndefined(); // a tab with no identity yet ignores them all
    expect(adoptIdentity(B)).toBe('own');
    otherTabPublished(`${B} `);
    expect(sessionChanged()).toBe('other_tab');
    for (const forged of [null, '', B]) otherTabPublished(forged);
    expect(maySend()).toBe(false);
  });

  it('holds: a forged sign-out stops a tab; the session answer naming its own account is still needed to go on', () => {
    expect(adoptIdentity(A)).toBe('own');
    otherTabPublished('signed-out:1:0.5');
    expect(sessionChanged()).toBe('signed_out');
    expect(maySend(true)).toBe(false);
    otherTabPublished(A);
    expect(maySend()).toBe(false);
    expect(adoptIdentity(B)).toBe('changed');
    expect(maySend()).toBe(false);
  });
});

describe('the stale-tab guard while it asks whose the session is', () => {
  it('holds (fixed 2026-12-07): another account signing in (published by another tab) while the identity probe is in flight wins over the probe’s older answer naming this tab’s account', () => {
    const mine = identityOf('account-a', 'hotel-1');
    expect(adoptIdentity(mine)).toBe('own');
    // Account A signed in again in tab 2: this tab is told, and asks the session whose it is (GET /api/auth/session).
    otherTabPublished(identityOf('account-b', 'hotel-1'));
    otherTabPublished(mine);
    expect(sessionChanged()).toBe('csrf');
    expect(maySend(true)).toBe(true); // the probe leaves now, while the session is still A's
    // Before its answer arrives, tab 3 signs in as B: the browser's cookie is B's from here on.
    otherTabPublished(identityOf('account-b', 'hotel-1'));
    // The probe's answer, computed under A's session, arrives.
    adoptIdentity(mine);
    // Safe: the tab still knows the session may be another account's, and sends no read (its lists would show B's).
    expect(sessionChanged()).not.toBeUndefined();
    expect(maySend()).toBe(false);
  });
});
