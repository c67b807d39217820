import type { Locale } from './locales.ts';

type Entry = { status: number; 'zh-TW': string; en: string };

/**
 * Every error the API can answer, with its HTTP status and message in each locale: the one table that maps codes to
 * statuses. The API sends `{ error: { code, message, details } }` with `message` in the caller's language.
 */
export const ERROR_CATALOG = {
  'request.validation': { status: 400, 'zh-TW': '輸入資料有誤，請檢查標示的欄位。', en: 'Some fields are invalid; please check them.' },
  'request.malformed_json': { status: 400, 'zh-TW': '請求內容不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  'request.bad_request': { status: 400, 'zh-TW': '請求格式有誤。', en: 'The request is malformed.' },
  'request.too_large': { status: 413, 'zh-TW': '請求內容過大。', en: 'The request body is too large.' },
  'request.unsupported_media_type': { status: 415, 'zh-TW': '不支援的內容類型。', en: 'Unsupported content type.' },
  'request.uri_too_long': { status: 414, 'zh-TW': '網址過長。', en: 'The URL is too long.' },
  'request.headers_too_large': { status: 431, 'zh-TW': '網址或標頭過長。', en: 'The URL or the request headers are too long.' },
  'request.timeout': { status: 408, 'zh-TW': '請求逾時，請再試一次。', en: 'The request timed out; please try again.' },
  'request.rate_limited': { status: 429, 'zh-TW': '請求過於頻繁，請稍後再試。', en: 'Too many requests; please try again later.' },
  'route.not_found': { status: 404, 'zh-TW': '找不到此 API 路徑。', en: 'No such API route.' },
  internal: { status: 500, 'zh-TW': '系統發生錯誤，請稍後再試。', en: 'Something went wrong; please try again later.' },

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

  'tenant.not_found': { status: 404, 'zh-TW': '找不到此飯店集團。', en: 'Hotel group not found.' },
  'tenant.slug_taken': { status: 409, 'zh-TW': '此代號已被使用。', en: 'This short name is already taken.' },
  'tenant.platform_locked': { status: 409, 'zh-TW': '平台本身不可停用。', en: 'The platform itself cannot be suspended.' },
  'property.not_found': { status: 404, 'zh-TW': '找不到此館別。', en: 'Property not found.' },
  'property.code_taken': { status: 409, 'zh-TW': '此館別代碼已被使用。', en: 'This property code is already in use.' },
  'role.not_found': { status: 404, 'zh-TW': '找不到此角色。', en: 'Role not found.' },
  'role.name_taken': { status: 409, 'zh-TW': '角色名稱已存在。', en: 'A role with this name already exists.' },
  'role.builtin_readonly': { status: 409, 'zh-TW': '內建角色不可修改或刪除。', en: 'Built-in roles cannot be changed or deleted.' },
  'role.platform_fixed': { status: 409, 'zh-TW': '平台帳號只使用內建的平台營運角色。', en: 'Platform accounts use the built-in operator role only.' },
  'role.in_use': { status: 409, 'zh-TW': '仍有帳號使用此角色，無法刪除。', en: 'Accounts still use this role; it cannot be deleted.' },
  'role.permission_not_held': { status: 403, 'zh-TW': '不能授予或變更您自己沒有的權限。', en: 'You cannot grant or change a permission you do not hold.' },
  'role.own_role': { status: 403, 'zh-TW': '不能修改自己所屬的角色。', en: 'You cannot edit the role you are assigned.' },
  'account.not_found': { status: 404, 'zh-TW': '找不到此帳號。', en: 'Account not found.' },
  'account.email_taken': { status: 409, 'zh-TW': '此電子郵件已被使用。', en: 'This email address is already in use.' },
  'account.cannot_change_self': { status: 409, 'zh-TW': '不能停用自己的帳號或變更自己的角色。', en: 'You cannot disable your own account or change your own role.' },
  'account.last_administrator': { status: 409, 'zh-TW': '至少需保留一位啟用中的管理員。', en: 'At least one active administrator must remain.' },
  'account.administrators_only': { status: 403, 'zh-TW': '只有管理員可以變更管理員帳號或指派管理員角色。', en: 'Only administrators can change administrator accounts or assign the administrator role.' },
  'account.outranks_caller': { status: 403, 'zh-TW': '此帳號擁有您沒有的權限或館別，您無法變更。', en: 'This account holds permissions or properties you do not; you cannot change it.' },
  'account.property_not_held': { status: 403, 'zh-TW': '不能指派您無權存取的館別。', en: 'You cannot grant access to properties you do not have.' },
  'member.not_found': { status: 404, 'zh-TW': '找不到此會員。', en: 'Member not found.' },
  'member.property_out_of_scope': { status: 403, 'zh-TW': '此館別不在您可管理的館別範圍內。', en: 'This property is outside the properties you manage.' },
  'member.duplicate_identity': { status: 409, 'zh-TW': '已有會員使用這個身分證／護照號碼。', en: 'Another member already has this ID or passport number.' },
  'member.not_deleted': { status: 409, 'zh-TW': '只有已刪除的會員可以復原或永久清除。', en: 'Only deleted members can be restored or erased.' },
  'member.line_conflict': { status: 409, 'zh-TW': '此 LINE 帳號已連結到另一位會員，無法復原。', en: 'This LINE account is now linked to another member; it cannot be restored.' },
  'member.line_already_linked': { status: 409, 'zh-TW': '此會員已連結另一個 LINE 帳號。', en: 'This member is already linked to another LINE account.' },
  'member.needs_a_key': { status: 400, 'zh-TW': '請至少保留姓名、手機、Email 或證件號碼其中一項。', en: 'Keep at least a name, a mobile number, an email or an ID / passport number.' },
  'member.merge_same': { status: 400, 'zh-TW': '不能把會員合併到自己。', en: 'A member cannot be merged into itself.' },
  'stay.external_id_taken': { status: 409, 'zh-TW': '此館別已有相同訂房編號的住房紀錄。', en: 'This property already has a stay with this reservation number.' },
  'stay.dates_reversed': { status: 400, 'zh-TW': '退房日不可早於入住日。', en: 'Check-out cannot be before check-in.' },
  'tag.not_found': { status: 404, 'zh-TW': '找不到此標籤。', en: 'Tag not found.' },
  'tag.name_taken': { status: 409, 'zh-TW': '標籤名稱已存在。', en: 'A tag with this name already exists.' },
  'tag.in_use': { status: 409, 'zh-TW': '此標籤仍被排程中的活動或啟用中的規則使用，無法刪除。', en: 'A scheduled campaign or an active rule still uses this tag; it cannot be deleted.' },
  'segment.not_found': { status: 404, 'zh-TW': '找不到此分眾。', en: 'Segment not found.' },
  'segment.name_taken': { status: 409, 'zh-TW': '分眾名稱已存在。', en: 'A segment with this name already exists.' },
  'line.channel_not_found': { status: 404, 'zh-TW': '找不到此 LINE 官方帳號設定。', en: 'LINE channel not found.' },
  'line.channel_taken': { status: 409, 'zh-TW': '此 Channel ID 已經連結。', en: 'This channel is already connected.' },
  'line.property_has_channel': { status: 409, 'zh-TW': '此館別已連結一個 LINE 官方帳號。', en: 'This property already has a LINE Official Account.' },
  'line.bad_signature': { status: 401, 'zh-TW': 'LINE 簽章驗證失敗。', en: 'The LINE signature is invalid.' },
  'line.bad_webhook_body': { status: 400, 'zh-TW': 'LINE Webhook 內容格式錯誤。', en: 'The LINE webhook body is malformed.' },
  'line.unavailable': { status: 502, 'zh-TW': '暫時無法連線到 LINE，請稍後再試。', en: 'LINE cannot be reached right now; please try again later.' },
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
  'mailbox.disabled': { status: 404, 'zh-TW': '示範信箱僅在示範模式下、且未設定 SMTP 或簡訊服務時提供。', en: 'The demo mailbox exists only in demo mode, while no SMTP server or SMS provider is configured.' },
  'member_import.not_found': { status: 404, 'zh-TW': '找不到此匯入作業。', en: 'Import not found.' },
  'member_import.file_missing': { status: 400, 'zh-TW': '請選擇要上傳的檔案。', en: 'Choose a file to upload.' },
  'member_import.file_too_large': { status: 413, 'zh-TW': '檔案超過 20 MB 上限，請分批匯入。', en: 'The file is larger than 20 MB; please split it.' },
  'member_import.unsupported_format': { status: 415, 'zh-TW': '只支援 CSV 與 Excel（.xlsx）檔案；舊版 .xls 請另存為 .xlsx。', en: 'Only CSV and Excel (.xlsx) files are supported; save old .xls files as .xlsx.' },
  'member_import.unreadable': { status: 400, 'zh-TW': '無法讀取此檔案，請確認檔案未損毀。', en: 'The file could not be read; please check that it is not damaged.' },
  'member_import.empty': { status: 400, 'zh-TW': '檔案中沒有標題列或資料列。', en: 'The file has no header row or no data rows.' },
  'member_import.too_many_rows': { status: 400, 'zh-TW': '單次匯入最多 200,000 列，請分批匯入。', en: 'An import can have at most 200,000 rows; please split the file.' },
  'member_import.invalid_mapping': { status: 400, 'zh-TW': '欄位對應有誤，請檢查標示的欄位。', en: 'The column mapping is invalid; please check the marked fields.' },
  'member_import.file_removed': { status: 410, 'zh-TW': '此匯入的檔案已刪除（匯入完成、上傳超過一天，或檔案中的會員已被清除後即刪除），請重新上傳。', en: 'This import’s file has been deleted (once imported, a day after upload, or when a guest in it was erased); please upload it again.' },
  'member_import.wrong_status': { status: 409, 'zh-TW': '此匯入目前的狀態不允許這個操作，請重新整理後再試。', en: 'The import is not in a state that allows this; reload and try again.' },
  'campaign.not_found': { status: 404, 'zh-TW': '找不到此活動。', en: 'Campaign not found.' },
  'campaign.wrong_status': { status: 409, 'zh-TW': '此活動目前的狀態不允許這個操作，請重新整理後再試。', en: 'The campaign is not in a state that allows this; reload and try again.' },
  'campaign.changed': { status: 409, 'zh-TW': '活動內容已在您檢視後被修改，請重新檢視後再核准。', en: 'The campaign changed after you reviewed it; review it again before approving.' },
  'campaign.property_out_of_scope': { status: 403, 'zh-TW': '此活動屬於您無權管理的館別（全集團活動僅限可管理所有館別的帳號）。', en: 'This campaign belongs to a property you do not manage (group-wide campaigns need access to all properties).' },
  'campaign_image.not_found': { status: 404, 'zh-TW': '找不到此圖片。', en: 'Image not found.' },
  'campaign_image.file_missing': { status: 400, 'zh-TW': '請選擇要上傳的圖片。', en: 'Choose an image to upload.' },
  'campaign_image.too_large': { status: 413, 'zh-TW': '圖片超過 LINE 的 10 MB 上限。', en: 'The image is larger than LINE’s 10 MB limit.' },
  'campaign_image.unsupported_format': { status: 415, 'zh-TW': 'LINE 只接受 JPEG 與 PNG 圖片。', en: 'LINE accepts JPEG and PNG images only.' },
  'campaign_image.preview_required': { status: 400, 'zh-TW': '圖片超過 1 MB，請另外上傳 1 MB 以內的預覽圖（LINE 的預覽圖上限）。', en: 'The image is over 1 MB; also upload a preview image of at most 1 MB (LINE’s preview limit).' },
  'campaign_image.preview_too_large': { status: 413, 'zh-TW': '預覽圖超過 LINE 的 1 MB 上限。', en: 'The preview image is larger than LINE’s 1 MB limit.' },
  'member_export.too_large': { status: 422, 'zh-TW': '匯出筆數超過 50,000 筆上限，請縮小名單範圍後再試。', en: 'Exports are limited to 50,000 members; narrow the audience and try again.' },
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return ERROR_CATALOG[code][locale];
}

export function errorStatus(code: ErrorCode): number {
  return ERROR_CATALOG[code].status;
}

/** The body of every failed API response. */
export type ApiErrorBody = {
  error: { code: ErrorCode; message: string; details?: unknown };
};

/** A field-level problem inside `details.issues` of a `request.validation` error. */
export type FieldIssue = { path: string; code: string; message: string };
