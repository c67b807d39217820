/**
 * Which account of which hotel this tab is signed in as, and whether the browser's session has since become another
 * one's. The session cookie is the browser's, shared by its tabs: when someone signs in as another account in another
 * tab, this tab's requests carry that account's cookie under this tab's pages and forms. The tab must notice, say so,
 * and send nothing more (its form is the other account's to none); reloading takes it into the signed-in account.
 */
const KEY = 'innkeeper.session-identity';

/**
 * other_tab: another tab published another account's sign-in; session_answer: the session named another account;
 * csrf: a refused token, or this tab's own account signed in again elsewhere: whose the session is, is being asked;
 * signed_out: this account signed out in another tab (whoever signs in there next decides what follows).
 */
export type SessionChange = 'other_tab' | 'session_answer' | 'csrf' | 'signed_out';

/** Published by a tab signing out, unique each time so that every sign-out is an event for the other tabs. */
const SIGNED_OUT = 'signed-out:';

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
    // Another's: now known to be another account's; an answer naming this tab's own later must not undo it (only this
    // account's own sign-in published by another tab reopens the question: otherTabPublished).
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
  publish(identity);
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

/** Set once the browser's session is no longer this tab's (or not known to be): no request may leave it (api-client.ts). */
export function sessionChanged(): SessionChange | undefined {
  return changed;
}

/**
 * Whether a request may leave the tab now. Only the question whose the session is (`identityProbe`, GET
 * /api/auth/session) goes out while the tab waits to learn that (a refused token, or its own account signed in again
 * in another tab); its answer is taken only when it names this tab's own account and hotel (adoptIdentity).
 */
export function maySend(identityProbe = false): boolean {
  return changed === undefined || (identityProbe && changed === 'csrf');
}

/**
 * Resolves once a request may leave the tab (maySend): at once, or when the tab is its own again; rejects as fetch
 * does (AbortError) when the caller gives up first (a query cancelled, its page left).
 */
export function untilMaySend(identityProbe = false, signal?: AbortSignal): Promise<void> {
  if (maySend(identityProbe)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const aborted = () => {
      stop();
      reject(signal?.reason instanceof DOMException ? signal.reason : new DOMException('The request was aborted.', 'AbortError'));
    };
    const stop = onSessionChange(() => {
      if (!maySend(identityProbe)) return;
      stop();
      signal?.removeEventListener('abort', aborted);
      resolve();
    });
    if (signal?.aborted) aborted();
    else signal?.addEventListener('abort', aborted, { once: true });
  });
}

export function onSessionChange(listener: (change: SessionChange | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Another tab of this browser published whose the session is now. Someone else's, or no one's (signed out there): this
 * tab is told at once, before it sends anything. Its own account's again (signed in again there) while it waits: it asks the session to be sure (the
 * notice does, as after a refused token) and goes on, its form and views as they were, when the answer names it. As
 * the tab sent nothing meanwhile, nothing of the other account's reached it.
 */
export function otherTabPublished(identity: string | null): void {
  if (identity === null || mine === undefined) return;
  // While the tab asks whose the session is ('csrf'), the answer on its way may have been given before this news (the
  // session still its own account's then): the news wins, so that answer cannot let the tab go on under the other
  // account's session or a session that ended (attack review 2026-12-07c).
  if (identity.startsWith(SIGNED_OUT)) return changed === 'csrf' ? setChanged('signed_out') : markSessionChanged('signed_out');
  if (identity !== mine) {
    // Signed out there, then signed in as someone else: no longer a sign-out to wait on.
    if (changed === 'signed_out' || changed === 'csrf') return setChanged('other_tab');
    return markSessionChanged('other_tab');
  }
  if (changed !== undefined && changed !== 'csrf') setChanged('csrf');
}

function setChanged(change: SessionChange): void {
  changed = change;
  for (const listener of listeners) listener(change);
}

function publish(value: string): void {
  try {
    localStorage.setItem(KEY, value);
  } catch {
    // Without storage the other tabs find out from their own requests (a 401, the session's answer, a refused token).
  }
}

/**
 * This tab signs out (the user menu), said to the other tabs before the session ends, so that they stop before their
 * next read finds it gone (it sent them to the sign-in page, losing their forms) or finds whoever signs in next.
 * Returns what undoes it when the sign-out fails.
 */
export function publishSignOut(): () => void {
  const own = mine;
  publish(`${SIGNED_OUT}${Date.now()}:${Math.random()}`);
  return () => {
    if (own !== undefined) publish(own);
  };
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === KEY) otherTabPublished(event.newValue);
  });
}
