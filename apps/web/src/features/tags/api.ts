import type { RequestBody, ResponseBody, ZMemberTag, ZMemberTagList, ZTag, ZTagImpact, ZTagList, ZTagMembersChange, ZTagRequest, ZTagUsage, ZTagWithCount } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { memberKeys, useInvalidateMembers } from '../members/index.ts';

// The tag routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
export type { TagKind } from '@innkeeper/contracts';
export type Tag = ResponseBody<typeof ZTag>;
export type TagWithCount = ResponseBody<typeof ZTagWithCount>;
export type TagInput = RequestBody<typeof ZTagRequest>;
export type TagUsage = ResponseBody<typeof ZTagUsage>;
export type TagImpact = ResponseBody<typeof ZTagImpact>;
/** A tag on one member, with where it came from. */
export type MemberTag = ResponseBody<typeof ZMemberTag>;

export const tagKeys = {
  all: ['tags'] as const,
  list: ['tags', 'list'] as const,
  impact: (id: string) => ['tags', 'impact', id] as const,
};

const path = (id: string) => `/api/tags/${encodeURIComponent(id)}`;

/** GET /api/tags: every tag with its member count (filtered on this side: a tenant has tens of tags, not thousands). */
export function useTags({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: tagKeys.list,
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZTagList>>('/api/tags', { signal })).data,
    enabled,
  });
}

/** POST /api/tags */
export function useCreateTag() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (input: TagInput) => api.post<Tag>('/api/tags', input), onSuccess: () => queryClient.invalidateQueries({ queryKey: tagKeys.all }) });
}

/** PATCH /api/tags/:id: names and colours show on member rows too. */
export function useUpdateTag() {
  const invalidate = useInvalidateMembers();
  return useMutation({ mutationFn: ({ id, ...input }: Partial<TagInput> & { id: string }) => api.patch<Tag>(path(id), input), onSuccess: () => invalidate() });
}

/** GET /api/tags/:id/impact: what deleting the tag would affect. Always fresh. */
export function useTagImpact(id: string | undefined) {
  return useQuery({
    queryKey: tagKeys.impact(id ?? ''),
    queryFn: ({ signal }) => api.get<TagImpact>(`${path(id ?? '')}/impact`, { signal }),
    enabled: Boolean(id),
    staleTime: 0,
  });
}

/** DELETE /api/tags/:id (the deleted tag's own impact query is not refetched into a 404). */
export function useDeleteTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<null>(path(id)),
    onSuccess: (_result, id) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: memberKeys.all }),
        queryClient.invalidateQueries({ queryKey: tagKeys.all, predicate: (query) => query.queryKey[2] !== id }),
      ]),
  });
}

/** POST /api/tags/:id/members (add) and /members/remove: the tag on chosen members (at most 1,000). */
export function useChangeTagOnMembers() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: ({ tagId, memberIds, change }: { tagId: string; memberIds: string[]; change: 'add' | 'remove' }) =>
      api.post<ResponseBody<typeof ZTagMembersChange>>(change === 'add' ? `${path(tagId)}/members` : `${path(tagId)}/members/remove`, { memberIds }),
    onSuccess: () => invalidate(),
  });
}

/** GET /api/members/:id/tags */
export function useMemberTags(memberId: string) {
  return useQuery({
    queryKey: memberKeys.tags(memberId),
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZMemberTagList>>(`/api/members/${encodeURIComponent(memberId)}/tags`, { signal })).data,
  });
}
