import type { AutomationTrigger } from '@innkeeper/contracts/api';
import type { TFunction } from 'i18next';

/** A trigger in a line: 「退房 3 天後（10 點）」, 「加上標籤「VIP」時」. */
export function triggerSummary(t: TFunction, trigger: AutomationTrigger, tagName: (id: string) => string): string {
  switch (trigger.kind) {
    case 'tag_added':
      return t('automation.triggerSummary.tag_added', { tag: tagName(trigger.tagId) });
    case 'checked_out':
    case 'arrival':
    case 'no_interaction':
      return t(`automation.triggerSummary.${trigger.kind}`, { days: trigger.days, hour: trigger.hour });
    case 'birthday':
      return t('automation.triggerSummary.birthday', { hour: trigger.hour });
    default:
      return t(`automation.triggerSummary.${trigger.kind}`);
  }
}
