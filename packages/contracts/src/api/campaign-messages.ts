import { isKnownPlaceholder, LINE_LIMITS, longestLength, placeholdersIn } from '../campaigns.ts';
import { z } from 'zod';

/**
 * A campaign's messages in Innkeeper's own model: what staff build, checked against LINE's limits here (each limit a
 * field message in both languages) and turned into LINE message objects by line-messages.ts when sent.
 * Buttons are URL or postback actions that name the tags a guest gets for tapping them.
 */

/** Text outside text messages is sent as typed: a placeholder there would reach guests as `{firstName}`. */
const plain = (schema: z.ZodString) => schema.refine((text) => !placeholdersIn(text).some(isKnownPlaceholder), { error: 'field.campaign_placeholder_text_only' });

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0 && !/\s/.test(value);
  } catch {
    return false;
  }
}

const ZActionId = z.string().regex(/^[A-Za-z0-9]{1,12}$/, { error: 'field.campaign_action_id' });
const ZTagIds = z.array(z.uuid()).max(10).default([]);
const ZAltText = plain(z.string().trim().min(1, { error: 'field.campaign_alt_text' }).max(LINE_LIMITS.altTextLength, { error: 'field.campaign_alt_text' }));
const ZImageId = z.uuid({ error: 'field.campaign_image' });

function actionOf(labelMax: number, labelError: string) {
  const label = plain(z.string().trim().min(1, { error: labelError }).max(labelMax, { error: labelError }));
  return z.discriminatedUnion('type', [
    z.strictObject({
      id: ZActionId.optional(),
      type: z.literal('uri'),
      label,
      uri: z.string().trim().max(LINE_LIMITS.uriLength, { error: 'field.campaign_uri' }).refine(isHttpsUrl, { error: 'field.campaign_uri' }),
      tagIds: ZTagIds,
    }),
    z.strictObject({
      id: ZActionId.optional(),
      type: z.literal('postback'),
      label,
      /** Shown in the chat as the guest's own words when they tap (optional). */
      displayText: plain(z.string().trim().max(LINE_LIMITS.displayTextLength, { error: 'field.campaign_display_text' })).optional(),
      tagIds: ZTagIds,
    }),
  ]);
}

const ZTemplateAction = actionOf(LINE_LIMITS.templateLabelLength, 'field.campaign_label_template');
const ZFlexAction = actionOf(LINE_LIMITS.flexLabelLength, 'field.campaign_label_flex');

const ZTextMessage = z
  .strictObject({ type: z.literal('text'), text: z.string().min(1, { error: 'field.required' }) })
  .superRefine((message, check) => {
    if (placeholdersIn(message.text).some((name) => !isKnownPlaceholder(name))) check.addIssue({ code: 'custom', path: ['text'], message: 'field.campaign_placeholder_unknown' });
    if (longestLength(message.text) > LINE_LIMITS.textLength) check.addIssue({ code: 'custom', path: ['text'], message: 'field.campaign_text_too_long' });
  });

const ZImageMessage = z.strictObject({ type: z.literal('image'), imageId: ZImageId });

const ZButtonsMessage = z
  .strictObject({
    type: z.literal('buttons'),
    altText: ZAltText,
    imageId: ZImageId.optional(),
    title: plain(z.string().trim().max(LINE_LIMITS.buttonsTitleLength, { error: 'field.campaign_buttons_title' })).optional(),
    text: plain(z.string().trim().min(1, { error: 'field.campaign_buttons_text' }).max(LINE_LIMITS.buttonsTextLength, { error: 'field.campaign_buttons_text' })),
    actions: z.array(ZTemplateAction).min(1, { error: 'field.campaign_actions_count' }).max(LINE_LIMITS.buttonsActions, { error: 'field.campaign_actions_count' }),
  })
  .superRefine((message, check) => {
    // LINE: 160 characters, or 60 when the template shows an image or a title.
    if ((message.imageId || message.title) && message.text.length > LINE_LIMITS.buttonsTextWithImageOrTitleLength) check.addIssue({ code: 'custom', path: ['text'], message: 'field.campaign_buttons_text' });
  });

const ZCard = z.strictObject({
  imageId: ZImageId.optional(),
  title: plain(z.string().trim().min(1, { error: 'field.campaign_bubble_title' }).max(LINE_LIMITS.bubbleTitleLength, { error: 'field.campaign_bubble_title' })),
  text: plain(z.string().trim().max(LINE_LIMITS.bubbleTextLength, { error: 'field.campaign_bubble_text' })).optional(),
  actions: z.array(ZFlexAction).max(LINE_LIMITS.bubbleActions, { error: 'field.campaign_actions_count' }).default([]),
});

const ZBubbleMessage = z.strictObject({ type: z.literal('bubble'), altText: ZAltText, ...ZCard.shape });

const ZCarouselMessage = z.strictObject({
  type: z.literal('carousel'),
  altText: ZAltText,
  cards: z.array(ZCard).min(1, { error: 'field.campaign_carousel_size' }).max(LINE_LIMITS.carouselBubbles, { error: 'field.campaign_carousel_size' }),
});

export const ZCampaignMessage = z.discriminatedUnion('type', [ZTextMessage, ZImageMessage, ZButtonsMessage, ZBubbleMessage, ZCarouselMessage]);

export const ZCampaignMessages = z.array(ZCampaignMessage).max(LINE_LIMITS.messagesPerRequest, { error: 'field.campaign_too_many_messages' });

export type CampaignMessage = z.infer<typeof ZCampaignMessage>;
export type CampaignAction = z.infer<typeof ZTemplateAction>;
export type StoredAction = CampaignAction & { id: string };
export type Card = z.infer<typeof ZCard>;
