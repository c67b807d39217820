import type { ErrorEntry } from './entry.ts';

/** Member import and export (modules/member-transfer). */
export const MEMBER_TRANSFER_ERRORS = {
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
  'member_export.too_large': { status: 422, 'zh-TW': '匯出筆數超過 50,000 筆上限，請縮小名單範圍後再試。', en: 'Exports are limited to 50,000 members; narrow the audience and try again.' },
} as const satisfies Record<string, ErrorEntry>;
