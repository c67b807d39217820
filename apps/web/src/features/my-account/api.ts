import type { RequestBody, ResponseBody, ZChangePasswordRequest, ZOk, ZRecoveryCodesResponse, ZSessionList, ZSignedOutEverywhere, ZTotpSetupResponse } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { meQueryKey } from '../../session/api.ts';
import { api } from '../../lib/api-client.ts';
import { setMaybeSignedIn } from '../../lib/session-hint.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
type Sessions = ResponseBody<typeof ZSessionList>;
export type SignedInBrowser = Sessions['data'][number];
export type TotpSetup = ResponseBody<typeof ZTotpSetupResponse>;
type RecoveryCodes = ResponseBody<typeof ZRecoveryCodesResponse>;
type Ok = ResponseBody<typeof ZOk>;

const sessionsKey = ['auth', 'sessions'] as const;

/** GET /api/auth/sessions */
export function useMySessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: async ({ signal }) => (await api.get<Sessions>('/api/auth/sessions', { signal })).data,
  });
}

/** POST /api/auth/logout-everywhere */
export function useLogoutEverywhere() {
  return useMutation({
    mutationFn: () => api.post<ResponseBody<typeof ZSignedOutEverywhere>>('/api/auth/logout-everywhere'),
    onSuccess: () => setMaybeSignedIn(false),
  });
}

/** POST /api/auth/password: also signs out the account's other browsers. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestBody<typeof ZChangePasswordRequest>) => api.post<Ok>('/api/auth/password', input),
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
  return useMutation({ mutationFn: (password: string) => api.post<Ok>('/api/auth/totp/disable', { password }), onSuccess: refreshMe });
}

/** POST /api/auth/recovery-codes */
export function useRegenerateRecoveryCodes() {
  const refreshMe = useRefreshMe();
  return useMutation({ mutationFn: (password: string) => api.post<RecoveryCodes>('/api/auth/recovery-codes', { password }), onSuccess: refreshMe });
}
