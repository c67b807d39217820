import type { RequestBody, ResponseBody, ZChannel, ZChannelList, ZChannelRequest } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.
/** GET /api/line/channels: a connected LINE Official Account; secrets never leave the server (only a token hint). */
export type LineChannel = ResponseBody<typeof ZChannel>;
export type ChannelStatus = LineChannel['status'];
export type ChannelInput = RequestBody<typeof ZChannelRequest>;

/** On edit the secret and token are sent only when typed again; everything else is always sent. */
export type ChannelPatch = Partial<ChannelInput> & { id: string };

const channelsKey = ['line', 'channels'] as const;

export function useLineChannels() {
  return useQuery({
    queryKey: channelsKey,
    queryFn: async ({ signal }) => (await api.get<ResponseBody<typeof ZChannelList>>('/api/line/channels', { signal })).data,
  });
}

function useChannelMutation<V>(mutationFn: (variables: V) => Promise<LineChannel | undefined>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: channelsKey }) });
}

/** POST /api/line/channels */
export function useCreateChannel() {
  return useChannelMutation((input: ChannelInput) => api.post<LineChannel>('/api/line/channels', input));
}

/** PATCH /api/line/channels/:id */
export function useUpdateChannel() {
  return useChannelMutation(({ id, ...input }: ChannelPatch) => api.patch<LineChannel>(`/api/line/channels/${encodeURIComponent(id)}`, input));
}

/** POST /api/line/channels/:id/verify: asks LINE for the bot's info with the stored token. */
export function useVerifyChannel() {
  return useChannelMutation((id: string) => api.post<LineChannel>(`/api/line/channels/${encodeURIComponent(id)}/verify`));
}

/** DELETE /api/line/channels/:id */
export function useDeleteChannel() {
  return useChannelMutation(async (id: string) => {
    await api.delete<undefined>(`/api/line/channels/${encodeURIComponent(id)}`);
    return undefined;
  });
}

/** Where LINE sends the guest after tapping the LIFF URL: `{origin}/liff/{tenantId}/{channel id}` on this server. */
export function liffEndpointUrl(channel: LineChannel, tenantId: string): string {
  // The webhook URL carries the server's public origin (PUBLIC_URL), which is also the LIFF page's.
  let origin = window.location.origin;
  try {
    origin = new URL(channel.webhookUrl).origin;
  } catch {
    // Keep the browser's origin.
  }
  return `${origin}/liff/${tenantId}/${channel.id}`;
}

export function liffUrl(liffId: string): string {
  return `https://liff.line.me/${liffId}`;
}
