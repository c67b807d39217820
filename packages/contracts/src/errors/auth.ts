import type { ErrorEntry } from './entry.ts';

/** Signing in, sessions, second factors, links and passwords (modules/auth). */
export const AUTH_ERRORS = {
  'auth.unauthenticated': { status: 401, 'zh-TW': '請先登入。', en: 'Please sign in.' },
  'auth.session_expired': { status: 401, 'zh-TW': '登入已逾時，請重新登入。', en: 'Your session has expired; please sign in again.' },
  'auth.invalid_credentials': { status: 401, 'zh-TW': '電子郵件或密碼錯誤。', en: 'Incorrect email or password.' },
  'auth.account_locked': { status: 429, 'zh-TW': '登入失敗次數過多，帳號已暫時鎖定，請稍後再試。', en: 'Too many failed sign-ins; the account is temporarily locked.' },
  'auth.account_disabled': { status: 403, 'zh-TW': '此帳號已停用，請聯絡管理員。', en: 'This account is disabled; please contact your administrator.' },
  'auth.tenant_suspended': { status: 403, 'zh-TW': '此飯店的服務已暫停。', en: 'Service for this hotel group is suspended.' },
  'auth.second_factor_required': { status: 401, 'zh-TW': '請完成兩步驟驗證。', en: 'Please complete two-step verification.' },
  'auth.already_signed_in': { status: 409, 'zh-TW': '您已經登入。', en: 'You are already signed in.' },
  'auth.invalid_code': { status: 401, 'zh-TW': '驗證碼錯誤或已過期。', en: 'The code is incorrect or has expired.' },
  'auth.too_many_code_attempts': { status: 429, 'zh-TW': '驗證碼錯誤次數過多，請重新登入。', en: 'Too many wrong codes; please sign in again.' },
  'auth.csrf_invalid': { status: 403, 'zh-TW': '安全驗證失敗，請重新整理頁面後再試。', en: 'Security check failed; reload the page and try again.' },
  'auth.forbidden': { status: 403, 'zh-TW': '您沒有執行此操作的權限。', en: 'You do not have permission to do this.' },
  'auth.invalid_link': { status: 400, 'zh-TW': '連結無效或已過期，請重新申請。', en: 'This link is invalid or has expired; please request a new one.' },
  'auth.password_too_weak': { status: 400, 'zh-TW': '密碼至少需 10 個字元，且不可與電子郵件相同。', en: 'Passwords need at least 10 characters and must differ from the email.' },
  'auth.wrong_password': { status: 400, 'zh-TW': '目前密碼不正確。', en: 'The current password is incorrect.' },
  'auth.totp_already_enabled': { status: 409, 'zh-TW': '已啟用驗證器 App。', en: 'An authenticator app is already enabled.' },
  'auth.totp_not_enrolling': { status: 409, 'zh-TW': '請先開始設定驗證器 App。', en: 'Start the authenticator set-up first.' },
  'auth.totp_not_enabled': { status: 409, 'zh-TW': '尚未啟用驗證器 App。', en: 'No authenticator app is enabled.' },
  'auth.mail_failed': { status: 503, 'zh-TW': '無法寄出電子郵件，請稍後再試。', en: 'The email could not be sent; please try again later.' },
} as const satisfies Record<string, ErrorEntry>;
