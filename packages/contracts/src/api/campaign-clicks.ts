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

export const ZCampaignClickCounts = z.object({
  data: z.array(
    z.object({
      actionId: z.string(),
      label: z.string(),
      url: z.string(),
      clicks: z.number().int().describe('every counted click, repeat clicks included (link previews are not counted)'),
      identified: z.number().int().describe('clicks by a guest LINE identified through the LIFF page'),
      anonymous: z.number().int().describe('clicks from outside LINE (or with a token LINE refused): counted, nobody tagged'),
      guests: z.number().int().describe('distinct LINE users among the identified clicks'),
      pending: z.number().int().describe('identified clicks whose tags are still being applied'),
    }),
  ),
});
