import type {
  RequestBody,
  ResponseBody,
  ZAuthOptions,
  ZChallenge,
  ZLinkOwner,
  ZLoginRequest,
  ZLoginResponse,
  ZOk,
  ZPasswordResetRequest,
  ZPasswordSet,
  ZPendingResponse,
  ZSecondFactorRequest,
  ZSetPasswordRequest,
} from '@innkeeper/contracts/api';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../lib/api-client.ts';
import { setMaybeSignedIn } from '../../lib/session-hint.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
export type SecondFactorMethod = RequestBody<typeof ZSecondFactorRequest>['method'];
export type Challenge = ResponseBody<typeof ZChallenge>;
type ChallengeResponse = ResponseBody<typeof ZPendingResponse>;

// Every call here happens before sign-in is complete, so a 401 is an answer for the page, not a reason to redirect.
const publicCall = { redirectOnSessionEnd: false } as const;

/** GET /api/auth/options */
export function useAuthOptions() {
  return useQuery({
    queryKey: ['auth', 'options'],
    queryFn: ({ signal }) => api.get<ResponseBody<typeof ZAuthOptions>>('/api/auth/options', { signal, ...publicCall }),
    staleTime: Infinity,
  });
}

/** POST /api/auth/login */
export function useLogin() {
  return useMutation({
    mutationFn: async (input: RequestBody<typeof ZLoginRequest>) => {
      const response = await api.post<ResponseBody<typeof ZLoginResponse>>('/api/auth/login', input, publicCall);
      setCsrfToken(response.csrfToken);
      setMaybeSignedIn(true);
      return response.challenge;
    },
  });
}

/** GET /api/auth/pending: resumes a sign-in that stopped at the code step (page reload, visit to the demo mailbox). */
export function usePendingChallenge(enabled: boolean) {
  return useQuery({
    queryKey: ['auth', 'pending'],
    queryFn: async ({ signal }) => {
      const response = await api.get<ChallengeResponse>('/api/auth/pending', { signal, ...publicCall });
      setCsrfToken(response.csrfToken);
      return response.challenge;
    },
    enabled,
    staleTime: 0,
    gcTime: 0,
  });
}

/** POST /api/auth/second-factor */
export function useSecondFactor() {
  return useMutation({
    mutationFn: (input: RequestBody<typeof ZSecondFactorRequest>) => api.post<ResponseBody<typeof ZOk>>('/api/auth/second-factor', input, publicCall),
  });
}

/** POST /api/auth/second-factor/resend */
export function useResendCode() {
  return useMutation({
    mutationFn: async () => {
      const response = await api.post<ChallengeResponse>('/api/auth/second-factor/resend', undefined, publicCall);
      setCsrfToken(response.csrfToken);
      return response.challenge;
    },
  });
}

/** POST /api/auth/password-reset */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (input: RequestBody<typeof ZPasswordResetRequest>) => api.post<ResponseBody<typeof ZOk>>('/api/auth/password-reset', input, publicCall),
  });
}

export type LinkOwner = ResponseBody<typeof ZLinkOwner>;

/** POST /api/auth/set-password/link: whose invitation or reset link this is (the link is not used up). */
export function useLinkOwner(token: string) {
  return useQuery({
    queryKey: ['auth', 'link', token],
    queryFn: ({ signal }) => api.post<LinkOwner>('/api/auth/set-password/link', { token }, { signal, ...publicCall }),
    enabled: token !== '',
    retry: false,
    staleTime: Infinity,
  });
}

/** POST /api/auth/set-password */
export function useSetPassword() {
  return useMutation({
    mutationFn: (input: RequestBody<typeof ZSetPasswordRequest>) => api.post<ResponseBody<typeof ZPasswordSet>>('/api/auth/set-password', input, publicCall),
  });
}
