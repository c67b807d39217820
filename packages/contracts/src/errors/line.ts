import type { ErrorEntry } from './entry.ts';

/** LINE Official Account channels and webhooks (modules/line). */
export const LINE_ERRORS = {
  'line.channel_not_found': { status: 404, 'zh-TW': '找不到此 LINE 官方帳號設定。', en: 'LINE channel not found.' },
  'line.channel_taken': { status: 409, 'zh-TW': '此 Channel ID 已經連結。', en: 'This channel is already connected.' },
  'line.property_has_channel': { status: 409, 'zh-TW': '此館別已連結一個 LINE 官方帳號。', en: 'This property already has a LINE Official Account.' },
  'line.bad_signature': { status: 401, 'zh-TW': 'LINE 簽章驗證失敗。', en: 'The LINE signature is invalid.' },
  'line.bad_webhook_body': { status: 400, 'zh-TW': 'LINE Webhook 內容格式錯誤。', en: 'The LINE webhook body is malformed.' },
  'line.unavailable': { status: 502, 'zh-TW': '暫時無法連線到 LINE，請稍後再試。', en: 'LINE cannot be reached right now; please try again later.' },
} as const satisfies Record<string, ErrorEntry>;
