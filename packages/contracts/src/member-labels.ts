import type { Locale } from './locales.ts';

/**
 * The words for a member's coded values (gender, language, LINE status, …), in each locale. One source for the web app
 * (merged into its `members` texts at start-up) and for the server's exports, so a file says what the screen says.
 */
export type MemberValueLabels = {
  gender: { female: string; male: string; other: string; unknown: string };
  language: { 'zh-TW': string; en: string; ja: string; ko: string; other: string };
  lineStatus: { following: string; blocked: string; never: string };
  identityType: { national_id: string; resident_certificate: string; passport: string };
  optIn: { yes: string; no: string };
  origin: { staff: string; line: string; liff: string; import: string; pms: string; api: string; campaign: string; rule: string; demo: string; unknown: string };
};

export const MEMBER_VALUE_LABELS: Record<Locale, MemberValueLabels> = {
  'zh-TW': {
    gender: { female: '女', male: '男', other: '其他', unknown: '未提供' },
    language: { 'zh-TW': '中文', en: '英文', ja: '日文', ko: '韓文', other: '其他' },
    lineStatus: { following: '好友', blocked: '已封鎖', never: '未加入 LINE 好友' },
    identityType: { national_id: '身分證', resident_certificate: '居留證', passport: '護照' },
    optIn: { yes: '同意', no: '未同意' },
    origin: { staff: '後台人員', line: 'LINE', liff: '會員專區', import: '匯入', pms: 'PMS', api: 'API', campaign: '活動', rule: '自動規則', demo: '示範資料', unknown: '未記錄' },
  },
  en: {
    gender: { female: 'Female', male: 'Male', other: 'Other', unknown: 'Not given' },
    language: { 'zh-TW': 'Chinese', en: 'English', ja: 'Japanese', ko: 'Korean', other: 'Other' },
    lineStatus: { following: 'Friend', blocked: 'Blocked', never: 'Not a LINE friend' },
    identityType: { national_id: 'National ID', resident_certificate: 'Resident certificate', passport: 'Passport' },
    optIn: { yes: 'Opted in', no: 'Not opted in' },
    origin: { staff: 'staff', line: 'LINE', liff: 'member page', import: 'import', pms: 'PMS', api: 'API', campaign: 'campaign', rule: 'rule', demo: 'demo data', unknown: 'not recorded' },
  },
};

/** The word for one coded value; a code without a word (a newer value) is given as it is. */
export function memberValueLabel<K extends keyof MemberValueLabels>(locale: Locale, kind: K, code: string): string {
  const words = MEMBER_VALUE_LABELS[locale][kind] as Record<string, string>;
  return Object.hasOwn(words, code) ? words[code]! : code;
}
