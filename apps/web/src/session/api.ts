import { ERROR_CATALOG, type Locale } from '@innkeeper/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../lib/api-client.ts';
import { ApiError, isApiError } from '../lib/api-error.ts';
import { currentLocale } from '../lib/i18n.ts';
import { setMaybeSignedIn } from '../lib/session-hint.ts';
import type { Me } from './types.ts';

export const meQueryKey = ['auth', 'me'] as const;

type SessionStage = 'none' | 'second_factor' | 'active';

/** The answer /api/auth/me would give without a full session, made here so that asking costs no 401 (and no console error). */
function notSignedIn(code: 'auth.unauthenticated' | 'auth.second_factor_required'): ApiError {
  const entry = ERROR_CATALOG[code];
  return new ApiError(entry.status, code, entry[currentLocale()]);
}

/**
 * GET /api/auth/session, then GET /api/auth/me: the session itself. The first never answers 401, so a signed-out
 * visitor's browser logs no error; /me is asked only of a full session (a 401 there is a session that ended between the
 * two, handled by the session gate, not the global redirect).
 * `fresh`: ask the server even when a recent answer is cached (the sign-in page must not trust an old one).
 */
export function useMe({ enabled = true, fresh = false }: { enabled?: boolean; fresh?: boolean } = {}) {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async ({ signal }) => {
      try {
        const { stage } = await api.get<{ stage: SessionStage }>('/api/auth/session', { signal });
        if (stage !== 'active') throw notSignedIn(stage === 'none' ? 'auth.unauthenticated' : 'auth.second_factor_required');
        const me = await api.get<Me>('/api/auth/me', { signal, redirectOnSessionEnd: false });
        setCsrfToken(me.csrfToken);
        setMaybeSignedIn(true);
        return me;
      } catch (error) {
        if (isApiError(error) && error.isSessionEnded) setMaybeSignedIn(false);
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

/** POST /api/auth/logout */
export function useLogout() {
  return useMutation({ mutationFn: () => api.post<{ ok: true }>('/api/auth/logout'), onSuccess: () => setMaybeSignedIn(false) });
}
