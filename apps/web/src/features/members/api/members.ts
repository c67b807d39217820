import type { RequestBody, ResponseBody, ZAudienceCount, ZBulkTagRequest, ZBulkTagResult, ZDeletedMemberList, ZMemberDeletion, ZStayList, ZTimeline } from '@innkeeper/contracts/api';
import { keepPreviousData, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, currentCsrfToken } from '../../../lib/api-client.ts';
import { takeEarlyMembers } from '../../../lib/early-requests.ts';
import type {
  Audience,
  Interaction,
  Member,
  MemberInput,
  MemberSearchPage,
  MemberSearchRequest,
  MergeChoices,
  PersonalData,
  Stay,
  StayInput,
} from './types.ts';

export const memberKeys = {
  all: ['members'] as const,
  search: (request: MemberSearchRequest) => ['members', 'search', request] as const,
  count: (audience: Audience) => ['members', 'count', audience] as const,
  one: (id: string) => ['members', 'one', id] as const,
  deleted: ['members', 'deleted'] as const,
  stays: (id: string) => ['members', 'stays', id] as const,
  timeline: (id: string) => ['members', 'timeline', id] as const,
  tags: (id: string) => ['members', 'tags', id] as const,
};

const path = (id: string) => `/api/members/${encodeURIComponent(id)}`;

/**
 * Refreshes everything member-related (lists, counts, details) and the tag member counts. `gone` is a member that no
 * longer exists (deleted, merged away): its own queries are left alone rather than refetched into a 404.
 */
export function useInvalidateMembers() {
  const queryClient = useQueryClient();
  return (gone?: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: memberKeys.all, predicate: (query) => gone === undefined || query.queryKey[2] !== gone }),
      queryClient.invalidateQueries({ queryKey: ['tags'] }),
    ]);
}

/** POST /api/members/search as a query: one page of an audience, sorted (no total: see useMemberCount). */
export function memberSearchQuery(request: MemberSearchRequest) {
  return queryOptions({
    queryKey: memberKeys.search(request),
    queryFn: async ({ signal }) => {
      // On 會員 opened from its address, the list's first page was asked for with the session (lib/early-requests.ts).
      const early = await takeEarlyMembers(request, currentCsrfToken())?.catch(() => undefined);
      return early ? api.read<MemberSearchPage>(Promise.resolve(early)) : api.query<MemberSearchPage>('/api/members/search', request, { signal });
    },
  });
}

/** POST /api/members/search: one page of an audience, sorted (no total: see useMemberCount). */
export function useMemberSearch(request: MemberSearchRequest, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...memberSearchQuery(request), placeholderData: keepPreviousData, enabled });
}

/**
 * POST /api/members/count: how many members an audience has. `keepPrevious` shows the last count while a changed
 * audience is counted (the builder's live count); elsewhere a new audience shows as loading, never with an old number.
 */
export function useMemberCount(audience: Audience, { enabled = true, keepPrevious = false }: { enabled?: boolean; keepPrevious?: boolean } = {}) {
  return useQuery({
    queryKey: memberKeys.count(audience),
    queryFn: async ({ signal }) => (await api.query<ResponseBody<typeof ZAudienceCount>>('/api/members/count', audience, { signal })).count,
    placeholderData: keepPrevious ? keepPreviousData : undefined,
    enabled,
  });
}

/** GET /api/members/:id */
export function useMember(id: string | undefined) {
  return useQuery({
    queryKey: memberKeys.one(id ?? ''),
    queryFn: ({ signal }) => api.get<Member>(path(id ?? ''), { signal }),
    enabled: Boolean(id),
  });
}

/** GET /api/members/deleted */
export function useDeletedMembers() {
  return useQuery({
    queryKey: memberKeys.deleted,
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZDeletedMemberList>>('/api/members/deleted', { signal })).data,
  });
}

/** POST /api/members */
export function useCreateMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({ mutationFn: (input: MemberInput) => api.post<Member>('/api/members', input), onSuccess: () => invalidate() });
}

/** PATCH /api/members/:id */
export function useUpdateMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({ mutationFn: ({ id, ...input }: MemberInput & { id: string }) => api.patch<Member>(path(id), input), onSuccess: () => invalidate() });
}

/** POST /api/members/:id/personal-data: the unmasked values; the server writes the view to the audit log. Never cached. */
export function useRevealPersonalData() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<PersonalData>(`${path(id)}/personal-data`),
    // The view is a new timeline entry.
    onSuccess: (_data, id) => queryClient.invalidateQueries({ queryKey: memberKeys.timeline(id) }),
    gcTime: 0,
  });
}

/** DELETE /api/members/:id: restorable for 30 days. */
export function useDeleteMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({ mutationFn: (id: string) => api.delete<ResponseBody<typeof ZMemberDeletion>>(path(id)), onSuccess: (_result, id) => invalidate(id) });
}

/** POST /api/members/:id/restore */
export function useRestoreMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({ mutationFn: (id: string) => api.post<Member>(`${path(id)}/restore`), onSuccess: () => invalidate() });
}

/** POST /api/members/:id/erase: a deleted member is erased for good. */
export function useEraseMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({ mutationFn: (id: string) => api.post<null>(`${path(id)}/erase`), onSuccess: () => invalidate() });
}

/** POST /api/members/:id/merge: `mergedMemberId` is merged into `id`, which stays. */
export function useMergeMembers() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: ({ id, mergedMemberId, choices }: { id: string; mergedMemberId: string; choices: MergeChoices }) => api.post<Member>(`${path(id)}/merge`, { mergedMemberId, choices }),
    onSuccess: (_result, { mergedMemberId }) => invalidate(mergedMemberId),
  });
}

/** GET /api/members/:id/stays */
export function useMemberStays(id: string) {
  return useQuery({
    queryKey: memberKeys.stays(id),
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZStayList>>(`${path(id)}/stays`, { signal })).data,
  });
}

/** POST /api/members/:id/stays */
export function useAddStay() {
  const invalidate = useInvalidateMembers();
  return useMutation({ mutationFn: ({ memberId, ...input }: StayInput & { memberId: string }) => api.post<Stay>(`${path(memberId)}/stays`, input), onSuccess: () => invalidate() });
}

const TIMELINE_PAGE = 30;

/**
 * GET /api/members/:id/timeline, newest first, paged with `before`. Entries can share a timestamp (a bulk change writes
 * one per member at the same instant), so the next page starts just after the oldest entry loaded, not before it: the
 * overlap is dropped by id (see timelineEntries), and paging stops when a page brings nothing new.
 */
export function useMemberTimeline(id: string) {
  return useInfiniteQuery({
    queryKey: memberKeys.timeline(id),
    queryFn: async ({ signal, pageParam }) =>
      (await api.get<ResponseBody<typeof ZTimeline>>(`${path(id)}/timeline`, { signal, query: { limit: TIMELINE_PAGE, before: pageParam } })).data,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last, pages) => {
      const oldest = last[last.length - 1];
      if (last.length < TIMELINE_PAGE || !oldest) return undefined;
      const seen = new Set(pages.slice(0, -1).flatMap((page) => page.map((entry) => entry.id)));
      if (last.every((entry) => seen.has(entry.id))) return undefined;
      return new Date(new Date(oldest.occurredAt).getTime() + 1).toISOString();
    },
  });
}

/** The loaded timeline pages as one list without the entries that two pages share. */
export function timelineEntries(pages: Interaction[][] | undefined): Interaction[] {
  const seen = new Set<string>();
  return (pages ?? []).flat().filter((entry) => (seen.has(entry.id) ? false : (seen.add(entry.id), true)));
}

/** POST /api/members/bulk-tag: adds or removes a tag on a whole audience. */
export function useBulkTag() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: (input: RequestBody<typeof ZBulkTagRequest>) => api.post<ResponseBody<typeof ZBulkTagResult>>('/api/members/bulk-tag', input),
    onSuccess: () => invalidate(),
  });
}
