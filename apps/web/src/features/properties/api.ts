import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export type Property = { id: string; code: string; name: string; address: string; phone: string; createdAt: string };
export type PropertyInput = { code: string; name: string; address?: string; phone?: string };

const propertiesKey = ['properties'] as const;

/** GET /api/properties: the properties this account may work with. */
export function useProperties({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    enabled,
    queryKey: propertiesKey,
    queryFn: async ({ signal }) => (await api.get<{ data: Property[] }>('/api/properties', { signal })).data,
  });
}

/** POST /api/properties */
export function useCreateProperty() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: PropertyInput) => api.post<Property>('/api/properties', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: propertiesKey }),
  });
}

/** PATCH /api/properties/:id */
export function useUpdateProperty() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: PropertyInput & { id: string }) => api.patch<Property>(`/api/properties/${encodeURIComponent(id)}`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: propertiesKey }),
  });
}
