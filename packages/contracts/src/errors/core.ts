import type { ErrorEntry } from './entry.ts';

/** Requests the server cannot take (malformed, too large, too frequent), unknown routes and unexpected failures. */
export const CORE_ERRORS = {
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
} as const satisfies Record<string, ErrorEntry>;
