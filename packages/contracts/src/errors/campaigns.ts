import type { ErrorEntry } from './entry.ts';

/** Campaigns and their images (modules/campaigns). */
export const CAMPAIGNS_ERRORS = {
  'campaign.not_found': { status: 404, 'zh-TW': '找不到此活動。', en: 'Campaign not found.' },
  'campaign.wrong_status': { status: 409, 'zh-TW': '此活動目前的狀態不允許這個操作，請重新整理後再試。', en: 'The campaign is not in a state that allows this; reload and try again.' },
  'campaign.changed': { status: 409, 'zh-TW': '活動內容已在您檢視後被修改，請重新檢視後再核准。', en: 'The campaign changed after you reviewed it; review it again before approving.' },
  'campaign.property_out_of_scope': { status: 403, 'zh-TW': '此活動屬於您無權管理的館別（全集團活動僅限可管理所有館別的帳號）。', en: 'This campaign belongs to a property you do not manage (group-wide campaigns need access to all properties).' },
  'campaign.over_quota': { status: 409, 'zh-TW': '此活動需要 {cost} 則訊息，超過本月剩餘的 {remaining} 則 LINE 訊息額度；確認後仍可核准（超出的部分 LINE 不會送出）。', en: 'This campaign costs {cost} messages, more than the {remaining} left in this month’s LINE quota; confirm to approve it anyway (LINE will not send beyond the quota).' },
  'campaign.test_send_unknown_guests': { status: 400, 'zh-TW': '有 {count} 位選擇的會員不存在或不在您管理的館別內。', en: '{count} of the chosen guests do not exist or are outside your properties.' },
  'campaign.test_send_account_limit': { status: 409, 'zh-TW': '每個帳號的測試發送在 {days} 天內最多送給 {limit} 位不同的會員（通常是同仁自己的 LINE，可重複送給同一批人）；您已送給 {used} 位。要送給更多會員，請核准並發送活動。', en: 'An account’s test sends reach at most {limit} different guests in {days} days (usually the staff’s own LINE accounts; the same ones may get them again); you have reached {used}. To reach more guests, approve and send the campaign.' },
  'campaign.test_send_limit': { status: 409, 'zh-TW': '每個活動的測試發送最多送給 {limit} 位會員（可重複送給同一批人）；此活動已測試發送給 {used} 位。', en: 'A campaign’s test sends reach at most {limit} guests in all (the same ones may get it again); this one has reached {used}.' },
  'campaign.test_send_no_messages': { status: 400, 'zh-TW': '活動還沒有訊息，無法測試發送。', en: 'The campaign has no messages to test yet.' },
  'campaign.no_channel': { status: 409, 'zh-TW': '此活動的館別尚未連結 LINE 官方帳號。', en: 'No LINE channel is connected for this campaign’s property.' },
  'campaign_image.not_found': { status: 404, 'zh-TW': '找不到此圖片。', en: 'Image not found.' },
  'campaign_image.file_missing': { status: 400, 'zh-TW': '請選擇要上傳的圖片。', en: 'Choose an image to upload.' },
  'campaign_image.too_large': { status: 413, 'zh-TW': '圖片超過 LINE 的 10 MB 上限。', en: 'The image is larger than LINE’s 10 MB limit.' },
  'campaign_image.unsupported_format': { status: 415, 'zh-TW': 'LINE 只接受 JPEG 與 PNG 圖片。', en: 'LINE accepts JPEG and PNG images only.' },
  'campaign_image.preview_required': { status: 400, 'zh-TW': '圖片超過 1 MB，請另外上傳 1 MB 以內的預覽圖（LINE 的預覽圖上限）。', en: 'The image is over 1 MB; also upload a preview image of at most 1 MB (LINE’s preview limit).' },
  'campaign_image.preview_too_large': { status: 413, 'zh-TW': '預覽圖超過 LINE 的 1 MB 上限。', en: 'The preview image is larger than LINE’s 1 MB limit.' },
} as const satisfies Record<string, ErrorEntry>;
