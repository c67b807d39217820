import type { Locale } from '@innkeeper/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { Page } from '../../../lib/page.ts';

export type AccountStatus = 'active' | 'disabled';

export type Account = {
  id: string;
  email: string;
  displayName: string;
  roleId: string;
  status: AccountStatus;
  locale: Locale;
  allProperties: boolean;
  propertyIds: string[];
  hasPassword: boolean;
  totpEnabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
};

export type AccountListParams = { page: number; pageSize: number; search?: string | undefined; status?: AccountStatus | undefined; roleId?: string | undefined };
export type CreateAccountInput = { email: string; displayName: string; roleId: string; allProperties: boolean; propertyIds: string[]; locale: Locale };
export type UpdateAccountInput = Partial<Omit<CreateAccountInput, 'email'>>;

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
    queryFn: ({ signal }) => api.get<Page<Account>>('/api/accounts', { signal, query: params }),
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
  return useMutation({ mutationFn: (id: string) => api.post<{ ok: true }>(`${path(id)}/invitation`) });
}
