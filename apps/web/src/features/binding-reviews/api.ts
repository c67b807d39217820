import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export type ReviewStatus = 'open' | 'linked' | 'created' | 'dismissed';
export type HandledStatus = Exclude<ReviewStatus, 'open'>;
export const HANDLED_STATUSES: readonly HandledStatus[] = ['linked', 'created', 'dismissed'];

export type ReviewCandidate = {
  id: string;
  memberNo: string;
  lastName: string;
  firstName: string;
  mobile: string | null;
  email: string | null;
  identity: { type: string; masked: string; passportCountry: string | null } | null;
};

/**
 * What the guest typed, masked by the server: `name`, `mobile`, `email`, `identity` (`<type>:<masked number>`),
 * `birthday`, `marketingOptIn` (null: the guest left the offers box as it was).
 */
export type SubmittedData = Record<string, string | boolean | null>;

/** GET /api/binding-reviews: a binding the server would not decide alone. */
export type BindingReview = {
  id: string;
  lineUserId: string;
  lineDisplayName: string;
  submitted: SubmittedData;
  /**
   * ambiguous: several members matched; conflict: the ID and the mobile point at different members, or the member has
   * another LINE account; name_mismatch: one member matched, but the name typed is not theirs (or none was typed).
   */
  reason: 'ambiguous' | 'conflict' | 'name_mismatch';
  status: string;
  candidates: ReviewCandidate[];
  createdAt: string;
  resolvedAt: string | null;
  resolvedMemberId: string | null;
};

export type Resolved = { memberId: string; memberNo: string };

const reviewsKey = ['binding-reviews'] as const;

export function useBindingReviews(status: ReviewStatus, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    enabled,
    queryKey: [...reviewsKey, status],
    queryFn: async ({ signal }) => (await api.get<{ data: BindingReview[] }>('/api/binding-reviews', { signal, query: { status } })).data,
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
  return useReviewMutation((reviewId: string) => api.post<{ ok: true }>(`/api/binding-reviews/${encodeURIComponent(reviewId)}/dismiss`));
}
