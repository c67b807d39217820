import crypto from 'node:crypto';
import { LINE_LIMITS } from '@innkeeper/contracts';
import { actionsOf, imagesOf, type CampaignMessage } from './campaign-messages.ts';
import type { CampaignImageRow } from './campaigns.repository.ts';
import { flexJsonBytes, toLineMessages, type ImageUrls } from './line-messages.ts';

/** A field issue; `path` is where the message editor shows it. */
export type MessageIssue = { path: string; message: string };

/**
 * Checks of LINE messages built in the campaign editor, shared by campaigns and every other sender of them
 * (automation's send steps). `prefix` names where the messages sit in the request (`steps.2` → `steps.2.messages.0…`;
 * empty for a campaign's own `messages.0…`).
 */
const at = (prefix: string, path: string) => (prefix ? `${prefix}.${path}` : path);

/**
 * A button whose kind changed in an edit (URL ↔ postback; the editor keeps the button's id when staff switch its
 * kind) is another button and loses its id, so withActionIds gives it a new one. A history entry names its button by
 * id alone (a URL click's through the LIFF page, a postback's tap), and a postback button's taps are counted from those
 * entries: with its old id, a switched button showed the test clicks of the URL button it was as its taps.
 */
export function withSwitchedIdsDropped(previous: readonly CampaignMessage[], next: CampaignMessage[]): CampaignMessage[] {
  const kinds = new Map(actionsOf(previous).flatMap(({ action }) => (action.id ? [[action.id, action.type] as const] : [])));
  for (const { action } of actionsOf(next)) {
    if (action.id && kinds.has(action.id) && kinds.get(action.id) !== action.type) delete (action as { id?: string }).id;
  }
  return next;
}

/** Buttons keep their ids across edits (a tap names one); new buttons get a short random id. Repeated ids are issues. */
export function withActionIds(messages: CampaignMessage[], prefix = ''): { messages: CampaignMessage[]; issues: MessageIssue[] } {
  const seen = new Set<string>();
  const issues: MessageIssue[] = [];
  for (const { action, path } of actionsOf(messages)) {
    if (action.id && seen.has(action.id)) issues.push({ path: at(prefix, `${path}.id`), message: 'field.campaign_action_id' });
    if (action.id) seen.add(action.id);
  }
  for (const { action } of actionsOf(messages)) {
    if (action.id) continue;
    let id: string;
    do id = crypto.randomBytes(6).toString('base64url').replace(/[-_]/g, '').slice(0, 8) || 'a';
    while (seen.has(id));
    seen.add(id);
    (action as { id?: string }).id = id;
  }
  return { messages, issues };
}

/** The images the messages name must be among `images` (the tenant's), a thumbnail at most 1,024 px wide; Flex JSON fits LINE. */
export function imageAndSizeIssues(messages: readonly CampaignMessage[], images: readonly CampaignImageRow[], options: { imageUrls: ImageUrls; campaignId?: string; prefix?: string }): MessageIssue[] {
  const prefix = options.prefix ?? '';
  const issues: MessageIssue[] = [];
  const byId = new Map(images.map((image) => [image.id, image]));
  for (const ref of imagesOf(messages)) {
    const image = byId.get(ref.imageId);
    if (!image) issues.push({ path: at(prefix, ref.path), message: 'field.campaign_image' });
    else if (ref.thumbnail && image.width > LINE_LIMITS.thumbnailMaxWidth) issues.push({ path: at(prefix, ref.path), message: 'field.campaign_thumbnail_width' });
  }
  toLineMessages(messages, { campaignId: options.campaignId ?? '', imageUrls: options.imageUrls }).forEach((message, i) => {
    const limit = messages[i]!.type === 'carousel' ? LINE_LIMITS.carouselJsonBytes : LINE_LIMITS.bubbleJsonBytes;
    if (flexJsonBytes(message) > limit) issues.push({ path: at(prefix, `messages.${i}`), message: 'field.campaign_json_too_large' });
  });
  return issues;
}
