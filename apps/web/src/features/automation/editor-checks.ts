import { AUTOMATION_FIELD_MESSAGES, AUTOMATION_RANGES, ERROR_CATALOG, isTimeTrigger, nameKey } from '@innkeeper/contracts';
import type { AutomationTrigger } from '@innkeeper/contracts/api';
import type { FormItemProps } from 'antd';
import type { TFunction } from 'i18next';
import { controlPropsFor, issueProps, nameIssue, type Issues } from '../campaigns/index.ts';
import { currentLocale, i18n } from '../../lib/i18n.ts';

/** The id of the editor's input for `path`, so its Form.Item label names it (screen readers, getByLabel). */
export function ruleFieldId(path: string): string {
  return `automation-${path.replace(/\./g, '-')}`;
}

/** Form.Item props for the field at `path`: its label bound to the input (ruleControlProps) and its issues. */
export function fieldProps(issues: Issues, path: string): Pick<FormItemProps, 'validateStatus' | 'help' | 'htmlFor'> {
  return { htmlFor: ruleFieldId(path), ...issueProps(issues, path, ruleFieldId(path)) };
}

/** The props of the input at `path` (see fieldProps): its id, and its issues for assistive technology. */
export function ruleControlProps(issues: Issues, path: string): ReturnType<typeof controlPropsFor> {
  return controlPropsFor(ruleFieldId(path), issues.get(path) ?? []);
}

/** What the editor checks as staff type; the paths are the server's, so a field shows one message whichever found it. */
export type EditorDraft = { name: string; trigger: AutomationTrigger; steps: ReadonlyArray<{ kind: string; amount?: number | null; unit?: 'hours' | 'days' }> };

/**
 * Numbers the editor checks itself, completely: for these its finding (as the draft is now) replaces the last save's
 * answer. A name it checks only against the rules this account sees, so the server's refusal stays beside it.
 */
const CHECKED_HERE = /^(trigger\.days|trigger\.hour|steps\.\d+\.amount)$/;

/**
 * A name taken in another spelling (case, width, invisible characters): which rule has it, since staff typing 「VIP 續住優惠」
 * may not connect it with 「vip 續住優惠」 in the list (browser review).
 */
function takenAs(holder: string): string {
  return i18n.t('automation.editor.nameTakenAs', { name: holder });
}

function inRange(value: number | null | undefined, range: { min: number; max: number }): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max;
}

/**
 * The numbers out of the schema's ranges (AUTOMATION_RANGES: the server refuses the same, with the same message), a
 * name past its limit or another rule of the hotel already has (among the rules this account sees; the database refuses
 * the others) and, once staff have typed in the name or tried to save (`nameChecked`), a name of only spaces (said with `t`).
 */
export function editorIssues(draft: EditorDraft, otherNames: ReadonlySet<string>, options: { nameChecked: boolean; t: TFunction }): Map<string, string[]> {
  const locale = currentLocale();
  const field = (key: string) => AUTOMATION_FIELD_MESSAGES[key]![locale];
  const issues = new Map<string, string[]>();
  // As the server compares names: cleaned, in any case and width (migrations 0060, 0064).
  const taken = new Map([...otherNames].map((name) => [nameKey(name), name]));
  const holder = taken.get(nameKey(draft.name));
  const ownName = nameIssue(draft.name, options.nameChecked, options.t);
  if (ownName !== undefined) issues.set('name', [ownName]);
  else if (holder !== undefined) issues.set('name', [holder === draft.name ? ERROR_CATALOG['automation.name_taken'][locale] : takenAs(holder)]);
  const { trigger } = draft;
  if ('days' in trigger) {
    const quiet = trigger.kind === 'no_interaction';
    if (!inRange(trigger.days, quiet ? AUTOMATION_RANGES.quietDays : AUTOMATION_RANGES.days)) issues.set('trigger.days', [field(quiet ? 'field.automation_quiet_days' : 'field.automation_days')]);
  }
  if (isTimeTrigger(trigger.kind) && 'hour' in trigger && !inRange(trigger.hour, AUTOMATION_RANGES.hour)) issues.set('trigger.hour', [field('field.automation_hour')]);
  draft.steps.forEach((step, index) => {
    if (step.kind === 'wait' && !inRange(step.amount, step.unit === 'days' ? AUTOMATION_RANGES.waitDays : AUTOMATION_RANGES.waitHours)) issues.set(`steps.${index}.amount`, [field('field.automation_wait')]);
  });
  return issues;
}

/** The last save's field issues, with the editor's own findings in place of those for the fields it checks. */
export function withEditorIssues(server: Issues, own: ReadonlyMap<string, string[]>): Issues {
  const merged = new Map([...server].filter(([path]) => !CHECKED_HERE.test(path)));
  for (const [path, messages] of own) merged.set(path, [...new Set([...(merged.get(path) ?? []), ...messages])]);
  return merged;
}
