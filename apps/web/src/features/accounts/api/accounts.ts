import type { QueryParams, RequestBody, ResponseBody, ZAccount, ZAccountListQuery, ZAccountPage, ZCreateAccountRequest, ZOk, ZUpdateAccountRequest } from '@innkeeper/contracts/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
export type Account = ResponseBody<typeof ZAccount>;
export type AccountStatus = Account['status'];
export type AccountListParams = QueryParams<typeof ZAccountListQuery>;
export type CreateAccountInput = RequestBody<typeof ZCreateAccountRequest>;
export type UpdateAccountInput = RequestBody<typeof ZUpdateAccountRequest>;

export const accountKeys = {
  all: ['accounts'] as const,
  list: (params: AccountListParams) => ['accounts', 'list', params] as const,
  one: (id: string) => ['accounts', 'one', id] as const,
};

const path = (id: string) => `/api/accounts/${encodeURIComponent(id)}`;

/** GET /api/accounts */
export function useAccounts(params: AccountListParams) {
  return useQuery({
    queryKey: accountKeys.list(params),
    queryFn: ({ signal }) => api.get<ResponseBody<typeof ZAccountPage>>('/api/accounts', { signal, query: params }),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/accounts/:id */
export function useAccount(id: string | undefined) {
  return useQuery({
    queryKey: accountKeys.one(id ?? ''),
    queryFn: ({ signal }) => api.get<Account>(path(id ?? ''), { signal }),
    enabled: Boolean(id),
    staleTime: 0,
  });
}

function useInvalidateAccounts() {
  const queryClient = useQueryClient();
  // Role account counts change with accounts, so the roles list is refreshed too.
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: accountKeys.all }), queryClient.invalidateQueries({ queryKey: ['roles'] })]);
}

/** POST /api/accounts: creates the account and emails an invitation. */
export function useCreateAccount() {
  const invalidate = useInvalidateAccounts();
  return useMutation({ mutationFn: (input: CreateAccountInput) => api.post<Account>('/api/accounts', input), onSuccess: invalidate });
}

/** PATCH /api/accounts/:id */
export function useUpdateAccount() {
  const invalidate = useInvalidateAccounts();
  return useMutation({
    mutationFn: ({ id, ...input }: UpdateAccountInput & { id: string }) => api.patch<Account>(path(id), input),
    onSuccess: invalidate,
  });
}

/** POST /api/accounts/:id/status */
export function useSetAccountStatus() {
  const invalidate = useInvalidateAccounts();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: AccountStatus }) => api.post<Account>(`${path(id)}/status`, { status }),
    onSuccess: invalidate,
  });
}

/** POST /api/accounts/:id/invitation */
export function useResendInvitation() {
  return useMutation({ mutationFn: (id: string) => api.post<ResponseBody<typeof ZOk>>(`${path(id)}/invitation`) });
}
