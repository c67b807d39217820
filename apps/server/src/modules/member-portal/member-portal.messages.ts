import type { Locale } from '@innkeeper/contracts';

export const PORTAL_FIELD_MESSAGES: Record<string, Record<Locale, string>> = {
  'field.portal_required_disabled': { 'zh-TW': '必填欄位必須先啟用。', en: 'A required field must be enabled.' },
  'field.portal_mobile_required': { 'zh-TW': '手機必須啟用且必填：綁定以手機驗證碼確認身分。', en: 'The mobile must be enabled and required: binding confirms it with a one-time code.' },
};
