const KEY = 'innkeeper.signedIn';

/**
 * Whether this browser was signed in when it last asked. It only decides which page's code the app fetches before the
 * session is known (app/router/first-page.ts); it grants nothing, the server checks every request.
 */
export function rememberSignedIn(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode, quota): the first page's code loads after the session check instead of alongside.
  }
}

export function wasSignedIn(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}
