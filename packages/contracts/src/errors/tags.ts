import type { ErrorEntry } from './entry.ts';

/** Tags (modules/tags). */
export const TAGS_ERRORS = {
  'tag.not_found': { status: 404, 'zh-TW': '找不到此標籤。', en: 'Tag not found.' },
  // {name}: the tag that has it, as it is spelled (names are one whatever their case: 「vip」 is taken by 「VIP」).
  'tag.name_taken': { status: 409, 'zh-TW': '已有標籤「{name}」，標籤名稱不分大小寫與全形半形，請換一個名稱。', en: 'The tag “{name}” already has this name (names are the same in any case, in full-width or half-width letters); choose another name.' },
  'tag.held_outside_scope': { status: 403, 'zh-TW': '此標籤也貼在您館別以外的會員身上，刪除會影響您看不到的會員，請由可查看所有館別的帳號刪除。', en: 'Members outside your properties also carry this tag; deleting it would change members you cannot see, so an account that sees all properties must delete it.' },
  'tag.in_use': { status: 409, 'zh-TW': '此標籤仍被排程中的活動或啟用中的規則使用，無法刪除。', en: 'A scheduled campaign or an active rule still uses this tag; it cannot be deleted.' },
} as const satisfies Record<string, ErrorEntry>;
