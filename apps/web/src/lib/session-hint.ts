const KEY = 'innkeeper.maybe-signed-in';

/**
 * Whether this browser may hold a session cookie (which is httpOnly, so unreadable here). The sign-in page asks the
 * server only when it might: a fresh visitor then causes no 401 request at all.
 */
export function maybeSignedIn(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return true;
  }
}

export function setMaybeSignedIn(value: boolean): void {
  try {
    if (value) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Without storage the sign-in page simply always asks the server.
  }
}
