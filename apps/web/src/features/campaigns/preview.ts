import { personalise, type CampaignPlaceholder } from '@innkeeper/contracts';
import type { ActionDraft, CardDraft, MessageDraft } from './messages.ts';

/**
 * What LINE shows for a campaign's messages, as plain data (the LinePreview component draws it): text bubbles with
 * placeholders filled in for a sample guest, images, a buttons template, and Flex cards (one, or a carousel).
 */
export type PreviewImage = { src: string; width: number; height: number } | undefined;
export type PreviewButton = { label: string; kind: 'uri' | 'postback'; tags: string[] };
export type PreviewCard = { image: PreviewImage; title: string; text: string; buttons: PreviewButton[] };
export type PreviewItem =
  | { kind: 'text'; text: string }
  | { kind: 'image'; image: PreviewImage }
  | { kind: 'buttons'; image: PreviewImage; title: string; text: string; buttons: PreviewButton[] }
  | { kind: 'flex'; cards: PreviewCard[] };

export type PreviewContext = {
  images: ReadonlyMap<string, { src: string; width: number; height: number }>;
  tagNames: ReadonlyMap<string, string>;
  sample: Partial<Record<CampaignPlaceholder, string>>;
};

/**
 * The guest the preview fills placeholders for, in the staff's language: 王小明 in Chinese (a hotel's guests are mostly
 * Taiwanese); in English a western name, as a Chinese sample read as foreign there (browser review), and never a
 * romanised 「WangMing」 made of the Chinese one.
 */
export const SAMPLE_GUEST = { lastName: '王', firstName: '小明', displayName: '小明', memberNo: 'M0000123' } as const satisfies Record<CampaignPlaceholder, string>;
export const SAMPLE_GUEST_EN = { lastName: 'Chen', firstName: 'Emma', displayName: 'Emma', memberNo: 'M0000123' } as const satisfies Record<CampaignPlaceholder, string>;

/** The sample guest for the app's language (i18next's code: 'en', 'zh-TW'). */
export function sampleGuestFor(language: string): Record<CampaignPlaceholder, string> {
  return language.startsWith('en') ? SAMPLE_GUEST_EN : SAMPLE_GUEST;
}

function image(id: string | undefined, context: PreviewContext): PreviewImage {
  return id ? context.images.get(id) : undefined;
}

function button(action: ActionDraft, context: PreviewContext): PreviewButton {
  return { label: action.label, kind: action.type, tags: action.tagIds.map((id) => context.tagNames.get(id)).filter((name): name is string => Boolean(name)) };
}

function card(c: CardDraft, context: PreviewContext): PreviewCard {
  return { image: image(c.imageId, context), title: c.title, text: c.text ?? '', buttons: c.actions.map((a) => button(a, context)) };
}

export function previewOf(messages: readonly MessageDraft[], context: PreviewContext): PreviewItem[] {
  return messages.map((message): PreviewItem => {
    switch (message.type) {
      case 'text':
        return { kind: 'text', text: personalise(message.text, context.sample) };
      case 'image':
        return { kind: 'image', image: image(message.imageId, context) };
      case 'buttons':
        return { kind: 'buttons', image: image(message.imageId, context), title: message.title ?? '', text: message.text, buttons: message.actions.map((a) => button(a, context)) };
      case 'bubble':
        return { kind: 'flex', cards: [card(message, context)] };
      case 'carousel':
        return { kind: 'flex', cards: message.cards.map((c) => card(c, context)) };
    }
  });
}

/** Same-origin path of an image URL (the public base URL may name another host than the one the admin app runs on). */
export function imagePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
