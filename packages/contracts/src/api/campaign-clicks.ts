import { z } from 'zod';

/**
 * Tracked URL buttons (點擊追蹤): the member portal's LIFF page reports a click with the guest's LIFF ID token
 * (Authorization: Bearer) and is told where to send the guest; staff read the clicks per button.
 */
export const ZCampaignClickRequest = z.strictObject({
  /** The link id from the LIFF URL (`…/c/<link>`), as the campaign's message carried it. */
  link: z.string().min(1).max(2000),
});

export const ZCampaignClickAnswer = z.object({
  /** The button's target, or Innkeeper's invalid-link page for a forged, foreign or withdrawn link. */
  url: z.string(),
});

/**
 * A campaign's buttons in message order, each with what its guests did: a URL button's clicks (through the LIFF page or
 * Innkeeper's redirect) and a postback button's taps (LINE sends them to the webhook; each names its guest).
 */
export const ZCampaignClickCounts = z.object({
  data: z.array(
    z.object({
      actionId: z.string(),
      kind: z.enum(['uri', 'postback']).describe('uri: a link the button opens; postback: a button that answers in the chat (and gives its tags)'),
      label: z.string(),
      url: z.string().nullable().describe('the URL button’s target; null for a postback button'),
      tagIds: z.array(z.string()).describe('the tags the button gives whoever taps it'),
      clicks: z.number().int().describe('every counted click or tap, repeats included (link previews are not counted)'),
      identified: z.number().int().describe('clicks by a guest LINE identified (URL: through the LIFF page; postback: every tap)'),
      anonymous: z.number().int().describe('URL clicks from outside LINE (or with a token LINE refused): counted, nobody tagged; always 0 for a postback button'),
      guests: z.number().int().describe('distinct guests among the identified clicks'),
      pending: z.number().int().describe('identified URL clicks whose tags are still being applied; 0 for a postback button (a tap is counted once the LINE worker has handled it, with its tags)'),
    }),
  ),
});
