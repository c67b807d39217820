import type { Locale } from '@innkeeper/contracts';

export const LINE_FIELD_MESSAGES: Record<string, Record<Locale, string>> = {
  'field.line_channel_id': { 'zh-TW': 'Channel ID 是 6–20 位數字（在 LINE Developers 的 Basic settings）。', en: 'The channel ID is 6–20 digits (LINE Developers → Basic settings).' },
  'field.line_channel_secret': { 'zh-TW': 'Channel secret 是 32 個十六進位字元。', en: 'The channel secret is 32 hexadecimal characters.' },
  'field.line_access_token': { 'zh-TW': '請貼上完整的 Channel access token（長期）。', en: 'Paste the whole (long-lived) channel access token.' },
  'field.liff_id': { 'zh-TW': 'LIFF ID 格式如 1234567890-AbcdEfgh。', en: 'A LIFF ID looks like 1234567890-AbcdEfgh.' },
};
