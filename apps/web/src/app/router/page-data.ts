import { useQueryClient, type FetchQueryOptions, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { memberListRequest, memberSearchQuery, readMemberFilters } from '../../features/members/index.ts';
import type { AccessRule } from '../../session/types.ts';
import { navItem, type NavKey } from '../layout/navigation.tsx';

type PageData = { path: string; nav: NavKey; prefetch: (client: QueryClient, params: URLSearchParams) => void };

/**
 * Like TanStack's usePrefetchQuery: a query already in the cache (fresh, stale, under way or failed) is left to the
 * page, so re-rendering the layout never refetches.
 */
function prefetchOnce<T, K extends QueryKey>(client: QueryClient, options: FetchQueryOptions<T, Error, T, K>): void {
  if (!client.getQueryState(options.queryKey)) void client.prefetchQuery(options);
}

/**
 * The data a page shows first, by address. A query starts when the component that uses it mounts, i.e. once the whole
 * page around it has rendered and committed: on 會員 the list's rows were asked for ~230 ms after the session was known.
 * Asked for here, they are on their way while the layout and the page render.
 */
const PAGE_DATA: readonly PageData[] = [
  { path: '/members', nav: 'members', prefetch: (client, params) => prefetchOnce(client, memberSearchQuery(memberListRequest(readMemberFilters(params)))) },
];

/** Starts fetching the current page's first data during the layout's render, for an account the page's menu rule admits. */
export function usePageData(pathname: string, search: string, allows: (rule: AccessRule) => boolean): void {
  const queryClient = useQueryClient();
  const page = PAGE_DATA.find((candidate) => candidate.path === pathname);
  if (!page || !allows(navItem(page.nav).access)) return;
  page.prefetch(queryClient, new URLSearchParams(search));
}
