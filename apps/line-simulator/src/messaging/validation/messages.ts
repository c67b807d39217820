import { z } from 'zod';
import { actionSchema, SITES } from './actions.ts';
import { hexColor, isPercentEncoded, isUrl, len, mediaUrl, PERCENT_ENCODED, size, type UrlPolicy } from './common.ts';
import { flexSchemas } from './flex.ts';

export const MESSAGE_TYPES = ['text', 'textV2', 'sticker', 'image', 'video', 'audio', 'location', 'imagemap', 'template', 'flex', 'coupon'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const TEXT_MAX = 5000;

function buildMessageSchemas(policy: UrlPolicy): Record<MessageType, z.ZodType> {
  const url = mediaUrl(policy);
  const common = {
    quickReply: z
      .object({
        items: size(z.object({ type: z.literal('action'), imageUrl: url.optional(), action: actionSchema(SITES.quickReply) }), 1, 13),
      })
      .optional(),
    sender: z.object({ name: len(1, 20).optional(), iconUrl: url.optional() }).optional(),
  };

  const text = z
    .looseObject({
      type: z.literal('text'),
      text: z.string(),
      emojis: size(z.object({ index: z.number().int().min(0), productId: z.string(), emojiId: z.string() }), 0, 20).optional(),
      quoteToken: z.string().optional(),
      ...common,
    })
    .superRefine((m, ctx) => {
      m.emojis?.forEach((e, i) => {
        if (m.text[e.index] !== '$') ctx.addIssue({ code: 'custom', message: 'index must point at a $ character', path: ['emojis', i, 'index'] });
      });
    });

  const textV2 = z.looseObject({
    type: z.literal('textV2'),
    text: len(1, 5000),
    substitution: z.record(z.string().regex(/^[0-9a-zA-Z_]{1,20}$/), z.looseObject({ type: z.enum(['mention', 'emoji']) })).optional(),
    quoteToken: z.string().optional(),
    ...common,
  });

  const templateAction = actionSchema(SITES.template);
  const defaultAction = actionSchema(SITES.templateDefault).optional();
  const aspect = z.enum(['rectangle', 'square']).optional();
  const imageSize = z.enum(['cover', 'contain']).optional();

  const buttons = z
    .looseObject({
      type: z.literal('buttons'),
      thumbnailImageUrl: url.optional(),
      imageAspectRatio: aspect,
      imageSize,
      imageBackgroundColor: hexColor.optional(),
      title: len(1, 40).optional(),
      text: len(1, 160),
      defaultAction,
      actions: size(templateAction, 1, 4),
    })
    .superRefine((t, ctx) => {
      if ((t.thumbnailImageUrl || t.title) && t.text.length > 60) {
        ctx.addIssue({ code: 'custom', message: 'length must be between 1 and 60', path: ['text'] });
      }
    });
  const confirm = z.looseObject({ type: z.literal('confirm'), text: len(1, 240), actions: size(templateAction, 2, 2) });
  const column = z.looseObject({
    thumbnailImageUrl: url.optional(),
    imageBackgroundColor: hexColor.optional(),
    title: len(1, 40).optional(),
    text: len(1, 120),
    defaultAction,
    actions: size(templateAction, 1, 3),
  });
  const carousel = z
    .looseObject({ type: z.literal('carousel'), columns: size(column, 1, 10), imageAspectRatio: aspect, imageSize })
    .superRefine((t, ctx) => {
      const first = t.columns[0];
      if (!first) return;
      t.columns.forEach((c, i) => {
        if (c.actions.length !== first.actions.length) ctx.addIssue({ code: 'custom', message: 'all columns must have the same number of actions', path: ['columns', i, 'actions'] });
        if (Boolean(c.thumbnailImageUrl) !== Boolean(first.thumbnailImageUrl) || Boolean(c.title) !== Boolean(first.title)) {
          ctx.addIssue({ code: 'custom', message: 'all columns must use images and titles consistently', path: ['columns', i] });
        }
        if ((c.thumbnailImageUrl || c.title) && c.text.length > 60) ctx.addIssue({ code: 'custom', message: 'length must be between 1 and 60', path: ['columns', i, 'text'] });
      });
    });
  const imageCarousel = z.looseObject({
    type: z.literal('image_carousel'),
    columns: size(z.object({ imageUrl: url, action: actionSchema(SITES.imageCarousel) }), 1, 10),
  });

  const area = z.object({ x: z.number().int().min(0), y: z.number().int().min(0), width: z.number().int().min(1), height: z.number().int().min(1) });
  const imagemapAction = z.discriminatedUnion('type', [
    z.object({ type: z.literal('uri'), label: len(0, 100).optional(), linkUri: len(1, 1000).refine((u) => isUrl(u, ['http:', 'https:', 'line:', 'tel:']), { error: 'invalid uri scheme' }).refine(isPercentEncoded, { error: PERCENT_ENCODED }), area }),
    z.object({ type: z.literal('message'), label: len(0, 100).optional(), text: len(1, 400), area }),
    z.object({ type: z.literal('clipboard'), label: len(0, 100).optional(), clipboardText: len(1, 1000), area }),
  ]);

  return {
    text,
    textV2,
    sticker: z.looseObject({ type: z.literal('sticker'), packageId: z.string().min(1), stickerId: z.string().min(1), quoteToken: z.string().optional(), ...common }),
    image: z.looseObject({ type: z.literal('image'), originalContentUrl: url, previewImageUrl: url, ...common }),
    video: z.looseObject({ type: z.literal('video'), originalContentUrl: url, previewImageUrl: url, trackingId: len(1, 100).optional(), ...common }),
    audio: z.looseObject({ type: z.literal('audio'), originalContentUrl: url, duration: z.number().int().min(1), ...common }),
    location: z.looseObject({ type: z.literal('location'), title: len(1, 100), address: len(1, 100), latitude: z.number(), longitude: z.number(), ...common }),
    imagemap: z.looseObject({
      type: z.literal('imagemap'),
      baseUrl: url,
      altText: len(1, 1500),
      baseSize: z.object({ width: z.literal(1040, { error: 'must be 1040' }), height: z.number().int().min(1) }),
      actions: size(imagemapAction, 0, 50),
      video: z.looseObject({ originalContentUrl: url, previewImageUrl: url, area }).optional(),
      ...common,
    }),
    template: z.looseObject({
      type: z.literal('template'),
      altText: len(1, 1500),
      template: z.discriminatedUnion('type', [buttons, confirm, carousel, imageCarousel]),
      ...common,
    }),
    flex: flexSchemas(policy).message.and(z.looseObject(common)),
    coupon: z.looseObject({ type: z.literal('coupon'), couponId: z.string().min(1), ...common }),
  };
}

const cache = new Map<boolean, Record<MessageType, z.ZodType>>();

export function messageSchemas(policy: UrlPolicy): Record<MessageType, z.ZodType> {
  let s = cache.get(policy.strictHttps);
  if (!s) {
    s = buildMessageSchemas(policy);
    cache.set(policy.strictHttps, s);
  }
  return s;
}

export function isMessageType(t: unknown): t is MessageType {
  return typeof t === 'string' && (MESSAGE_TYPES as readonly string[]).includes(t);
}
