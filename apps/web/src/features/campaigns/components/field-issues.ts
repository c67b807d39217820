import { cleanName, nameLength } from '@innkeeper/contracts';
import type { FormItemProps } from 'antd';
import type { TFunction } from 'i18next';
import { createElement } from 'react';

/** Server field issues by path (`messages.0.actions.1.label` → messages), shown under the input they concern. */
export type Issues = ReadonlyMap<string, string[]>;

export function issuesByPath(issues: ReadonlyArray<{ path: string; message: string }>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const issue of issues) map.set(issue.path, [...(map.get(issue.path) ?? []), issue.message]);
  return map;
}

/**
 * Form.Item props that show the issues at `path` (and below it, for a list's own field). Given the input's id, the
 * message gets the id the input's aria-describedby names (controlProps): our Form.Items have no `name` (the editors
 * keep their own state), so antd does not tie the two itself.
 */
export function issueProps(issues: Issues, path: string, inputId?: string): Pick<FormItemProps, 'validateStatus' | 'help'> {
  return shown(issues.get(path) ?? [], inputId);
}

/** Form.Item props that show the issues of a list's items (`tagIds.0`, `tagIds.3` …) under the list's one input. */
export function listIssueProps(issues: Issues, listPath: string, inputId?: string): Pick<FormItemProps, 'validateStatus' | 'help'> {
  return shown(listMessages(issues, listPath), inputId);
}

function listMessages(issues: Issues, listPath: string): string[] {
  return [...new Set([...issues.entries()].filter(([path]) => path === listPath || path.startsWith(`${listPath}.`)).flatMap(([, m]) => m))];
}

function shown(messages: readonly string[], inputId: string | undefined): Pick<FormItemProps, 'validateStatus' | 'help'> {
  if (messages.length === 0) return {};
  const text = messages.join(' ');
  return { validateStatus: 'error', help: inputId ? createElement('span', { id: helpId(inputId) }, text) : text };
}

/** The id of the message under the input `inputId`. */
export function helpId(inputId: string): string {
  return `${inputId}-help`;
}

/**
 * The input's own props for its issues: its id (its label's htmlFor), and while it has an issue aria-invalid and
 * aria-describedby naming the message, so a screen reader says the field is wrong and why (browser review).
 */
export function controlPropsFor(inputId: string, messages: readonly string[]): { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return messages.length > 0 ? { id: inputId, 'aria-invalid': true, 'aria-describedby': helpId(inputId) } : { id: inputId };
}

/** The id of the input for `path`, so its Form.Item label names it (screen readers, getByLabel). */
export function fieldId(path: string): string {
  return `campaign-${path.replace(/\./g, '-')}`;
}

/** Form.Item props for the field at `path`: its label bound to the input (controlProps) and its issues. */
export function fieldProps(issues: Issues, path: string): Pick<FormItemProps, 'validateStatus' | 'help' | 'htmlFor'> {
  return { htmlFor: fieldId(path), ...issueProps(issues, path, fieldId(path)) };
}

/** The props of the input at `path` (see fieldProps): its id, and its issues for assistive technology. */
export function controlProps(issues: Issues, path: string): ReturnType<typeof controlPropsFor> {
  return controlPropsFor(fieldId(path), issues.get(path) ?? []);
}

/** As controlProps, for a list's one input (listIssueProps). */
export function listControlProps(issues: Issues, listPath: string): ReturnType<typeof controlPropsFor> {
  return controlPropsFor(fieldId(listPath), listMessages(issues, listPath));
}

/**
 * A name that is no name once kept as the server keeps it (spaces and invisible characters only: cleanName): the
 * editors say so at the field before sending, not only when the server refuses it (browser review).
 */
export function isBlankName(name: string): boolean {
  return cleanName(name) === '';
}

/** The longest campaign or rule name, counted as the server counts it (nameLength; ZCleanName(100)). */
export const NAME_MAX = 100;

/**
 * What is wrong with a typed campaign or rule name, said at the field while typing as the tag form does (browser review:
 * past the limit only the counter turned red): past `max` as the server counts it, or, once staff typed in it or tried
 * to save (`checked`), a name of only spaces. In the language of `t`.
 */
export function nameIssue(name: string, checked: boolean, t: TFunction, max: number = NAME_MAX): string | undefined {
  if (isBlankName(name)) return checked ? t('validation.required') : undefined;
  return nameLength(name) > max ? t('validation.nameMax', { max }) : undefined;
}
