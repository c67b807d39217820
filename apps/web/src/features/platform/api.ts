import type { RequestBody, ResponseBody, ZCreateTenantRequest, ZTenant, ZTenantList } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
export type Tenant = ResponseBody<typeof ZTenant>;
export type TenantStatus = Tenant['status'];
export type CreateTenantInput = RequestBody<typeof ZCreateTenantRequest>;

const tenantsKey = ['platform', 'tenants'] as const;

/** GET /api/platform/tenants */
export function usePlatformTenants() {
  return useQuery({
    queryKey: tenantsKey,
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZTenantList>>('/api/platform/tenants', { signal })).data,
  });
}

/** POST /api/platform/tenants: the administrator is emailed an invitation. */
export function useCreateTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTenantInput) => api.post<Tenant>('/api/platform/tenants', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tenantsKey }),
  });
}

/** POST /api/platform/tenants/:id/status */
export function useSetTenantStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: TenantStatus }) => api.post<Tenant>(`/api/platform/tenants/${encodeURIComponent(id)}/status`, { status }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tenantsKey }),
  });
}
