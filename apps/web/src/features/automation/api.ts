import type { AutomationTemplateKey } from '@innkeeper/contracts';
import type { RequestBody, ResponseBody, ZAutomationRule, ZAutomationRuleCreate, ZAutomationRuleListItem, ZAutomationStats, ZAutomationTemplate } from '@innkeeper/contracts/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { tagKeys } from '../tags/index.ts';

export type AutomationRule = ResponseBody<typeof ZAutomationRule>;
export type AutomationRuleListItem = ResponseBody<typeof ZAutomationRuleListItem>;
export type AutomationStats = ResponseBody<typeof ZAutomationStats>;
export type AutomationTemplate = ResponseBody<typeof ZAutomationTemplate>;
export type AutomationRuleInput = Required<RequestBody<typeof ZAutomationRuleCreate>>;

export const automationKeys = {
  all: ['automation'] as const,
  list: ['automation', 'list'] as const,
  templates: ['automation', 'templates'] as const,
  one: (id: string) => ['automation', 'one', id] as const,
  stats: (id: string) => ['automation', 'stats', id] as const,
};

const path = (id: string) => `/api/automation/rules/${encodeURIComponent(id)}`;

/** GET /api/automation/rules */
export function useAutomationRules() {
  return useQuery({ queryKey: automationKeys.list, queryFn: async ({ signal }) => (await api.get<{ data: AutomationRuleListItem[] }>('/api/automation/rules', { signal })).data });
}

/** GET /api/automation/templates */
export function useAutomationTemplates() {
  return useQuery({ queryKey: automationKeys.templates, queryFn: async ({ signal }) => (await api.get<{ data: AutomationTemplate[] }>('/api/automation/templates', { signal })).data, staleTime: Infinity });
}

/** GET /api/automation/rules/:id */
export function useAutomationRule(id: string | undefined) {
  return useQuery({ queryKey: automationKeys.one(id ?? ''), queryFn: ({ signal }) => api.get<AutomationRule>(path(id ?? ''), { signal }), enabled: Boolean(id) });
}

/** GET /api/automation/rules/:id/stats: guests per step, looked at again every half minute while the page is open. */
export function useAutomationStats(id: string | undefined) {
  return useQuery({ queryKey: automationKeys.stats(id ?? ''), queryFn: ({ signal }) => api.get<AutomationStats>(`${path(id ?? '')}/stats`, { signal }), enabled: Boolean(id), refetchInterval: 30_000 });
}

function useSetRule() {
  const queryClient = useQueryClient();
  return (rule: AutomationRule) => {
    queryClient.setQueryData(automationKeys.one(rule.id), rule);
    return queryClient.invalidateQueries({ queryKey: automationKeys.list });
  };
}

/** POST /api/automation/rules */
export function useCreateRule() {
  const set = useSetRule();
  return useMutation({ mutationFn: (input: AutomationRuleInput) => api.post<AutomationRule>('/api/automation/rules', input), onSuccess: set });
}

/** POST /api/automation/rules/from-template (it may make the template's tags: the tag lists are read again) */
export function useCreateFromTemplate() {
  const set = useSetRule();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { templateKey: AutomationTemplateKey; propertyId: string | null }) => api.post<AutomationRule>('/api/automation/rules/from-template', input),
    onSuccess: async (rule) => {
      await queryClient.invalidateQueries({ queryKey: tagKeys.all });
      await set(rule);
    },
  });
}

/** PATCH /api/automation/rules/:id (a switched-off rule, from the version the editor started from) */
export function useUpdateRule() {
  const set = useSetRule();
  return useMutation({ mutationFn: ({ id, ...input }: Partial<AutomationRuleInput> & { id: string; version: number }) => api.patch<AutomationRule>(path(id), input), onSuccess: set });
}

/** DELETE /api/automation/rules/:id */
export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete<null>(path(id)), onSuccess: () => queryClient.invalidateQueries({ queryKey: automationKeys.all }) });
}

/** POST .../enable (the version reviewed) or .../disable */
export function useSwitchRule() {
  const set = useSetRule();
  return useMutation({
    mutationFn: ({ id, on, version }: { id: string; on: boolean; version: number }) => (on ? api.post<AutomationRule>(`${path(id)}/enable`, { version }) : api.post<AutomationRule>(`${path(id)}/disable`)),
    onSuccess: set,
  });
}
