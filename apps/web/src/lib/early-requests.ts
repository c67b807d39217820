/**
 * Requests public/early-requests.js started before the app's scripts arrived (sent to a browser with a session cookie).
 * Each is taken once: the first ask gets the early answer, later ones go to the server as usual.
 */
type EarlyRequests = {
  session?: Promise<Response>;
  /** Resolves to undefined when the session was not active (no list was asked for). */
  members?: Promise<Response | undefined>;
  membersRequest?: unknown;
  /** The csrf token of the session the list was read for (set before it is asked for). */
  membersFor?: string;
  /** When they were sent (Date.now()). */
  at?: number;
};

/** An early answer older than the query cache's freshness (lib/query-client.ts) is not taken: the list may have changed. */
const FRESH_MS = 30_000;

declare global {
  interface Window {
    __innkeeperEarly?: EarlyRequests;
  }
}

function early(): EarlyRequests | undefined {
  return typeof window === 'undefined' ? undefined : window.__innkeeperEarly;
}

/** The early GET /api/auth/session, if there is one not taken yet. */
export function takeEarlySession(): Promise<Response> | undefined {
  const requests = early();
  const session = requests?.session;
  if (requests) delete requests.session;
  return session;
}

/**
 * The early POST /api/members/search, if there is one not taken yet, it asked for exactly `request` and it was read
 * for the session the app now has (`csrfToken`): an answer left untaken must not show one account's list to the next
 * one signed in on the page. Resolves to undefined when it is not to be used.
 */
export function takeEarlyMembers(request: unknown, csrfToken: string | undefined): Promise<Response | undefined> | undefined {
  const requests = early();
  if (!requests?.members || Date.now() - (requests.at ?? 0) > FRESH_MS || JSON.stringify(requests.membersRequest) !== JSON.stringify(request)) return undefined;
  const members = requests.members;
  delete requests.members;
  return members.then((response) => (csrfToken !== undefined && requests.membersFor === csrfToken ? response : undefined));
}
