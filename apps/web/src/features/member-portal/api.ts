import type { ResponseBody, ZButtonList, ZPortalStatus } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import type { PortalButton, PortalButtonInput, PortalSettings } from './types.ts';

const settingsKey = ['member-portal', 'settings'] as const;
const buttonsKey = ['member-portal', 'buttons'] as const;

/** GET /api/member-portal/settings */
export function usePortalSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: ({ signal }) => api.get<PortalSettings>('/api/member-portal/settings', { signal }) });
}

/** GET /api/member-portal/status: whether guests can bind now (binding needs an SMS provider outside the demo). */
export function usePortalStatus() {
  return useQuery({ queryKey: ['member-portal', 'status'], queryFn: ({ signal }) => api.get<ResponseBody<typeof ZPortalStatus>>('/api/member-portal/status', { signal }) });
}

/** PUT /api/member-portal/settings: the whole settings object. */
export function useSavePortalSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: PortalSettings) => api.put<PortalSettings>('/api/member-portal/settings', settings),
    onSuccess: (saved) => queryClient.setQueryData(settingsKey, saved),
  });
}

/** GET /api/member-portal/buttons, in the order guests see them. */
export function usePortalButtons() {
  return useQuery({
    queryKey: buttonsKey,
    queryFn: async ({ signal }) => {
      const { data } = await api.get<ResponseBody<typeof ZButtonList>>('/api/member-portal/buttons', { signal });
      return [...data].sort((a, b) => a.sortOrder - b.sortOrder || a.createdAt.localeCompare(b.createdAt));
    },
  });
}

function useButtonMutation<V, R>(mutationFn: (variables: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: buttonsKey }) });
}

/** POST /api/member-portal/buttons */
export function useCreatePortalButton() {
  return useButtonMutation((input: PortalButtonInput) => api.post<PortalButton>('/api/member-portal/buttons', input));
}

/** PATCH /api/member-portal/buttons/:id */
export function useUpdatePortalButton() {
  return useButtonMutation(({ id, ...input }: Partial<PortalButtonInput> & { id: string }) => api.patch<PortalButton>(`/api/member-portal/buttons/${encodeURIComponent(id)}`, input));
}

/** DELETE /api/member-portal/buttons/:id */
export function useDeletePortalButton() {
  return useButtonMutation((id: string) => api.delete<undefined>(`/api/member-portal/buttons/${encodeURIComponent(id)}`));
}
