import { z } from 'zod';
import { actionSchema, SITES } from './actions.ts';
import { len, mediaUrl, size, type UrlPolicy } from './common.ts';

const BUBBLE_MAX_BYTES = 30 * 1024;
const CAROUSEL_MAX_BYTES = 50 * 1024;

// Flex is validated for structure and the documented limits; styling properties pass through untouched.
export function flexSchemas(policy: UrlPolicy) {
  const action = actionSchema(SITES.flex);
  const buttonAction = actionSchema(SITES.flexButton);
  const url = mediaUrl(policy);

  const component: z.ZodType = z.lazy(() => union);
  const span = z.looseObject({ type: z.literal('span'), text: z.string() });
  const box = z.looseObject({
    type: z.literal('box'),
    layout: z.enum(['horizontal', 'vertical', 'baseline']),
    contents: z.array(component),
    action: action.optional(),
  });
  const text = z
    .looseObject({ type: z.literal('text'), text: z.string().optional(), contents: z.array(span).optional(), action: action.optional() })
    .refine((t) => t.text !== undefined || (t.contents?.length ?? 0) > 0, { error: 'must be specified', path: ['text'] });
  const union = z.discriminatedUnion('type', [
    box,
    z.looseObject({ type: z.literal('button'), action: buttonAction, style: z.enum(['primary', 'secondary', 'link']).optional() }),
    z.looseObject({ type: z.literal('image'), url, action: action.optional() }),
    z.looseObject({ type: z.literal('video'), url, previewUrl: url, altContent: component, action: action.optional() }),
    z.looseObject({ type: z.literal('icon'), url }),
    text,
    span,
    z.looseObject({ type: z.literal('separator') }),
    z.looseObject({ type: z.literal('filler') }),
  ]);

  const bubble = z.looseObject({
    type: z.literal('bubble'),
    size: z.enum(['nano', 'micro', 'deca', 'hecto', 'kilo', 'mega', 'giga']).optional(),
    direction: z.enum(['ltr', 'rtl']).optional(),
    header: box.optional(),
    hero: z.discriminatedUnion('type', [box, z.looseObject({ type: z.literal('image'), url, action: action.optional() }), z.looseObject({ type: z.literal('video'), url, previewUrl: url, altContent: component })]).optional(),
    body: box.optional(),
    footer: box.optional(),
    action: action.optional(),
  });
  const carousel = z.looseObject({ type: z.literal('carousel'), contents: size(bubble, 1, 12) });
  const container = z.discriminatedUnion('type', [bubble, carousel]);

  const message = z
    .looseObject({ type: z.literal('flex'), altText: len(1, 1500), contents: container })
    .superRefine((m, ctx) => {
      const bytes = Buffer.byteLength(JSON.stringify(m.contents));
      const max = m.contents.type === 'carousel' ? CAROUSEL_MAX_BYTES : BUBBLE_MAX_BYTES;
      if (bytes > max) ctx.addIssue({ code: 'custom', message: `size must be less than ${max / 1024}KB`, path: ['contents'] });
    });
  return { message, container };
}
