import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { meQueryKey } from '../../session/api.ts';
import { api } from '../../lib/api-client.ts';
import { setMaybeSignedIn } from '../../lib/session-hint.ts';

export type SignedInBrowser = { current: boolean; ip: string; userAgent: string; createdAt: string; lastSeenAt: string };
export type TotpSetup = { uri: string; qrCodeDataUrl: string; secret: string };
type RecoveryCodes = { recoveryCodes: string[] };

const sessionsKey = ['auth', 'sessions'] as const;

/** GET /api/auth/sessions */
export function useMySessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: async ({ signal }) => (await api.get<{ data: SignedInBrowser[] }>('/api/auth/sessions', { signal })).data,
  });
}

/** POST /api/auth/logout-everywhere */
export function useLogoutEverywhere() {
  return useMutation({
    mutationFn: () => api.post<{ ok: true; sessionsEnded: number }>('/api/auth/logout-everywhere'),
    onSuccess: () => setMaybeSignedIn(false),
  });
}

/** POST /api/auth/password: also signs out the account's other browsers. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.post<{ ok: true }>('/api/auth/password', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionsKey }),
  });
}

/** POST /api/auth/totp/setup */
export function useStartTotp() {
  return useMutation({ mutationFn: () => api.post<TotpSetup>('/api/auth/totp/setup') });
}

function useRefreshMe() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: meQueryKey });
}

/** POST /api/auth/totp/confirm: returns the recovery codes, shown once. */
export function useConfirmTotp() {
  const refreshMe = useRefreshMe();
  return useMutation({ mutationFn: (code: string) => api.post<RecoveryCodes>('/api/auth/totp/confirm', { code }), onSuccess: refreshMe });
}

/** POST /api/auth/totp/disable */
export function useDisableTotp() {
  const refreshMe = useRefreshMe();
  return useMutation({ mutationFn: (password: string) => api.post<{ ok: true }>('/api/auth/totp/disable', { password }), onSuccess: refreshMe });
}

/** POST /api/auth/recovery-codes */
export function useRegenerateRecoveryCodes() {
  const refreshMe = useRefreshMe();
  return useMutation({ mutationFn: (password: string) => api.post<RecoveryCodes>('/api/auth/recovery-codes', { password }), onSuccess: refreshMe });
}
