import type { CampaignStatus } from '@innkeeper/contracts';
import type { SegmentDefinition } from '../segments/definition.ts';

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

export type CampaignAudience = { kind: 'all' } | { kind: 'segment'; segmentId: string } | { kind: 'conditions'; definition: SegmentDefinition };

export type CampaignImage = { id: string; url: string; previewUrl: string; width: number; height: number; byteSize: number; contentType: string; fileName: string };

export type Campaign = {
  id: string;
  name: string;
  propertyId: string | null;
  startsOn: string | null;
  endsOn: string | null;
  status: CampaignStatus;
  statusReason: string;
  messages: MessageDraft[];
  tagIds: string[];
  audience: CampaignAudience;
  holdoutPercent: number;
  personalised: boolean;
  version: number;
  scheduledAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  images: CampaignImage[];
  may: { edit: boolean; schedule: boolean; cancel: boolean; unschedule: boolean };
};

export type CampaignListItem = Pick<Campaign, 'id' | 'name' | 'propertyId' | 'startsOn' | 'endsOn' | 'status' | 'audience' | 'holdoutPercent' | 'scheduledAt' | 'version' | 'updatedAt'> & {
  messageCount: number;
  segmentName: string | null;
};

export type CampaignInput = {
  name: string;
  propertyId: string | null;
  startsOn: string | null;
  endsOn: string | null;
  tagIds: string[];
  messages: MessageDraft[];
  audience: CampaignAudience;
  holdoutPercent: number;
};

export type Estimate = {
  audience: number;
  noLine: number;
  blocked: number;
  noConsent: number;
  reachable: number;
  holdout: number;
  recipients: number;
  messageObjects: number;
  personalised: boolean;
  requests: number;
  messageCost: number;
  frequencyCapPerWeek: number | null;
  quietHours: { start: string; end: string } | null;
};

export type PushSettings = { weeklyCap: number | null; quietHours: { start: string; end: string } | null };

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
