import type { Locale } from '@innkeeper/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../lib/api-client.ts';
import { isApiError } from '../../lib/api-error.ts';
import { setMaybeSignedIn } from '../../lib/session-hint.ts';
import type { Me } from './types.ts';

export const meQueryKey = ['auth', 'me'] as const;

/** GET /api/auth/me: the session itself. A 401 here is handled by the session gate, not the global redirect. */
/** `fresh`: ask the server even when a recent answer is cached (the sign-in page must not trust an old one). */
export function useMe({ enabled = true, fresh = false }: { enabled?: boolean; fresh?: boolean } = {}) {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async ({ signal }) => {
      try {
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
