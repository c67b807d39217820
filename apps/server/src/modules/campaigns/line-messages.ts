import type { messagingApi } from '@line/bot-sdk';
import type { CampaignAction, CampaignMessage, Card } from './campaign-messages.ts';

/** Where LINE fetches a campaign image (served by campaign-images routes under the public base URL). */
export type ImageUrls = (imageId: string) => { original: string; preview: string };

/** A postback's data names the campaign and the action, so the webhook can tell what a tap means (at most 300 characters). */
export function postbackData(campaignId: string, actionId: string): string {
  return `campaign=${campaignId}&action=${actionId}`;
}

type Options = {
  campaignId: string;
  imageUrls: ImageUrls;
  personalise?: (text: string) => string;
  /** A URL button's tracked link (campaign-links.ts), so a click is counted and tags the guest; without it, the URL as typed. */
  trackUri?: ((actionId: string) => string) | undefined;
};

function action(a: CampaignAction & { id?: string | undefined }, options: Options): messagingApi.Action {
  if (a.type === 'uri') return { type: 'uri', label: a.label, uri: a.id && options.trackUri ? options.trackUri(a.id) : a.uri };
  return { type: 'postback', label: a.label, data: postbackData(options.campaignId, a.id ?? ''), ...(a.displayText ? { displayText: a.displayText } : {}) };
}

function bubble(card: Card, options: Options): messagingApi.FlexBubble {
  const body: messagingApi.FlexComponent[] = [{ type: 'text', text: card.title, weight: 'bold', size: 'lg', wrap: true }];
  if (card.text) body.push({ type: 'text', text: card.text, size: 'sm', color: '#555555', wrap: true, margin: 'md' });
  return {
    type: 'bubble',
    ...(card.imageId ? { hero: { type: 'image', url: options.imageUrls(card.imageId).original, size: 'full', aspectRatio: '20:13', aspectMode: 'cover' } } : {}),
    body: { type: 'box', layout: 'vertical', contents: body },
    ...(card.actions.length > 0
      ? { footer: { type: 'box', layout: 'vertical', spacing: 'sm', contents: card.actions.map((a, i) => ({ type: 'button', style: i === 0 ? 'primary' : 'secondary', height: 'sm', action: action(a, options) })) } }
      : {}),
  };
}

/** LINE message objects for a campaign's messages (what a push or multicast request carries). */
export function toLineMessages(messages: readonly CampaignMessage[], options: Options): messagingApi.Message[] {
  return messages.map((message): messagingApi.Message => {
    switch (message.type) {
      case 'text':
        return { type: 'text', text: options.personalise ? options.personalise(message.text) : message.text };
      case 'image': {
        const urls = options.imageUrls(message.imageId);
        return { type: 'image', originalContentUrl: urls.original, previewImageUrl: urls.preview };
      }
      case 'buttons':
        return {
          type: 'template',
          altText: message.altText,
          template: {
            type: 'buttons',
            ...(message.imageId ? { thumbnailImageUrl: options.imageUrls(message.imageId).original } : {}),
            ...(message.title ? { title: message.title } : {}),
            text: message.text,
            actions: message.actions.map((a) => action(a, options)),
          },
        };
      case 'bubble':
        return { type: 'flex', altText: message.altText, contents: bubble(message, options) };
      case 'carousel':
        return { type: 'flex', altText: message.altText, contents: { type: 'carousel', contents: message.cards.map((card) => bubble(card, options)) } };
    }
  });
}

/** Bytes of a Flex container's JSON as LINE measures it (UTF-8). */
export function flexJsonBytes(message: messagingApi.Message): number {
  return message.type === 'flex' ? Buffer.byteLength(JSON.stringify((message as messagingApi.FlexMessage).contents), 'utf8') : 0;
}
