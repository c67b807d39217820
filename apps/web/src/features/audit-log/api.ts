import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import type { Page } from '../../lib/page.ts';

export type AuditEntry = {
  id: string;
  occurredAt: string;
  actorAccountId: string | null;
  actorEmail: string;
  action: string;
  targetType: string;
  targetId: string;
  /** The target by name, resolved by the server for this page (null when it cannot tell or the viewer may not know). */
  targetLabel: string | null;
  ip: string;
  requestId: string;
  details: Record<string, unknown>;
};

export type AuditQuery = {
  page: number;
  pageSize: number;
  action?: string | undefined;
  actor?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** ISO instants. */
  from?: string | undefined;
  to?: string | undefined;
};

/** GET /api/audit-log */
export function useAuditLog(query: AuditQuery) {
  return useQuery({
    queryKey: ['audit-log', 'entries', query],
    queryFn: ({ signal }) => api.get<Page<AuditEntry>>('/api/audit-log', { signal, query }),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/audit-log/actions */
export function useAuditActions() {
  return useQuery({
    queryKey: ['audit-log', 'actions'],
    queryFn: async ({ signal }) => (await api.get<{ actions: string[] }>('/api/audit-log/actions', { signal })).actions,
  });
}
