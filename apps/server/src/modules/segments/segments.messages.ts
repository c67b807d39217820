import type { Locale } from '@innkeeper/contracts';

export const SEGMENT_FIELD_MESSAGES: Record<string, Record<Locale, string>> = {
  'field.segment_too_deep': { 'zh-TW': '條件群組最多巢狀 4 層。', en: 'Condition groups can be nested at most 4 deep.' },
  'field.segment_too_large': { 'zh-TW': '一個分眾最多 60 個條件。', en: 'A segment can have at most 60 conditions.' },
  'field.segment_min_children': { 'zh-TW': '「至少幾位小孩」只能搭配「有小孩同行」。', en: '“At least N children” goes only with “with children”.' },
  'field.segment_property': { 'zh-TW': '找不到此館別，或您無權查看此館別。', en: 'Unknown property, or one you may not see.' },
};
