import { afterEach, describe, expect, it } from 'vitest';

/**
 * Attack review 2026-12-07c (atk4): probes that FAIL today (real defects), each asserting the safe behaviour. Product
 * code is not changed here; the report names the file and line. Runs on PGlite and on PostgreSQL (TEST_DATABASE_URL).
 * The stale-tab logic (apps/web) needs no database; it is here, as 07b's stale-tab probes, so the integration project
 * runs it.
 */
Object.assign(globalThis, { document: { documentElement: {} } });
const WEB_LIB = new URL('../../web/src/lib/', import.meta.url).href;
type IdentityModule = {
  adoptIdentity(identity: string): 'own' | 'changed';
  forgetIdentity(): void;
  identityOf(accountId: string, tenantId: string): string;
  sessionChanged(): string | undefined;
  markSessionChanged(change: string): void;
  otherTabPublished(identity: string | null): void;
  maySend(identityProbe?: boolean): boolean;
};
const { adoptIdentity, forgetIdentity, identityOf, sessionChanged, otherTabPublished, maySend } = (await import(/* @vite-ignore */ `${WEB_LIB}session-identity.ts`)) as IdentityModule;
afterEach(() => forgetIdentity());

describe('the stale-tab guard while it asks whose the session is', () => {
  it('DEFECT (low, client only): another account signing in (published by another tab) while the identity probe is in flight is forgotten, and the probe’s older answer naming this tab’s account lets it read under the other account’s session', () => {
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
