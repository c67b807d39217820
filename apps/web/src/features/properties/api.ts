import type { RequestBody, ResponseBody, ZProperty, ZPropertyInput, ZPropertyList } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
export type Property = ResponseBody<typeof ZProperty>;
export type PropertyInput = RequestBody<typeof ZPropertyInput>;

const propertiesKey = ['properties'] as const;

/** GET /api/properties: the properties this account may work with. */
export function useProperties({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    enabled,
    queryKey: propertiesKey,
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZPropertyList>>('/api/properties', { signal })).data,
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
