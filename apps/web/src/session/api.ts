import { ERROR_CATALOG, type Locale } from '@innkeeper/contracts';
import type { ResponseBody, ZSessionProbe } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../lib/api-client.ts';
import { ApiError, isApiError } from '../lib/api-error.ts';
import { takeEarlySession } from '../lib/early-requests.ts';
import { currentLocale, i18n } from '../lib/i18n.ts';
import { setMaybeSignedIn } from '../lib/session-hint.ts';
import { adoptIdentity, forgetIdentity, identityOf, publishSignOut } from '../lib/session-identity.ts';
import type { Me } from './types.ts';

export const meQueryKey = ['auth', 'me'] as const;

/** GET /api/auth/session: the account comes with the answer when the browser is signed in. */
type SessionProbe = ResponseBody<typeof ZSessionProbe>;

/** The answer /api/auth/me would give without a full session, made here so that asking costs no 401 (and no console error). */
function notSignedIn(code: 'auth.unauthenticated' | 'auth.second_factor_required'): ApiError {
  const entry = ERROR_CATALOG[code];
  return new ApiError(entry.status, code, entry[currentLocale()]);
}

let earlyProbe: Promise<SessionProbe> | undefined;

/**
 * Asks for the session before React's first render: a query starts only once its component has rendered and
 * committed, and the app's first question waited for that. The first useMe takes this answer instead of asking again.
 */
export function probeSessionEarly(): void {
  // Already on its way when the page came with public/early-requests.js (a browser with a session cookie).
  const sent = takeEarlySession();
  earlyProbe = sent ? api.read<SessionProbe>(sent) : api.get<SessionProbe>('/api/auth/session');
  // Handled where it is taken; a probe nobody takes (the page changed its mind) must not report an unhandled failure.
  earlyProbe.catch(() => undefined);
}

function probeSession(signal: AbortSignal): Promise<SessionProbe> {
  const early = earlyProbe;
  earlyProbe = undefined;
  return early ?? api.get<SessionProbe>('/api/auth/session', { signal, identityProbe: true });
}

/**
 * GET /api/auth/session: the session itself, in one round trip (the answer carries the account once signed in, as
 * /api/auth/me gives it). It never answers 401, so a signed-out visitor's browser logs no error; a browser without a full
 * session gets the error /me would have given, made here, which the session gate handles.
 * `fresh`: ask the server even when a recent answer is cached (the sign-in page must not trust an old one).
 */
export function useMe({ enabled = true, fresh = false }: { enabled?: boolean; fresh?: boolean } = {}) {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async ({ signal }) => {
      try {
        const probe = await probeSession(signal);
        if (probe.stage !== 'active') throw notSignedIn(probe.stage === 'none' ? 'auth.unauthenticated' : 'auth.second_factor_required');
        const me: Me = probe.me;
        // Another account's session (signed in from another tab): its token is not taken, so nothing this tab's pages
        // send goes under it; the tab says so (SessionChangedNotice) and keeps what it shows until reloaded.
        if (adoptIdentity(identityOf(me.account.id, me.tenant.id)) === 'changed') throw new ApiError(0, 'client.session_changed', i18n.t('errors.sessionChanged'));
        setCsrfToken(me.csrfToken);
        setMaybeSignedIn(true);
        return me;
      } catch (error) {
        if (isApiError(error) && error.isSessionEnded) {
          setMaybeSignedIn(false);
          forgetIdentity();
        }
        throw error;
      }
    },
    staleTime: fresh ? 0 : 60_000,
    // Coming back to the tab re-reads permissions (a role may have changed) and notices an ended session.
    refetchOnWindowFocus: true,
    enabled,
  });
}

/** PATCH /api/auth/me */
export function useUpdateMyLocale() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (locale: Locale) => api.patch<{ ok: true }>('/api/auth/me', { locale }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meQueryKey }),
  });
}

/** POST /api/auth/logout; the other tabs of the browser are told first (publishSignOut), and again if it fails. */
export function useLogout() {
  return useMutation({
    mutationFn: async () => {
      const undo = publishSignOut();
      try {
        return await api.post<{ ok: true }>('/api/auth/logout');
      } catch (error) {
        undo();
        throw error;
      }
    },
    onSuccess: () => setMaybeSignedIn(false),
  });
}
