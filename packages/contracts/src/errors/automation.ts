import type { ErrorEntry } from './entry.ts';

/** Automation rules (modules/automation). */
export const AUTOMATION_ERRORS = {
  'automation.not_found': { status: 404, 'zh-TW': '找不到此自動化規則。', en: 'Automation rule not found.' },
  'automation.enabled': { status: 409, 'zh-TW': '規則啟用中，請先停用再修改或刪除。', en: 'The rule is switched on; switch it off before changing or deleting it.' },
  'automation.name_taken': { status: 409, 'zh-TW': '已有其他自動化規則使用這個名稱（可能屬於其他館別），請換一個名稱。', en: 'Another automation rule already has this name (perhaps at another property); choose another name.' },
  'automation.changed': { status: 409, 'zh-TW': '規則已在您檢視後被修改，請重新檢視後再試。', en: 'The rule changed after you reviewed it; review it again and retry.' },
  'automation.property_out_of_scope': { status: 403, 'zh-TW': '此規則屬於您無權管理的館別（全集團規則僅限可管理所有館別的帳號）。', en: 'This rule belongs to a property you do not manage (group-wide rules need access to all properties).' },
  'automation.template_tag_kind': { status: 409, 'zh-TW': '此範本會在顧客點擊時加上「{tag}」，但貴館的「{tag}」是基礎會員標籤，點擊只能加上活動標籤。請將它改為活動標籤，或改名後再套用範本。', en: 'This template gives “{tag}” when a guest taps, but your “{tag}” is a basic member tag; a tap gives activity tags only. Make it an activity tag, or rename it, and use the template again.' },
  'automation.template_tag_missing': { status: 403, 'zh-TW': '此範本需要標籤「{tag}」，而您沒有新增標籤的權限。請有標籤權限的同仁先建立此標籤，或由他們套用範本。', en: 'This template needs the tag “{tag}”, and you may not create tags. Ask someone with the tags permission to create it, or to use the template.' },
  'automation.tag_steps_forbidden': { status: 403, 'zh-TW': '此規則有「加上標籤」或「移除標籤」步驟，而您沒有為會員加上或移除標籤的權限。請移除這些步驟，或請有標籤權限的同仁建立、修改或啟用此規則。', en: 'This rule has “Add a tag” or “Remove a tag” steps, and you may not tag members. Remove those steps, or ask someone with the tags permission to create, change or switch on the rule.' },
  'automation.tag_gone': { status: 409, 'zh-TW': '此規則使用的標籤已被刪除。請在規則中改選其他標籤、儲存後再啟用。', en: 'A tag this rule uses has been deleted. Choose another tag in the rule, save it, then switch it on.' },
  'automation.no_channel': { status: 409, 'zh-TW': '此規則會發送訊息，但其館別尚未連結 LINE 官方帳號。', en: 'This rule sends messages, but no LINE channel is connected for its property.' },
} as const satisfies Record<string, ErrorEntry>;
