import { isPersonalised } from '@innkeeper/contracts';
import type { CampaignAction, CampaignMessage } from '@innkeeper/contracts/api';

// The messages' grammar (ZCampaignMessage and LINE's limits) is part of the wire contract: packages/contracts/src/api.
export type { CampaignAction, CampaignMessage, Card, StoredAction } from '@innkeeper/contracts/api';

/** Every action of the messages with its field path (for field errors), in order. */
export function actionsOf(messages: readonly CampaignMessage[]): Array<{ action: CampaignAction; path: string }> {
  return messages.flatMap((message, i) => {
    if (message.type === 'buttons' || message.type === 'bubble') return message.actions.map((action, j) => ({ action, path: `messages.${i}.actions.${j}` }));
    if (message.type === 'carousel') return message.cards.flatMap((card, c) => card.actions.map((action, j) => ({ action, path: `messages.${i}.cards.${c}.actions.${j}` })));
    return [];
  });
}

/** Every image a message shows, with its field path and whether LINE shows it as a thumbnail (at most 1,024 px wide). */
export function imagesOf(messages: readonly CampaignMessage[]): Array<{ imageId: string; path: string; thumbnail: boolean }> {
  return messages.flatMap((message, i) => {
    if (message.type === 'image') return [{ imageId: message.imageId, path: `messages.${i}.imageId`, thumbnail: false }];
    if (message.type === 'buttons' || message.type === 'bubble') return message.imageId ? [{ imageId: message.imageId, path: `messages.${i}.imageId`, thumbnail: message.type === 'buttons' }] : [];
    if (message.type === 'carousel') return message.cards.flatMap((card, c) => (card.imageId ? [{ imageId: card.imageId, path: `messages.${i}.cards.${c}.imageId`, thumbnail: false }] : []));
    return [];
  });
}

export function messagesArePersonalised(messages: ReadonlyArray<{ type: string; text?: string | undefined }>): boolean {
  return messages.some((message) => message.type === 'text' && isPersonalised(message.text ?? ''));
}
