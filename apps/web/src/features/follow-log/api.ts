import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export type FriendEvent = 'followed' | 'unblocked' | 'blocked';
/** The API filters on stored event types: `followed` includes unblocks (a follow after a block). */
export type FriendEventFilter = 'followed' | 'blocked';

export type FollowLogEntry = {
  id: string;
  occurredAt: string;
  event: FriendEvent;
  member: { id: string; memberNo: string; name: string; lineDisplayName: string | null; linePictureUrl: string | null; lineStatus: string };
};

export type DailyCounts = { day: string; followed: number; unblocked: number; blocked: number };

/** GET /api/line/follow-log: one page of events (newest first) plus daily counts of the whole range. */
export type FollowLog = { data: FollowLogEntry[]; hasMore: boolean; daily: DailyCounts[] };

export type FollowLogQuery = {
  /** ISO instants; `to` is exclusive. */
  from: string;
  to: string;
  type?: FriendEventFilter | undefined;
  page: number;
  pageSize: number;
};

export function useFollowLog(query: FollowLogQuery) {
  return useQuery({
    queryKey: ['line', 'follow-log', query],
    queryFn: ({ signal }) => api.get<FollowLog>('/api/line/follow-log', { signal, query }),
    placeholderData: keepPreviousData,
  });
}
