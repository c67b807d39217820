import type { ErrorEntry } from './entry.ts';

/** The guest-facing LIFF pages, binding and its review queue (modules/member-portal). */
export const MEMBER_PORTAL_ERRORS = {
  'liff.invalid_token': { status: 401, 'zh-TW': 'LINE 登入驗證失敗，請從 LINE 重新開啟頁面。', en: 'LINE sign-in could not be verified; reopen the page from LINE.' },
  'liff.too_many_codes': { status: 429, 'zh-TW': '驗證碼發送太頻繁，請稍後再試。', en: 'Too many codes requested; please wait and try again.' },
  'liff.binding_unavailable': { status: 503, 'zh-TW': '目前無法透過手機綁定會員（尚未設定簡訊服務），請洽飯店櫃檯。', en: 'Membership binding by mobile is not available yet (no SMS service is set up); please ask the front desk.' },
  'liff.sms_failed': { status: 503, 'zh-TW': '簡訊暫時無法發送，請稍後再試。', en: 'The text message could not be sent; please try again later.' },
  'liff.wrong_code': { status: 400, 'zh-TW': '驗證碼不正確，請再試一次。', en: 'The code is incorrect; please try again.' },
  'liff.code_expired': { status: 400, 'zh-TW': '驗證碼已失效，請重新取得驗證碼。', en: 'The code has expired; please request a new one.' },
  'liff.missing_fields': { status: 400, 'zh-TW': '請填寫所有必填欄位。', en: 'Please fill in every required field.' },
  'liff.not_bound': { status: 409, 'zh-TW': '請先完成會員綁定。', en: 'Please bind your membership first.' },
  'member_portal.button_not_found': { status: 404, 'zh-TW': '找不到此按鈕。', en: 'Button not found.' },
  'binding_review.not_found': { status: 404, 'zh-TW': '找不到此待審核綁定。', en: 'Binding review not found.' },
  'binding_review.closed': { status: 409, 'zh-TW': '此綁定已處理。', en: 'This binding has already been handled.' },
  'binding_review.not_a_candidate': { status: 400, 'zh-TW': '只能連結到此審核列出的候選會員。', en: 'A review can only be linked to one of its candidate members.' },
  'binding_review.candidates_out_of_scope': { status: 403, 'zh-TW': '此審核有候選會員不在您的館別範圍內，請由可查看這些會員的同事處理。', en: 'Some candidates of this review belong to properties outside yours: a colleague who can see them must handle it.' },
} as const satisfies Record<string, ErrorEntry>;
