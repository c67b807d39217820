import type { ErrorEntry } from './entry.ts';

/** The demo mailbox (modules/mailbox). */
export const MAILBOX_ERRORS = {
  'mailbox.disabled': { status: 404, 'zh-TW': '示範信箱僅在示範模式下、且未設定 SMTP 或簡訊服務時提供。', en: 'The demo mailbox exists only in demo mode, while no SMTP server or SMS provider is configured.' },
} as const satisfies Record<string, ErrorEntry>;
