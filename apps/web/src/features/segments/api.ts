import type { RequestBody, ResponseBody, ZSegment, ZSegmentList, ZSegmentRequest } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

// The segment routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
export type Segment = ResponseBody<typeof ZSegment>;
export type SegmentInput = RequestBody<typeof ZSegmentRequest>;

export const segmentKeys = {
  all: ['segments'] as const,
  list: ['segments', 'list'] as const,
  one: (id: string) => ['segments', 'one', id] as const,
};

const path = (id: string) => `/api/segments/${encodeURIComponent(id)}`;

/** GET /api/segments */
export function useSegments({ enabled = true, refetchOnWindowFocus = false }: { enabled?: boolean; refetchOnWindowFocus?: boolean } = {}) {
  return useQuery({
    queryKey: segmentKeys.list,
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZSegmentList>>('/api/segments', { signal })).data,
    enabled,
    refetchOnWindowFocus,
  });
}

/** GET /api/segments/:id */
export function useSegment(id: string | undefined) {
  return useQuery({
    queryKey: segmentKeys.one(id ?? ''),
    queryFn: ({ signal }) => api.get<Segment>(path(id ?? ''), { signal }),
    enabled: Boolean(id),
  });
}

function useInvalidateSegments() {
  const queryClient = useQueryClient();
  // Counts of the member list filtered by a segment change with its definition.
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: segmentKeys.all }), queryClient.invalidateQueries({ queryKey: ['members', 'count'] }), queryClient.invalidateQueries({ queryKey: ['members', 'search'] })]);
}

/** POST /api/segments */
export function useCreateSegment() {
  const invalidate = useInvalidateSegments();
  return useMutation({ mutationFn: (input: SegmentInput) => api.post<Segment>('/api/segments', input), onSuccess: invalidate });
}

/** PATCH /api/segments/:id: rename, or change the definition. */
export function useUpdateSegment() {
  const invalidate = useInvalidateSegments();
  return useMutation({ mutationFn: ({ id, ...input }: Partial<SegmentInput> & { id: string }) => api.patch<Segment>(path(id), input), onSuccess: invalidate });
}

/** DELETE /api/segments/:id */
export function useDeleteSegment() {
  const invalidate = useInvalidateSegments();
  return useMutation({ mutationFn: (id: string) => api.delete<null>(path(id)), onSuccess: invalidate });
}
