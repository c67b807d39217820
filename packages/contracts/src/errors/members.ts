import type { ErrorEntry } from './entry.ts';

/** Members and their stays (modules/members). */
export const MEMBERS_ERRORS = {
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
} as const satisfies Record<string, ErrorEntry>;
