import { z } from 'zod';
import { isPercentEncoded, isUrl, len, PERCENT_ENCODED } from './common.ts';

export type ActionType = 'postback' | 'message' | 'uri' | 'datetimepicker' | 'camera' | 'cameraRoll' | 'location' | 'clipboard' | 'richmenuswitch';

// Where an action sits decides its label limit, whether the label is required and which types are allowed.
export type ActionSite = { labelMax: number; labelRequired: boolean; allowed: readonly ActionType[] };

const COMMON: ActionType[] = ['postback', 'message', 'uri', 'datetimepicker', 'clipboard'];

export const SITES = {
  template: { labelMax: 20, labelRequired: true, allowed: COMMON },
  templateDefault: { labelMax: 20, labelRequired: false, allowed: COMMON },
  imageCarousel: { labelMax: 12, labelRequired: false, allowed: COMMON },
  quickReply: { labelMax: 20, labelRequired: true, allowed: ['postback', 'message', 'uri', 'datetimepicker', 'camera', 'cameraRoll', 'location', 'clipboard'] },
  flexButton: { labelMax: 40, labelRequired: true, allowed: COMMON },
  flex: { labelMax: 40, labelRequired: false, allowed: COMMON },
  richMenu: { labelMax: 20, labelRequired: false, allowed: ['postback', 'message', 'uri', 'datetimepicker', 'richmenuswitch', 'clipboard'] },
} satisfies Record<string, ActionSite>;

const URI_SCHEMES = ['http:', 'https:', 'line:', 'tel:'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}$/;

function build(site: ActionSite) {
  const label = site.labelRequired ? len(1, site.labelMax) : len(0, site.labelMax).optional();
  const schemas = {
    postback: z
      .object({
        type: z.literal('postback'),
        label,
        data: len(0, 300),
        displayText: len(0, 300).optional(),
        text: len(0, 300).optional(),
        inputOption: z.enum(['closeRichMenu', 'openRichMenu', 'openKeyboard', 'openVoice']).optional(),
        fillInText: len(0, 300).optional(),
      })
      .refine((a) => a.displayText === undefined || a.text === undefined, {
        error: 'displayText and text cannot both be set',
        path: ['displayText'],
      }),
    message: z.object({ type: z.literal('message'), label, text: len(1, 300) }),
    uri: z.object({
      type: z.literal('uri'),
      label,
      uri: len(1, 1000)
        .refine((u) => isUrl(u, URI_SCHEMES), { error: 'invalid uri scheme' })
        .refine(isPercentEncoded, { error: PERCENT_ENCODED }),
      altUri: z.object({ desktop: len(1, 1000) }).optional(),
    }),
    datetimepicker: z
      .object({
        type: z.literal('datetimepicker'),
        label,
        data: len(0, 300),
        mode: z.enum(['date', 'time', 'datetime']),
        initial: z.string().optional(),
        max: z.string().optional(),
        min: z.string().optional(),
      })
      .superRefine((a, ctx) => {
        const re = a.mode === 'date' ? DATE : a.mode === 'time' ? TIME : DATETIME;
        for (const key of ['initial', 'max', 'min'] as const) {
          const v = a[key];
          if (v !== undefined && !re.test(v)) ctx.addIssue({ code: 'custom', message: `invalid ${a.mode} format`, path: [key] });
        }
      }),
    camera: z.object({ type: z.literal('camera'), label }),
    cameraRoll: z.object({ type: z.literal('cameraRoll'), label }),
    location: z.object({ type: z.literal('location'), label }),
    clipboard: z.object({ type: z.literal('clipboard'), label, clipboardText: len(1, 1000) }),
    richmenuswitch: z.object({
      type: z.literal('richmenuswitch'),
      label,
      richMenuAliasId: z.string().regex(/^[a-z0-9_-]{1,32}$/, { error: 'invalid richMenuAliasId' }),
      data: len(0, 300),
    }),
  };
  const options = site.allowed.map((t) => schemas[t]);
  return z.discriminatedUnion('type', options as unknown as [typeof schemas.postback, ...(typeof schemas.postback)[]]);
}

const cache = new Map<ActionSite, z.ZodType>();

export function actionSchema(site: ActionSite): z.ZodType {
  let schema = cache.get(site);
  if (!schema) {
    schema = build(site);
    cache.set(site, schema);
  }
  return schema;
}
