import type { RequestBody, ResponseBody, ZPmsConflictPage, ZPmsConnection, ZPmsConnectionInput, ZPmsConnectionList, ZPmsConnectionPatch, ZPmsHealth, ZPmsReport, ZPmsRun, ZPmsRunList } from '@innkeeper/contracts/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api } from '../../lib/api-client.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api/pms.ts); types only.
export type PmsConnection = ResponseBody<typeof ZPmsConnection>;
export type PmsRun = ResponseBody<typeof ZPmsRun>;
export type PmsReport = ResponseBody<typeof ZPmsReport>;
export type MatchReport = NonNullable<PmsReport['report']>;
export type PmsHealth = ResponseBody<typeof ZPmsHealth>;
export type ConnectionInput = RequestBody<typeof ZPmsConnectionInput>;
export type ConnectionPatch = RequestBody<typeof ZPmsConnectionPatch>;

const pmsKey = ['pms'] as const;

/** GET /api/pms/connections; polled every 2 s while a sync runs, so its progress moves on the page. */
export function usePmsConnections({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    enabled,
    queryKey: [...pmsKey, 'connections'],
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZPmsConnectionList>>('/api/pms/connections', { signal })).data,
    refetchInterval: (query) => (query.state.data?.some((c) => c.running) ? 2000 : false),
  });
}

export function usePmsRuns(connectionId: string, running: boolean) {
  return useQuery({
    queryKey: [...pmsKey, 'runs', connectionId],
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZPmsRunList>>(`/api/pms/connections/${encodeURIComponent(connectionId)}/runs`, { signal })).data,
    refetchInterval: running ? 2000 : false,
  });
}

export function usePmsReport(connectionId: string) {
  return useQuery({
    queryKey: [...pmsKey, 'report', connectionId],
    queryFn: ({ signal }) => api.get<PmsReport>(`/api/pms/connections/${encodeURIComponent(connectionId)}/report`, { signal }),
  });
}

export type PmsConflictPage = ResponseBody<typeof ZPmsConflictPage>;
export type PmsConflict = PmsConflictPage['data'][number];
export type ConflictField = PmsConflict['field'];

/** GET /api/pms/connections/:id/conflicts: one page of the field conflicts (server-side paging, with the total). */
export function usePmsConflicts(connectionId: string, filter: { page: number; pageSize: number; field?: ConflictField | undefined }) {
  const query = { page: filter.page, pageSize: filter.pageSize, ...(filter.field ? { field: filter.field } : {}) };
  return useQuery({
    queryKey: [...pmsKey, 'conflicts', connectionId, query],
    queryFn: ({ signal }) => api.get<PmsConflictPage>(`/api/pms/connections/${encodeURIComponent(connectionId)}/conflicts`, { signal, query }),
    placeholderData: keepPreviousData,
  });
}

/**
 * When the run under way ends, the page's figures that it changed (runs, report, files) are read again: they poll only
 * while it runs, and their last poll may have come just before it finished.
 */
export function useRefreshWhenRunEnds(runningId: string | undefined) {
  const queryClient = useQueryClient();
  const previous = useRef(runningId);
  useEffect(() => {
    if (previous.current && previous.current !== runningId) void queryClient.invalidateQueries({ queryKey: pmsKey });
    previous.current = runningId;
  }, [runningId, queryClient]);
}

function useInvalidatingMutation<V, R>(mutationFn: (variables: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSettled: () => queryClient.invalidateQueries({ queryKey: pmsKey }) });
}

/** POST /api/pms/connections */
export function useCreatePmsConnection() {
  return useInvalidatingMutation((input: ConnectionInput) => api.post<PmsConnection>('/api/pms/connections', input));
}

/** PATCH /api/pms/connections/:id */
export function useUpdatePmsConnection() {
  return useInvalidatingMutation(({ id, patch }: { id: string; patch: ConnectionPatch }) => api.patch<PmsConnection>(`/api/pms/connections/${encodeURIComponent(id)}`, patch));
}

/**
 * DELETE /api/pms/connections/:id: refused (pms.sync_running) while a sync runs; members keep their stays. Once it is
 * gone, the page stops showing it before anything is read again, and what was read of it is dropped: reading its runs,
 * report, conflicts and files again only answered 404 (four console errors after every delete).
 */
export function useDeletePmsConnection() {
  const queryClient = useQueryClient();
  const ofConnection = (id: string) => (query: { queryKey: readonly unknown[] }) => query.queryKey[0] === pmsKey[0] && query.queryKey.includes(id);
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/api/pms/connections/${encodeURIComponent(id)}`),
    onSuccess: (_answer, id) => {
      queryClient.setQueryData<PmsConnection[]>([...pmsKey, 'connections'], (list) => list?.filter((c) => c.id !== id));
      queryClient.removeQueries({ predicate: ofConnection(id) });
    },
    onSettled: (_answer, _error, id) => queryClient.invalidateQueries({ queryKey: pmsKey, predicate: (query) => !ofConnection(id)(query) }),
  });
}

/** POST /api/pms/connections/:id/sync: refused (pms.sync_running) while a sync runs. */
export function useSyncNow() {
  return useInvalidatingMutation((id: string) => api.post<PmsRun>(`/api/pms/connections/${encodeURIComponent(id)}/sync`));
}

/** POST /api/pms/connections/:id/test */
export function useTestPmsConnection() {
  return useMutation({ mutationFn: (id: string) => api.post<PmsHealth>(`/api/pms/connections/${encodeURIComponent(id)}/test`) });
}
