import type { ErrorEntry } from './entry.ts';

/** Tags (modules/tags). */
export const TAGS_ERRORS = {
  'tag.not_found': { status: 404, 'zh-TW': '找不到此標籤。', en: 'Tag not found.' },
  'tag.name_taken': { status: 409, 'zh-TW': '標籤名稱已存在。', en: 'A tag with this name already exists.' },
  'tag.in_use': { status: 409, 'zh-TW': '此標籤仍被排程中的活動或啟用中的規則使用，無法刪除。', en: 'A scheduled campaign or an active rule still uses this tag; it cannot be deleted.' },
} as const satisfies Record<string, ErrorEntry>;
