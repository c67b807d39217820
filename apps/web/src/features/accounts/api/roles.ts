import type { RequestBody, ResponseBody, ZRole, ZRoleList, ZRoleRequest, ZRoleWithCount } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
/** A role as listed, with how many accounts hold it. */
export type Role = ResponseBody<typeof ZRoleWithCount>;
/** What creating or editing a role answers (no count). */
type SavedRole = ResponseBody<typeof ZRole>;
export type RoleInput = RequestBody<typeof ZRoleRequest>;

const rolesKey = ['roles'] as const;
const path = (id: string) => `/api/roles/${encodeURIComponent(id)}`;

/** GET /api/roles */
export function useRoles() {
  return useQuery({
    queryKey: rolesKey,
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZRoleList>>('/api/roles', { signal })).data,
  });
}

/** POST /api/roles */
export function useCreateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RoleInput) => api.post<SavedRole>('/api/roles', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rolesKey }),
  });
}

/** PATCH /api/roles/:id */
export function useUpdateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: RoleInput & { id: string }) => api.patch<SavedRole>(path(id), input),
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
