import type { ErrorEntry } from './entry.ts';

/** The PMS connection, its sync runs and the PMS match reviews (modules/pms). */
export const PMS_ERRORS = {
  'pms.connection_not_found': { status: 404, 'zh-TW': '找不到此 PMS 連線。', en: 'PMS connection not found.' },
  'pms.connection_exists': { status: 409, 'zh-TW': '已經有一個 PMS 連線；請修改現有的連線。', en: 'A PMS connection already exists; edit it instead.' },
  'pms.sync_running': { status: 409, 'zh-TW': '同步正在進行中，完成後再試。', en: 'A sync is already running; try again when it has finished.' },
  'pms.connection_disabled': { status: 409, 'zh-TW': '此連線已停用，請先啟用。', en: 'This connection is disabled; enable it first.' },
  'pms.insecure_url': { status: 400, 'zh-TW': 'PMS 網址必須使用 https://。', en: 'The PMS URL must use https://.' },
  'pms.internal_address': { status: 400, 'zh-TW': 'PMS 網址不可指向本系統的內部網路（localhost、私有或保留位址）。請填寫 PMS 對外的網址。', en: 'The PMS URL may not point into Innkeeper\'s own network (localhost, private or reserved addresses). Enter the PMS\'s public address.' },
  'pms.api_key_required': { status: 400, 'zh-TW': '請輸入連線金鑰。', en: 'Please enter the connection key.' },
  'pms.property_not_found': { status: 400, 'zh-TW': '對應的館別不存在。', en: 'A mapped property does not exist.' },
  'pms.review_not_found': { status: 404, 'zh-TW': '找不到此待審核比對。', en: 'PMS match review not found.' },
  'pms.review_closed': { status: 409, 'zh-TW': '此比對已處理。', en: 'This match has already been handled.' },
  'pms.profile_not_candidate': { status: 400, 'zh-TW': '選擇的 PMS 資料不在此比對的候選名單中。', en: 'The chosen PMS profile is not one of this match’s candidates.' },
  'pms.profile_taken': { status: 409, 'zh-TW': '此 PMS 資料已連結到其他會員。', en: 'This PMS profile is already linked to another member.' },
  'pms.file_missing': { status: 400, 'zh-TW': '請選擇要上傳的檔案（CSV 或 XLSX）。', en: 'Choose a file to upload (CSV or XLSX).' },
  'pms.file_too_large': { status: 413, 'zh-TW': '檔案太大（上限 50 MB）。請分成幾個較小的檔案。', en: 'The file is too large (limit 50 MB). Split it into smaller files.' },
  'pms.file_unreadable': { status: 400, 'zh-TW': '無法讀取此檔案：請上傳德安匯出的 GHIST_MN（住客資料）或 GUEST_MN（住房紀錄）CSV／XLSX，第一列為欄位名稱。', en: 'This file cannot be read: upload a Dean GHIST_MN (guests) or GUEST_MN (stays) CSV/XLSX export with the column names in the first row.' },
  // Another PMS's export (the generic import): any columns, so the hint names none of 德安's.
  'pms.import_unreadable': { status: 400, 'zh-TW': '無法讀取此檔案：請上傳 CSV 或 Excel（XLSX）檔，第一列為欄位名稱。', en: 'This file cannot be read: upload a CSV or Excel (XLSX) file with the column names in the first row.' },
  'pms.file_duplicate': { status: 409, 'zh-TW': '這個檔案已經匯入過（內容相同），不會再套用一次。', en: 'This file has already been imported (same content); it is not applied again.' },
  'pms.drop_dir_taken': { status: 409, 'zh-TW': '此放置資料夾已由其他連線使用，請換一個名稱。', en: 'Another connection uses this drop folder; choose another name.' },
  'pms.import_not_found': { status: 404, 'zh-TW': '找不到此匯入檔案，或已套用。', en: 'Import file not found, or already applied.' },
  'pms.mapping_unknown_columns': { status: 400, 'zh-TW': '欄位對應中有此檔案沒有的欄位，請重新選擇。', en: 'The mapping names columns this file does not have; choose them again.' },
  'pms.mapping_not_found': { status: 404, 'zh-TW': '找不到此欄位對應。', en: 'Column mapping not found.' },
  'pms.mapping_name_taken': { status: 409, 'zh-TW': '已有同名的欄位對應。', en: 'A column mapping with this name already exists.' },
} as const satisfies Record<string, ErrorEntry>;
