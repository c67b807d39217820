import type { RequestBody, ResponseBody, ZCampaign, ZCampaignAudience, ZCampaignCreate, ZCampaignImage, ZCampaignList, ZCampaignListItem, ZCampaignProgress, ZCampaignSettings, ZEstimate } from '@innkeeper/contracts/api';

/** A button: a link or a postback, and the campaign tags a guest gets for tapping it (server: campaign-messages.ts). */
export type ActionDraft = { id?: string | undefined; type: 'uri' | 'postback'; label: string; uri?: string | undefined; displayText?: string | undefined; tagIds: string[] };
export type CardDraft = { imageId?: string | undefined; title: string; text?: string | undefined; actions: ActionDraft[] };

export type MessageDraft =
  | { type: 'text'; text: string }
  | { type: 'image'; imageId?: string | undefined }
  | { type: 'buttons'; altText: string; imageId?: string | undefined; title?: string | undefined; text: string; actions: ActionDraft[] }
  | ({ type: 'bubble'; altText: string } & CardDraft)
  | { type: 'carousel'; altText: string; cards: CardDraft[] };

export type MessageType = MessageDraft['type'];
export const MESSAGE_TYPES: readonly MessageType[] = ['text', 'image', 'buttons', 'bubble', 'carousel'];

/** Who a campaign goes to; its conditions are written in the member audience grammar (features/members). */
export type CampaignAudience = RequestBody<typeof ZCampaignAudience>;

export type CampaignImage = ResponseBody<typeof ZCampaignImage>;

/** A campaign as the API answers it; its messages were checked when saved, so they fit the editor's drafts. */
export type Campaign = ResponseBody<typeof ZCampaign>;

export type CampaignListItem = ResponseBody<typeof ZCampaignListItem>;
export type CampaignList = ResponseBody<typeof ZCampaignList>;

/**
 * What the editor sends (POST /api/campaigns, PATCH): the request body, except that the messages are the editor's
 * drafts, sent half-written if need be (an image not chosen yet): the server answers with field errors for those.
 */
export type CampaignInput = Omit<Required<RequestBody<typeof ZCampaignCreate>>, 'messages' | 'audience'> & { messages: MessageDraft[]; audience: CampaignAudience };

export type Estimate = ResponseBody<typeof ZEstimate>;
export type CampaignProgress = ResponseBody<typeof ZCampaignProgress>;

export type PushSettings = ResponseBody<typeof ZCampaignSettings>;

export function newAction(): ActionDraft {
  return { type: 'postback', label: '', tagIds: [] };
}

export function newCard(): CardDraft {
  return { title: '', text: '', actions: [newAction()] };
}

export function newMessage(type: MessageType): MessageDraft {
  switch (type) {
    case 'text':
      return { type, text: '' };
    case 'image':
      return { type };
    case 'buttons':
      return { type, altText: '', title: '', text: '', actions: [newAction()] };
    case 'bubble':
      return { type, altText: '', ...newCard() };
    case 'carousel':
      return { type, altText: '', cards: [newCard(), newCard()] };
  }
}

const blankToUndefined = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);

function cleanAction(action: ActionDraft): ActionDraft {
  return action.type === 'uri'
    ? { ...(action.id ? { id: action.id } : {}), type: 'uri', label: action.label, uri: action.uri ?? '', tagIds: action.tagIds }
    : { ...(action.id ? { id: action.id } : {}), type: 'postback', label: action.label, ...(blankToUndefined(action.displayText) ? { displayText: action.displayText } : {}), tagIds: action.tagIds };
}

function cleanCard(card: CardDraft): CardDraft {
  return { ...(card.imageId ? { imageId: card.imageId } : {}), title: card.title, ...(blankToUndefined(card.text) ? { text: card.text } : {}), actions: card.actions.map(cleanAction) };
}

/** What the API takes: optional texts left empty are left out, and a link keeps only link fields (and so on). */
export function toRequestMessages(messages: readonly MessageDraft[]): MessageDraft[] {
  return messages.map((message): MessageDraft => {
    switch (message.type) {
      case 'text':
        return { type: 'text', text: message.text };
      case 'image':
        return { type: 'image', ...(message.imageId ? { imageId: message.imageId } : {}) };
      case 'buttons':
        return {
          type: 'buttons',
          altText: message.altText,
          ...(message.imageId ? { imageId: message.imageId } : {}),
          ...(blankToUndefined(message.title) ? { title: message.title } : {}),
          text: message.text,
          actions: message.actions.map(cleanAction),
        };
      case 'bubble':
        return { type: 'bubble', altText: message.altText, ...cleanCard(message) };
      case 'carousel':
        return { type: 'carousel', altText: message.altText, cards: message.cards.map(cleanCard) };
    }
  });
}

/** Each message's buttons changed by `change` (the buttons template's, a bubble's, every card's of a carousel). */
function mapActions(messages: readonly MessageDraft[], change: (action: ActionDraft) => ActionDraft): MessageDraft[] {
  const card = <C extends CardDraft>(c: C): C => ({ ...c, actions: c.actions.map(change) });
  return messages.map((message): MessageDraft => {
    if (message.type === 'buttons') return { ...message, actions: message.actions.map(change) };
    if (message.type === 'bubble') return card(message);
    if (message.type === 'carousel') return { ...message, cards: message.cards.map(card) };
    return message;
  });
}

/**
 * The campaign's tags with the ones its buttons give: a button's click tag is chosen right on the button, and is one
 * of the campaign's from then on (the server keeps the same union), in the order staff chose them.
 */
export function withButtonTags(tagIds: readonly string[], messages: readonly MessageDraft[]): string[] {
  const actions = messages.flatMap((m) => (m.type === 'buttons' || m.type === 'bubble' ? m.actions : m.type === 'carousel' ? m.cards.flatMap((c) => c.actions) : []));
  return [...new Set([...tagIds, ...actions.flatMap((action) => action.tagIds)])];
}

/** The messages with these tags taken off every button (a tag staff removed from the campaign's tags). */
export function withoutButtonTags(messages: readonly MessageDraft[], removed: readonly string[]): MessageDraft[] {
  if (removed.length === 0) return [...messages];
  return mapActions(messages, (action) => ({ ...action, tagIds: action.tagIds.filter((id) => !removed.includes(id)) }));
}
