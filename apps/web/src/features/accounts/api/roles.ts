import type { TenantPermission } from '@innkeeper/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export type Role = {
  id: string;
  name: string;
  builtinKey: string | null;
  description: string;
  permissions: string[];
  accountCount: number;
  createdAt: string;
  updatedAt: string;
};

export type RoleInput = { name: string; description: string; permissions: TenantPermission[] };

const rolesKey = ['roles'] as const;
const path = (id: string) => `/api/roles/${encodeURIComponent(id)}`;

/** GET /api/roles */
export function useRoles() {
  return useQuery({
    queryKey: rolesKey,
    queryFn: async ({ signal }) => (await api.get<{ data: Role[] }>('/api/roles', { signal })).data,
  });
}

/** POST /api/roles */
export function useCreateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RoleInput) => api.post<Role>('/api/roles', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rolesKey }),
  });
}

/** PATCH /api/roles/:id */
export function useUpdateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: RoleInput & { id: string }) => api.patch<Role>(path(id), input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rolesKey }),
  });
}

/** DELETE /api/roles/:id */
export function useDeleteRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<null>(path(id)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rolesKey }),
  });
}
