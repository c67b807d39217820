import type { FormItemProps } from 'antd';

/** Server field issues by path (`messages.0.actions.1.label` → messages), shown under the input they concern. */
export type Issues = ReadonlyMap<string, string[]>;

export function issuesByPath(issues: ReadonlyArray<{ path: string; message: string }>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const issue of issues) map.set(issue.path, [...(map.get(issue.path) ?? []), issue.message]);
  return map;
}

/** Form.Item props that show the issues at `path` (and below it, for a list's own field). */
export function issueProps(issues: Issues, path: string): Pick<FormItemProps, 'validateStatus' | 'help'> {
  const messages = issues.get(path);
  return messages && messages.length > 0 ? { validateStatus: 'error', help: messages.join(' ') } : {};
}

/** Form.Item props that show the issues of a list's items (`tagIds.0`, `tagIds.3` …) under the list's one input. */
export function listIssueProps(issues: Issues, listPath: string): Pick<FormItemProps, 'validateStatus' | 'help'> {
  const messages = [...issues.entries()].filter(([path]) => path === listPath || path.startsWith(`${listPath}.`)).flatMap(([, m]) => m);
  return messages.length > 0 ? { validateStatus: 'error', help: [...new Set(messages)].join(' ') } : {};
}

/** The id of the input for `path`, so its Form.Item label names it (screen readers, getByLabel). */
export function fieldId(path: string): string {
  return `campaign-${path.replace(/\./g, '-')}`;
}

/** Form.Item props for the field at `path`: its label bound to the input (`id={fieldId(path)}`) and its issues. */
export function fieldProps(issues: Issues, path: string): Pick<FormItemProps, 'validateStatus' | 'help' | 'htmlFor'> {
  return { htmlFor: fieldId(path), ...issueProps(issues, path) };
}
