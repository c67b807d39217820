import { MEMBER_SORTS } from '@innkeeper/contracts';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { intParam } from '../../lib/page.ts';
import { withParamChanges } from '../../lib/search-params.ts';
import { parseDefinition, type SegmentDefinition } from './api/segment-definition.ts';
import type { Audience, MemberSearchRequest, MemberSort } from './api/types.ts';

export { MEMBER_SORTS };

function isSort(value: string | null): value is MemberSort {
  return value !== null && (MEMBER_SORTS as readonly string[]).includes(value);
}

export type MemberFilters = {
  q: string | undefined;
  segmentId: string | undefined;
  /** Ad-hoc conditions (the filter drawer), kept in the URL as JSON. */
  definition: SegmentDefinition | undefined;
  sort: MemberSort;
  page: number;
  pageSize: number;
};

type Changes = { q?: string | undefined; segment?: string | undefined; filter?: SegmentDefinition | undefined; sort?: MemberSort | undefined; page?: number; pageSize?: number };

/** Search, segment, conditions, sort and page live in the URL, so reload, back and shared links keep the list. */
export function useMemberFilters() {
  const [params, setParams] = useSearchParams();
  const filterJson = params.get('filter');
  const definition = useMemo(() => parseDefinition(filterJson), [filterJson]);
  const filters = readMemberFilters(params, definition);

  const setFilters = (changes: Changes) =>
    setParams(
      (previous) => {
        const { filter, ...rest } = changes;
        const next = withParamChanges(previous, { ...rest, ...('filter' in changes ? { filter: filter && filter.conditions.length > 0 ? JSON.stringify(filter) : undefined } : {}) });
        if (next.get('sort') === 'recent') next.delete('sort');
        return next;
      },
      { replace: true },
    );

  return { filters, setFilters };
}

/** The list's filters as a URL's query states them (`definition`: the `filter` parameter already parsed, if it was). */
export function readMemberFilters(params: URLSearchParams, definition = parseDefinition(params.get('filter'))): MemberFilters {
  const sort = params.get('sort');
  return {
    q: params.get('q')?.trim() || undefined,
    segmentId: params.get('segment') || undefined,
    definition: definition && definition.conditions.length > 0 ? definition : undefined,
    sort: isSort(sort) ? sort : 'recent',
    page: intParam(params.get('page'), 1),
    pageSize: intParam(params.get('pageSize'), 20, 200),
  };
}

/** The page of the list that the filters show, as POST /api/members/search takes it. */
export function memberListRequest(filters: MemberFilters): MemberSearchRequest {
  return { ...audienceOf(filters), sort: filters.sort, page: filters.page, pageSize: filters.pageSize };
}

/** The audience of the list as the API takes it (search text, segment and conditions combined). */
export function audienceOf(filters: Pick<MemberFilters, 'q' | 'segmentId' | 'definition'>): Audience {
  return {
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.segmentId ? { segmentId: filters.segmentId } : {}),
    ...(filters.definition ? { definition: filters.definition } : {}),
  };
}

/** A link to the member list showing one audience. */
export function membersLink(audience: { segmentId?: string | undefined; definition?: SegmentDefinition | undefined; q?: string | undefined }): string {
  const params = new URLSearchParams();
  if (audience.q) params.set('q', audience.q);
  if (audience.segmentId) params.set('segment', audience.segmentId);
  if (audience.definition && audience.definition.conditions.length > 0) params.set('filter', JSON.stringify(audience.definition));
  const search = params.toString();
  return search ? `/members?${search}` : '/members';
}
