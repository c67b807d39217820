import type { ErrorEntry } from './entry.ts';

/** The PMS connection, its sync runs and the PMS match reviews (modules/pms). */
export const PMS_ERRORS = {
  'pms.connection_not_found': { status: 404, 'zh-TW': '找不到此 PMS 連線。', en: 'PMS connection not found.' },
  'pms.connection_exists': { status: 409, 'zh-TW': '已經有一個 PMS 連線；請修改現有的連線。', en: 'A PMS connection already exists; edit it instead.' },
  'pms.sync_running': { status: 409, 'zh-TW': '同步正在進行中，完成後再試。', en: 'A sync is already running; try again when it has finished.' },
  'pms.connection_disabled': { status: 409, 'zh-TW': '此連線已停用，請先啟用。', en: 'This connection is disabled; enable it first.' },
  'pms.insecure_url': { status: 400, 'zh-TW': 'PMS 網址必須使用 https://。', en: 'The PMS URL must use https://.' },
  'pms.internal_address': { status: 400, 'zh-TW': 'PMS 網址不可指向本系統的內部網路（localhost、私有或保留位址）。請填寫 PMS 對外的網址。', en: 'The PMS URL may not point into Innkeeper\'s own network (localhost, private or reserved addresses). Enter the PMS\'s public address.' },
  'pms.api_key_required': { status: 400, 'zh-TW': '請輸入 API 金鑰。', en: 'Please enter the API key.' },
  'pms.property_not_found': { status: 400, 'zh-TW': '對應的館別不存在。', en: 'A mapped property does not exist.' },
  'pms.review_not_found': { status: 404, 'zh-TW': '找不到此待審核比對。', en: 'PMS match review not found.' },
  'pms.review_closed': { status: 409, 'zh-TW': '此比對已處理。', en: 'This match has already been handled.' },
  'pms.profile_not_candidate': { status: 400, 'zh-TW': '選擇的 PMS 資料不在此比對的候選名單中。', en: 'The chosen PMS profile is not one of this match’s candidates.' },
  'pms.profile_taken': { status: 409, 'zh-TW': '此 PMS 資料已連結到其他會員。', en: 'This PMS profile is already linked to another member.' },
} as const satisfies Record<string, ErrorEntry>;
