import type { Locale } from './locales.ts';

/**
 * LINE's limits for what a campaign can send (Messaging API reference: message objects, action objects, template and
 * Flex messages), in one place: the server's validation and the builder's character counters both read them.
 * Lengths are in UTF-16 code units, as LINE counts them (a JavaScript string's length).
 */
export const LINE_LIMITS = {
  messagesPerRequest: 5,
  textLength: 5000,
  altTextLength: 1500,
  uriLength: 1000,
  postbackDataLength: 300,
  displayTextLength: 300,
  /** Action labels: 20 in templates (buttons), 40 on a Flex button. */
  templateLabelLength: 20,
  flexLabelLength: 40,
  buttonsTitleLength: 40,
  buttonsTextLength: 160,
  /** A buttons template with an image or a title has 60 characters of text. */
  buttonsTextWithImageOrTitleLength: 60,
  buttonsActions: 4,
  /** Flex bubbles have no per-field limit; ours keep a bubble readable on a phone, and its JSON under LINE's 30 KB. */
  bubbleTitleLength: 100,
  bubbleTextLength: 1000,
  bubbleActions: 4,
  bubbleJsonBytes: 30 * 1024,
  carouselBubbles: 12,
  carouselJsonBytes: 50 * 1024,
  imageBytes: 10 * 1024 * 1024,
  previewImageBytes: 1024 * 1024,
  /** A buttons template's thumbnail is at most 1,024 px wide. */
  thumbnailMaxWidth: 1024,
  imageUrlLength: 2000,
} as const;

/** The weekly cap of marketing pushes per guest a tenant may set (none: no cap). */
export const CAMPAIGN_WEEKLY_CAP = { min: 1, max: 50 } as const;

/**
 * Personalisation in text messages: `{firstName}` is replaced per guest when sent (a personalised campaign is pushed
 * to each guest instead of multicast). `maxLength` is the longest value a placeholder can become, counted against
 * LINE's 5,000 characters.
 */
export const CAMPAIGN_PLACEHOLDERS = {
  firstName: { maxLength: 100 },
  lastName: { maxLength: 100 },
  displayName: { maxLength: 100 },
  memberNo: { maxLength: 20 },
} as const;

export type CampaignPlaceholder = keyof typeof CAMPAIGN_PLACEHOLDERS;

const PLACEHOLDER = /\{([^{}\s]*)\}/g;

/** The `{name}` placeholders a text contains, known or not, in order. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export function isKnownPlaceholder(name: string): name is CampaignPlaceholder {
  return Object.hasOwn(CAMPAIGN_PLACEHOLDERS, name);
}

/** The longest a text can become once every placeholder is replaced: what LINE will count against its limit. */
export function longestLength(text: string): number {
  let length = text.length;
  for (const name of placeholdersIn(text)) if (isKnownPlaceholder(name)) length += CAMPAIGN_PLACEHOLDERS[name].maxLength - (name.length + 2);
  return length;
}

/** Whether a text is personalised (such a campaign is pushed guest by guest rather than multicast). */
export function isPersonalised(text: string): boolean {
  return placeholdersIn(text).some(isKnownPlaceholder);
}

/**
 * How a guest whose record has no name is addressed: a friend who never bound or gave a name has only their LINE name,
 * and 「 您好！」 with nothing before it reads as a mistake. 貴賓 is what a hotel calls a guest it cannot name.
 */
export const UNNAMED_GUEST = '貴賓';

/**
 * A guest's value for one placeholder. The names fall back so a greeting always names someone: the first name, else
 * the LINE name, else 貴賓 (and the LINE name, else the first name, else 貴賓); the last name and member number stay
 * empty when there are none (「{lastName}{firstName} 您好」 then reads 「林俊傑 您好」 or 「貴賓 您好」).
 */
function placeholderValue(name: CampaignPlaceholder, values: Partial<Record<CampaignPlaceholder, string>>): string {
  const own = values[name]?.trim();
  if (own) return own;
  if (name === 'firstName') return values.displayName?.trim() || UNNAMED_GUEST;
  if (name === 'displayName') return values.firstName?.trim() || UNNAMED_GUEST;
  return '';
}

/** A text with its placeholders replaced by a guest's values (unknown placeholders stay as typed). */
export function personalise(text: string, values: Partial<Record<CampaignPlaceholder, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (isKnownPlaceholder(name) ? placeholderValue(name, values) : whole));
}

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'paused', 'cancelled', 'failed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Field messages of campaign validation (keys used as zod `error` values and in service field errors). */
export const CAMPAIGN_FIELD_MESSAGES: Record<string, Record<Locale, string>> = {
  'field.campaign_text_too_long': { 'zh-TW': `文字訊息最多 ${LINE_LIMITS.textLength} 字（個人化欄位以最長長度計算）。`, en: `A text message has at most ${LINE_LIMITS.textLength} characters (placeholders counted at their longest).` },
  'field.campaign_placeholder_unknown': { 'zh-TW': '未知的個人化欄位；可用：{firstName}、{lastName}、{displayName}、{memberNo}。', en: 'Unknown placeholder; use {firstName}, {lastName}, {displayName} or {memberNo}.' },
  'field.campaign_placeholder_text_only': { 'zh-TW': '個人化欄位只能用在文字訊息中。', en: 'Placeholders can be used in text messages only.' },
  'field.campaign_alt_text': { 'zh-TW': `通知預覽文字為必填，最多 ${LINE_LIMITS.altTextLength} 字。`, en: `The notification text is required, at most ${LINE_LIMITS.altTextLength} characters.` },
  'field.campaign_label_template': { 'zh-TW': `按鈕文字為必填，最多 ${LINE_LIMITS.templateLabelLength} 字。`, en: `A button label is required, at most ${LINE_LIMITS.templateLabelLength} characters.` },
  'field.campaign_label_flex': { 'zh-TW': `按鈕文字為必填，最多 ${LINE_LIMITS.flexLabelLength} 字。`, en: `A button label is required, at most ${LINE_LIMITS.flexLabelLength} characters.` },
  'field.campaign_uri': { 'zh-TW': `連結必須是 https:// 開頭的有效網址，最多 ${LINE_LIMITS.uriLength} 字。`, en: `Links must be valid https:// URLs of at most ${LINE_LIMITS.uriLength} characters.` },
  'field.campaign_display_text': { 'zh-TW': `點擊後顯示的文字最多 ${LINE_LIMITS.displayTextLength} 字。`, en: `The text shown after a tap has at most ${LINE_LIMITS.displayTextLength} characters.` },
  'field.campaign_buttons_title': { 'zh-TW': `標題最多 ${LINE_LIMITS.buttonsTitleLength} 字。`, en: `Titles have at most ${LINE_LIMITS.buttonsTitleLength} characters.` },
  'field.campaign_buttons_text': { 'zh-TW': `按鈕訊息的內文為必填，最多 ${LINE_LIMITS.buttonsTextLength} 字；有圖片或標題時最多 ${LINE_LIMITS.buttonsTextWithImageOrTitleLength} 字。`, en: `The text is required: at most ${LINE_LIMITS.buttonsTextLength} characters, or ${LINE_LIMITS.buttonsTextWithImageOrTitleLength} with an image or a title.` },
  'field.campaign_actions_count': { 'zh-TW': `每則訊息需有 1 到 ${LINE_LIMITS.buttonsActions} 個按鈕。`, en: `Each message needs 1 to ${LINE_LIMITS.buttonsActions} buttons.` },
  'field.campaign_bubble_title': { 'zh-TW': `標題為必填，最多 ${LINE_LIMITS.bubbleTitleLength} 字。`, en: `The title is required, at most ${LINE_LIMITS.bubbleTitleLength} characters.` },
  'field.campaign_bubble_text': { 'zh-TW': `內文最多 ${LINE_LIMITS.bubbleTextLength} 字。`, en: `The text has at most ${LINE_LIMITS.bubbleTextLength} characters.` },
  'field.campaign_carousel_size': { 'zh-TW': `輪播需有 1 到 ${LINE_LIMITS.carouselBubbles} 張卡片。`, en: `A carousel has 1 to ${LINE_LIMITS.carouselBubbles} cards.` },
  'field.campaign_too_many_messages': { 'zh-TW': `一個活動最多 ${LINE_LIMITS.messagesPerRequest} 則訊息。`, en: `A campaign has at most ${LINE_LIMITS.messagesPerRequest} messages.` },
  'field.campaign_json_too_large': { 'zh-TW': '此訊息內容超過 LINE 的大小上限（單張卡片 30 KB、輪播 50 KB），請縮短文字或減少卡片。', en: 'This message exceeds LINE’s size limit (30 KB per card, 50 KB per carousel); shorten the text or remove cards.' },
  'field.campaign_action_id': { 'zh-TW': '按鈕代號重複或格式不正確。', en: 'Button ids must be unique letters and digits.' },
  'field.campaign_tags_too_many': { 'zh-TW': '一個活動（含按鈕）最多加上 20 個標籤。', en: 'A campaign and its buttons can give at most 20 tags.' },
  'field.campaign_tag': { 'zh-TW': '找不到此標籤。', en: 'Unknown tag.' },
  'field.campaign_click_tag_kind': { 'zh-TW': '活動與按鈕只能加上活動標籤；基礎會員標籤（如 VIP）不能由顧客點擊取得。', en: 'A campaign and its buttons can give activity tags only; basic member tags (such as VIP) are not given by a guest’s tap.' },
  'field.campaign_image': { 'zh-TW': '找不到此圖片，請重新上傳。', en: 'Image not found; please upload it again.' },
  'field.campaign_thumbnail_width': { 'zh-TW': `按鈕訊息與卡片的圖片寬度最多 ${LINE_LIMITS.thumbnailMaxWidth} 像素。`, en: `Images on buttons and cards are at most ${LINE_LIMITS.thumbnailMaxWidth} pixels wide.` },
  'field.campaign_messages_required': { 'zh-TW': '排程前請至少加入一則訊息。', en: 'Add at least one message before scheduling.' },
  'field.campaign_schedule_past': { 'zh-TW': '發送時間不可早於現在。', en: 'The send time cannot be in the past.' },
  'field.campaign_schedule_after_period': { 'zh-TW': '發送時間不可晚於活動結束日。', en: 'The send time cannot be after the campaign’s end date.' },
  'field.campaign_schedule_too_far': { 'zh-TW': '發送時間最多只能排在一年內。', en: 'The send time must be within one year from now.' },
  'field.campaign_datetime': { 'zh-TW': '請輸入日期與時間（YYYY-MM-DDTHH:mm）。', en: 'Enter a date and time (YYYY-MM-DDTHH:mm).' },
  'field.campaign_property': { 'zh-TW': '找不到此館別，或您無權管理此館別。', en: 'Unknown property, or one you do not manage.' },
  'field.campaign_segment': { 'zh-TW': '找不到此分眾。', en: 'Segment not found.' },
  'field.campaign_segment_required': { 'zh-TW': '請選擇分眾。', en: 'Choose a segment.' },
  'field.campaign_period': { 'zh-TW': '活動結束日不可早於開始日。', en: 'The end date cannot be before the start date.' },
  'field.campaign_weekly_cap': { 'zh-TW': `每週上限須為 ${CAMPAIGN_WEEKLY_CAP.min} 到 ${CAMPAIGN_WEEKLY_CAP.max} 的整數；留空表示不限制。`, en: `The weekly cap is a whole number from ${CAMPAIGN_WEEKLY_CAP.min} to ${CAMPAIGN_WEEKLY_CAP.max}; leave it empty for no cap.` },
  'field.campaign_quiet_hours': { 'zh-TW': '請輸入 00:00 到 23:59 之間的時間（HH:mm），開始與結束不可相同。', en: 'Enter times from 00:00 to 23:59 (HH:mm); start and end must differ.' },
};
