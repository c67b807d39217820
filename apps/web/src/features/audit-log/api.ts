import type { QueryParams, ResponseBody, ZAuditActions, ZAuditEntry, ZAuditPage, ZAuditQuery } from '@innkeeper/contracts/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
/** An entry; `targetLabel` is the target by name, resolved by the server for this page (null when it cannot tell or the viewer may not know). */
export type AuditEntry = ResponseBody<typeof ZAuditEntry>;
/** `from` and `to` are ISO instants. */
export type AuditQuery = QueryParams<typeof ZAuditQuery>;

/** GET /api/audit-log */
export function useAuditLog(query: AuditQuery) {
  return useQuery({
    queryKey: ['audit-log', 'entries', query],
    queryFn: ({ signal }) => api.get<ResponseBody<typeof ZAuditPage>>('/api/audit-log', { signal, query }),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/audit-log/actions */
export function useAuditActions() {
  return useQuery({
    queryKey: ['audit-log', 'actions'],
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZAuditActions>>('/api/audit-log/actions', { signal })).actions,
  });
}
