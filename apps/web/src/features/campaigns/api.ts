import type { CampaignStatus } from '@innkeeper/contracts';
import type { RequestBody, ResponseBody, ZEstimateRequest, ZScheduleRequest, ZTestSendResult } from '@innkeeper/contracts/api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { clicksStillMoving, type CampaignClickCounts } from './click-counts.ts';
import type { Campaign, CampaignImage, CampaignInput, CampaignList, CampaignProgress, Estimate, PushSettings } from './messages.ts';

export const campaignKeys = {
  all: ['campaigns'] as const,
  list: (status: CampaignStatus | undefined, page: number, pageSize: number) => ['campaigns', 'list', status ?? 'all', page, pageSize] as const,
  one: (id: string) => ['campaigns', 'one', id] as const,
  estimate: (body: unknown) => ['campaigns', 'estimate', body] as const,
  settings: ['campaigns', 'settings'] as const,
  progress: (id: string) => ['campaigns', 'progress', id] as const,
  clicks: (id: string) => ['campaigns', 'clicks', id] as const,
};

const path = (id: string) => `/api/campaigns/${encodeURIComponent(id)}`;

/** GET /api/campaigns: one page (newest change first) of one status or all, with the count of every status. */
export function useCampaigns(status: CampaignStatus | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: campaignKeys.list(status, page, pageSize),
    queryFn: ({ signal }) => api.get<CampaignList>('/api/campaigns', { signal, query: { status, page, pageSize } }),
    // Moving between pages or statuses keeps the rows on screen until the next ones arrive (no flash of "empty").
    placeholderData: keepPreviousData,
  });
}

/** GET /api/campaigns/:id */
/** While a campaign waits for its minute, the worker may start it at any time: the page looks again every few seconds. */
export function useCampaign(id: string | undefined) {
  return useQuery({
    queryKey: campaignKeys.one(id ?? ''),
    queryFn: ({ signal }) => api.get<Campaign>(path(id ?? ''), { signal }),
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data?.status === 'scheduled' ? 3000 : false),
  });
}

function useSetCampaign() {
  const queryClient = useQueryClient();
  return (campaign: Campaign) => {
    queryClient.setQueryData(campaignKeys.one(campaign.id), campaign);
    return queryClient.invalidateQueries({ queryKey: ['campaigns', 'list'] });
  };
}

/** POST /api/campaigns */
export function useCreateCampaign() {
  const set = useSetCampaign();
  return useMutation({ mutationFn: (input: CampaignInput) => api.post<Campaign>('/api/campaigns', input), onSuccess: set });
}

/** PATCH /api/campaigns/:id (a draft, from the version the editor started from) */
export function useUpdateCampaign() {
  const set = useSetCampaign();
  return useMutation({ mutationFn: ({ id, ...input }: Partial<CampaignInput> & { id: string; version: number }) => api.patch<Campaign>(path(id), input), onSuccess: set });
}

/** DELETE /api/campaigns/:id (drafts) */
export function useDeleteCampaign() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete<null>(path(id)), onSuccess: () => queryClient.invalidateQueries({ queryKey: campaignKeys.all }) });
}

/** Approve and schedule the version reviewed, at a local time or now. */
export type ScheduleRequest = { id: string } & RequestBody<typeof ZScheduleRequest>;

/** POST /api/campaigns/:id/schedule, /unschedule, /cancel */
export function useCampaignTransition() {
  const set = useSetCampaign();
  return {
    schedule: useMutation({ mutationFn: ({ id, ...body }: ScheduleRequest) => api.post<Campaign>(`${path(id)}/schedule`, body), onSuccess: set }),
    unschedule: useMutation({ mutationFn: (id: string) => api.post<Campaign>(`${path(id)}/unschedule`), onSuccess: set }),
    cancel: useMutation({ mutationFn: (id: string) => api.post<Campaign>(`${path(id)}/cancel`), onSuccess: set }),
    pause: useMutation({ mutationFn: (id: string) => api.post<Campaign>(`${path(id)}/pause`), onSuccess: set }),
    resume: useMutation({ mutationFn: (id: string) => api.post<Campaign>(`${path(id)}/resume`), onSuccess: set }),
  };
}

/**
 * GET /api/campaigns/:id/progress, polled every `pollMs` (while the campaign sends, or settles after a pause). Keyed by
 * the campaign's status too: one read while it was still scheduled (nobody to count yet) must not stand for it once it
 * has gone out.
 */
export function useCampaignProgress(id: string, status: Campaign['status'], pollMs: number | false) {
  return useQuery({
    queryKey: [...campaignKeys.progress(id), status],
    queryFn: ({ signal }) => api.get<CampaignProgress>(`${path(id)}/progress`, { signal }),
    refetchInterval: pollMs,
  });
}

/**
 * GET /api/campaigns/:id/clicks: its buttons with their clicks. Asked again every 10 s while the campaign sends or a
 * click's tags are still being applied (the figures still move); otherwise when staff come back to the page or ask.
 */
export function useCampaignClicks(id: string, status: Campaign['status']) {
  return useQuery({
    queryKey: campaignKeys.clicks(id),
    queryFn: ({ signal }) => api.get<CampaignClickCounts>(`${path(id)}/clicks`, { signal }),
    // Clicks keep coming for days after a send: read again every 30 s while the page is open and shown (every 10 s
    // while it sends or tags are being applied), and on coming back to the tab (browser review: a tap 43 s earlier was
    // not on the card until refresh was pressed).
    refetchInterval: (query) => (clicksStillMoving(status, query.state.data) ? 10_000 : 30_000),
    refetchOnWindowFocus: true,
  });
}

/** What is on screen, saved or not (the messages read only for their number and personalisation). */
export type EstimateRequest = Required<RequestBody<typeof ZEstimateRequest>>;

/** POST /api/campaigns/estimate: reach and cost of what is on screen (saved or not). */
export function useEstimate(body: EstimateRequest | undefined) {
  return useQuery({
    queryKey: campaignKeys.estimate(body),
    queryFn: ({ signal }) => api.query<Estimate>('/api/campaigns/estimate', body, { signal }),
    enabled: Boolean(body),
    placeholderData: keepPreviousData,
    // Reach, caps and the channel's quota move with every send: a form opened again asks again rather than showing what
    // another campaign's page read minutes ago (browser review: 7 used shown, 16 real).
    staleTime: 0,
    retry: false,
  });
}

/** GET /api/campaign-settings */
export function usePushSettings() {
  return useQuery({ queryKey: campaignKeys.settings, queryFn: ({ signal }) => api.get<PushSettings>('/api/campaign-settings', { signal }) });
}

/** PUT /api/campaign-settings */
export function useUpdatePushSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: PushSettings) => api.put<PushSettings>('/api/campaign-settings', settings),
    onSuccess: (saved) => {
      queryClient.setQueryData(campaignKeys.settings, saved);
      return queryClient.invalidateQueries({ queryKey: ['campaigns', 'estimate'] });
    },
  });
}

/** POST /api/campaign-images (multipart: "file" and, for files over 1 MB, "preview"). */
export function uploadCampaignImage(file: File, preview: File | undefined): Promise<CampaignImage> {
  return api.upload<CampaignImage>('/api/campaign-images', { file, preview });
}

export type TestSendResult = ResponseBody<typeof ZTestSendResult>;

/** POST /api/campaigns/:id/test-send: the saved campaign to chosen guests now (not counted as delivery). */
export function useTestSend() {
  return useMutation({ mutationFn: ({ id, memberIds }: { id: string; memberIds: string[] }) => api.post<TestSendResult>(`${path(id)}/test-send`, { memberIds }) });
}
