import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export type TenantStatus = 'active' | 'suspended';

export type Tenant = {
  id: string;
  name: string;
  slug: string;
  kind: 'hotel' | 'platform';
  timezone: string;
  defaultLocale: 'zh-TW' | 'en';
  status: TenantStatus;
  createdAt: string;
};

export type CreateTenantInput = {
  name: string;
  slug: string;
  timezone?: string;
  properties: Array<{ code: string; name: string }>;
  administrator: { email: string; displayName: string };
};

const tenantsKey = ['platform', 'tenants'] as const;

/** GET /api/platform/tenants */
export function usePlatformTenants() {
  return useQuery({
    queryKey: tenantsKey,
    queryFn: async ({ signal }) => (await api.get<{ data: Tenant[] }>('/api/platform/tenants', { signal })).data,
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
