import type { Locale } from './locales.ts';

/**
 * Automation (自動化行銷場景): the coded values of a rule, as plain lists so the web app can show them in its menus
 * without loading a validator; the schemas in ./api/automation.ts build on them.
 */

/** What starts a rule for a guest. The first three are events; the others are found by the hourly scan. */
export const AUTOMATION_TRIGGER_KINDS = ['tag_added', 'friend_added', 'binding_completed', 'checked_out', 'arrival', 'birthday', 'no_interaction'] as const;
/** Triggers found by the scan (at the rule's hour, hotel time) rather than by an event. */
export const AUTOMATION_TIME_TRIGGERS = ['checked_out', 'arrival', 'birthday', 'no_interaction'] as const;
/** What a step does: send a message, add or remove a tag, wait, or let only some guests go on. */
export const AUTOMATION_STEP_KINDS = ['send', 'add_tag', 'remove_tag', 'wait', 'if_clicked', 'if_tagged'] as const;
/** Where a guest's run of a rule is: waiting for its time, being worked on, or over. */
export const AUTOMATION_RUN_STATUSES = ['waiting', 'running', 'completed', 'exited', 'failed'] as const;
/** The three scenarios of the specification, ready for a hotel to switch on. */
export const AUTOMATION_TEMPLATE_KEYS = ['business_stay', 'family_travel', 'vip_repeat_stay'] as const;
/** At most this many steps in a rule. */
export const AUTOMATION_MAX_STEPS = 20;

/**
 * What a rule's numbers may be: the hour (hotel time) a time trigger lets guests in, its days after check-out or
 * before arrival, the days without interaction, and a wait (1 hour to 365 days). The schema refuses anything else
 * and the editor says so as staff type; neither moves a number into range.
 */
export const AUTOMATION_RANGES = {
  hour: { min: 0, max: 23 },
  days: { min: 0, max: 365 },
  quietDays: { min: 1, max: 3650 },
  waitHours: { min: 1, max: 8760 },
  waitDays: { min: 1, max: 365 },
} as const;

export type AutomationTriggerKind = (typeof AUTOMATION_TRIGGER_KINDS)[number];
export type AutomationStepKind = (typeof AUTOMATION_STEP_KINDS)[number];
export type AutomationRunStatus = (typeof AUTOMATION_RUN_STATUSES)[number];
export type AutomationTemplateKey = (typeof AUTOMATION_TEMPLATE_KEYS)[number];

export function isTimeTrigger(kind: AutomationTriggerKind): boolean {
  return (AUTOMATION_TIME_TRIGGERS as readonly string[]).includes(kind);
}

/** Field messages of rule validation (keys used as zod `error` values and in the service's field errors). */
export const AUTOMATION_FIELD_MESSAGES: Record<string, Record<Locale, string>> = {
  'field.automation_steps': { 'zh-TW': `規則需有 1 到 ${AUTOMATION_MAX_STEPS} 個步驟。`, en: `A rule has 1 to ${AUTOMATION_MAX_STEPS} steps.` },
  'field.automation_messages': { 'zh-TW': '發送步驟需有 1 到 5 則訊息。', en: 'A send step has 1 to 5 messages.' },
  'field.automation_tag': { 'zh-TW': '找不到此標籤。', en: 'Unknown tag.' },
  'field.automation_click_tag_kind': { 'zh-TW': '點擊按鈕只能加上活動標籤；基礎會員標籤（如 VIP）不能由顧客點擊取得。', en: 'A button can give activity tags only; basic member tags (such as VIP) are not given by a guest’s tap.' },
  'field.automation_segment': { 'zh-TW': '找不到此分眾。', en: 'Segment not found.' },
  'field.automation_property': { 'zh-TW': '找不到此館別，或您無權管理此館別。', en: 'Unknown property, or one you do not manage.' },
  'field.automation_clicked_step': { 'zh-TW': '請選擇此步驟之前、含按鈕的發送步驟。', en: 'Choose an earlier send step that has buttons.' },
  'field.automation_wait': { 'zh-TW': '等待時間須為整數，1 小時到 365 天（8760 小時）。', en: 'The wait must be a whole number, from 1 hour to 365 days (8,760 hours).' },
  'field.automation_days': { 'zh-TW': '請輸入 0 到 365 的整數天數。', en: 'Enter a whole number of days from 0 to 365.' },
  'field.automation_quiet_days': { 'zh-TW': '請輸入 1 到 3650 的整數天數。', en: 'Enter a whole number of days from 1 to 3650.' },
  'field.automation_hour': { 'zh-TW': '請輸入 0 到 23 的整點。', en: 'Enter a whole hour from 0 to 23.' },
};
