import type { QueryParams, ResponseBody, ZFollowLog, ZFollowLogQuery } from '@innkeeper/contracts/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
/** GET /api/line/follow-log: one page of events (newest first) plus daily counts of the whole range. */
export type FollowLog = ResponseBody<typeof ZFollowLog>;
export type FollowLogEntry = FollowLog['data'][number];
export type FriendEvent = FollowLogEntry['event'];
export type DailyCounts = FollowLog['daily'][number];

/** `from` and `to` are ISO instants, `to` exclusive. */
export type FollowLogQuery = QueryParams<typeof ZFollowLogQuery>;
/** The API filters on stored event types: `followed` includes unblocks (a follow after a block). */
export type FriendEventFilter = NonNullable<FollowLogQuery['type']>;

export function useFollowLog(query: FollowLogQuery) {
  return useQuery({
    queryKey: ['line', 'follow-log', query],
    queryFn: ({ signal }) => api.get<FollowLog>('/api/line/follow-log', { signal, query }),
    placeholderData: keepPreviousData,
  });
}
