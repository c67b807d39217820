/**
 * Which account of which hotel this tab is signed in as, and whether the browser's session has since become another
 * one's. The session cookie is the browser's, shared by its tabs: when someone signs in as another account in another
 * tab, this tab's requests carry that account's cookie under this tab's pages and forms. The tab must notice, say so,
 * and send nothing more (its form is the other account's to none); reloading takes it into the signed-in account.
 */
const KEY = 'innkeeper.session-identity';

export type SessionChange = 'other_tab' | 'session_answer' | 'csrf';

let mine: string | undefined;
let changed: SessionChange | undefined;
const listeners = new Set<(change: SessionChange | undefined) => void>();

export function identityOf(accountId: string, tenantId: string): string {
  return `${tenantId}:${accountId}`;
}

/**
 * The session's answer names this identity: the tab's own (first answer, or the same account again), or another's.
 * Only the tab's own is published to the other tabs; another's marks this tab changed.
 */
export function adoptIdentity(identity: string): 'own' | 'changed' {
  // A refused token alone did not say whose the new sign-in is: when the session names this tab's own account and
  // hotel, it was the same account signing in again elsewhere, and the tab goes on under it (what it shows and holds
  // was that account's already; attack review: it never recovered without a reload, which lost the form).
  if (changed === 'csrf') {
    // Another's: now known to be another account's, for good (a later answer naming this tab's own must not undo it).
    changed = identity === mine ? undefined : 'session_answer';
    for (const listener of listeners) listener(changed);
    return changed ? 'changed' : 'own';
  }
  if (changed) return 'changed';
  if (mine !== undefined && mine !== identity) {
    markSessionChanged('session_answer');
    return 'changed';
  }
  mine = identity;
  try {
    localStorage.setItem(KEY, identity);
  } catch {
    // Without storage the other tabs find out from their own requests (the session's answer, a refused token).
  }
  return 'own';
}

/** The tab signed out (or its session ended): it is no one's now, and may sign in as anyone. */
export function forgetIdentity(): void {
  mine = undefined;
  if (changed === undefined) return;
  changed = undefined;
  for (const listener of listeners) listener(undefined);
}

export function markSessionChanged(change: SessionChange): void {
  if (changed || mine === undefined) return;
  changed = change;
  for (const listener of listeners) listener(change);
}

/** Set once the browser's session is no longer this tab's: no request that changes anything may leave it. */
export function sessionChanged(): SessionChange | undefined {
  return changed;
}

export function onSessionChange(listener: (change: SessionChange | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Another tab of this browser signed in as someone else: told at once, before this tab sends anything.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === KEY && event.newValue !== null && mine !== undefined && event.newValue !== mine) markSessionChanged('other_tab');
  });
}
