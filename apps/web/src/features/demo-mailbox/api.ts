import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export type CapturedMail = { id: string; toAddress: string; subject: string; textBody: string; createdAt: string };

/** GET /api/demo-mailbox: refreshes itself, since a newcomer waits here for a code that is on its way. */
export function useDemoMailbox(to: string) {
  return useQuery({
    queryKey: ['demo-mailbox', to],
    queryFn: async ({ signal }) => {
      const { data } = await api.get<{ data: CapturedMail[] }>('/api/demo-mailbox', { signal, query: { to }, redirectOnSessionEnd: false });
      return [...data].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    refetchInterval: 5000,
    staleTime: 0,
  });
}
