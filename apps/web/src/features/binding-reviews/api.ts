import type { QueryParams, ResponseBody, ZBindingReview, ZBindingReviewList, ZBindingReviewQuery, ZOk, ZReviewResolved } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
export type ReviewStatus = QueryParams<typeof ZBindingReviewQuery>['status'];
export type HandledStatus = Exclude<ReviewStatus, 'open'>;
export const HANDLED_STATUSES: readonly HandledStatus[] = ['linked', 'created', 'dismissed'];

/** GET /api/binding-reviews: a binding the server would not decide alone (`reason` and `submitted` explained there). */
export type BindingReview = ResponseBody<typeof ZBindingReview>;
export type ReviewCandidate = BindingReview['candidates'][number];
/** What the guest typed, masked by the server. */
export type SubmittedData = BindingReview['submitted'];
export type Resolved = ResponseBody<typeof ZReviewResolved>;

const reviewsKey = ['binding-reviews'] as const;

export function useBindingReviews(status: ReviewStatus, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    enabled,
    queryKey: [...reviewsKey, status],
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZBindingReviewList>>('/api/binding-reviews', { signal, query: { status } })).data,
  });
}

function useReviewMutation<V, R>(mutationFn: (variables: V) => Promise<R>) {
  const queryClient = useQueryClient();
  // The review leaves the open queue and a member changes: refresh both lists (and any member page showing them).
  return useMutation({
    mutationFn,
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: reviewsKey }), queryClient.invalidateQueries({ queryKey: ['members'] })]),
  });
}

/** POST /api/binding-reviews/:id/link */
export function useLinkReview() {
  return useReviewMutation(({ reviewId, memberId }: { reviewId: string; memberId: string }) => api.post<Resolved>(`/api/binding-reviews/${encodeURIComponent(reviewId)}/link`, { memberId }));
}

/** POST /api/binding-reviews/:id/create: refused (member.duplicate_identity) when the ID belongs to another member. */
export function useCreateFromReview() {
  return useReviewMutation((reviewId: string) => api.post<Resolved>(`/api/binding-reviews/${encodeURIComponent(reviewId)}/create`));
}

/** POST /api/binding-reviews/:id/dismiss */
export function useDismissReview() {
  return useReviewMutation((reviewId: string) => api.post<ResponseBody<typeof ZOk>>(`/api/binding-reviews/${encodeURIComponent(reviewId)}/dismiss`));
}
