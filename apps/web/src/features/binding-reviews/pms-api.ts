import type { ResponseBody, ZPmsReview, ZPmsReviewList, ZPmsReviewResolved } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

/** GET /api/pms/reviews: a PMS match the sync would not make alone (modules/pms), decided here like LINE bindings. */
export type PmsReview = ResponseBody<typeof ZPmsReview>;
export type PmsCandidate = PmsReview['candidates'][number];
export type PmsProfile = PmsCandidate['profiles'][number];
export type PmsReviewStatus = 'open' | 'linked' | 'rejected';

const key = ['pms-reviews'] as const;

export function usePmsReviews(status: PmsReviewStatus, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    enabled,
    queryKey: [...key, status],
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZPmsReviewList>>('/api/pms/reviews', { signal, query: { status } })).data,
  });
}

function useCaseMutation<V>(mutationFn: (variables: V) => Promise<ResponseBody<typeof ZPmsReviewResolved>>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: key }), queryClient.invalidateQueries({ queryKey: ['members'] }), queryClient.invalidateQueries({ queryKey: ['pms'] })]) });
}

/** POST /api/pms/reviews/:id/link with the profiles staff picked (all of one candidate = approve). */
export function useLinkPmsReview() {
  return useCaseMutation(({ caseId, profileIds }: { caseId: string; profileIds: string[] }) => api.post(`/api/pms/reviews/${encodeURIComponent(caseId)}/link`, { profileIds }));
}

/** POST /api/pms/reviews/:id/reject */
export function useRejectPmsReview() {
  return useCaseMutation((caseId: string) => api.post(`/api/pms/reviews/${encodeURIComponent(caseId)}/reject`));
}
