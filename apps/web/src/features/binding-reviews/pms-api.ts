import type { ResponseBody, ZPmsReview, ZPmsReviewList, ZPmsReviewResolved } from '@innkeeper/contracts/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

/** GET /api/pms/reviews: a PMS match the sync would not make alone (modules/pms), decided here like LINE bindings. */
export type PmsReview = ResponseBody<typeof ZPmsReview>;
export type PmsCandidate = PmsReview['candidates'][number];
export type PmsProfile = PmsCandidate['profiles'][number];
export type PmsReviewStatus = 'open' | 'linked' | 'rejected';

const key = ['pms-reviews'] as const;

export type PmsReviewPage = ResponseBody<typeof ZPmsReviewList>;
/** Cards per page: a case with its candidates is tall, so the queue is read a page at a time. */
export const PMS_REVIEWS_PAGE_SIZE = 20;

/** One page of the queue (server-side, with the total), by status and optionally one reason; the page shown stays while the next loads. */
export function usePmsReviews(filter: { status: PmsReviewStatus; page?: number; reason?: string | undefined }, { enabled = true }: { enabled?: boolean } = {}) {
  const query = { status: filter.status, page: filter.page ?? 1, pageSize: PMS_REVIEWS_PAGE_SIZE, ...(filter.reason ? { reason: filter.reason } : {}) };
  return useQuery({
    enabled,
    queryKey: [...key, query],
    queryFn: ({ signal }) => api.get<PmsReviewPage>('/api/pms/reviews', { signal, query }),
    placeholderData: keepPreviousData,
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
