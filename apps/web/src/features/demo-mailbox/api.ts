import type { ResponseBody, ZCapturedMailList, ZCapturedSmsList } from '@innkeeper/contracts/api';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { isApiError } from '../../lib/api-error.ts';

// The routes' answers, derived from the server's schemas (packages/contracts/src/api); types only.
type CapturedMailList = ResponseBody<typeof ZCapturedMailList>;
export type CapturedMail = CapturedMailList['data'][number];

/** GET /api/demo-mailbox: refreshes itself, since a newcomer waits here for a code that is on its way. */
export function useDemoMailbox(to: string) {
  return useQuery({
    queryKey: ['demo-mailbox', to],
    queryFn: async ({ signal }) => {
      const { data } = await api.get<CapturedMailList>('/api/demo-mailbox', { signal, query: { to }, redirectOnSessionEnd: false });
      return [...data].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    refetchInterval: 5000,
    staleTime: 0,
  });
}

type CapturedSmsList = ResponseBody<typeof ZCapturedSmsList>;
export type CapturedSms = CapturedSmsList['data'][number];

/** GET /api/demo-mailbox/sms: text messages (member binding codes) kept because no SMS provider is connected. */
export function useDemoSms({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    enabled,
    queryKey: ['demo-sms'],
    queryFn: async ({ signal }) => {
      const { data } = await api.get<CapturedSmsList>('/api/demo-mailbox/sms', { signal, redirectOnSessionEnd: false });
      return [...data].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    refetchInterval: 5000,
    staleTime: 0,
  });
}

/**
 * Whether the mailbox is off: outside demo mode its routes do not exist (route.not_found); in demo mode with a mail
 * server it answers mailbox.disabled.
 */
export function isMailboxOff(error: unknown): boolean {
  return isApiError(error) && (error.code === 'mailbox.disabled' || error.code === 'route.not_found');
}
