import { z } from 'zod';
import { actionSchema, SITES } from './actions.ts';
import { hexColor, len, mediaUrl, size, type UrlPolicy } from './common.ts';

const BUBBLE_MAX_BYTES = 30 * 1024;
const CAROUSEL_MAX_BYTES = 50 * 1024;

// Styling values, from the enums of LINE's OpenAPI definition (line/line-openapi messaging-api.yml, FlexBox,
// FlexText, FlexButton, FlexImage, FlexIcon, FlexSpan, FlexBubble and the keyword schemas FlexMargin, FlexBoxSpacing,
// FlexBoxPadding, FlexOffset, FlexBoxCornerRadius, FlexBoxBorderWidth, FlexTextFontSize, FlexImageSize, FlexIconSize).
// Where the reference also allows pixels (or percentages), those are accepted as `12px` / `50%`.
const SPACES = ['none', 'xs', 'sm', 'md', 'lg', 'xl', 'xxl'] as const;
const FONT_SIZES = ['xxs', 'xs', 'sm', 'md', 'lg', 'xl', 'xxl', '3xl', '4xl', '5xl'] as const;
const IMAGE_SIZES = [...FONT_SIZES, 'full'] as const;
const BORDER_WIDTHS = ['none', 'light', 'normal', 'medium', 'semi-bold', 'bold'] as const;
const PX = /^\d+(\.\d+)?px$/;
const PERCENT = /^\d+(\.\d+)?%$/;

function keywordOr(keywords: readonly string[], units: { px?: boolean; percent?: boolean }) {
  const allowed = [...keywords, ...(units.px ? ['{n}px'] : []), ...(units.percent ? ['{n}%'] : [])];
  return z.string().refine((v) => keywords.includes(v) || (units.px === true && PX.test(v)) || (units.percent === true && PERCENT.test(v)), {
    error: `must be one of the following values: [${allowed.join(', ')}]`,
  });
}

const margin = keywordOr(SPACES, { px: true }).optional();
const spacing = keywordOr(SPACES, { px: true }).optional();
const padding = keywordOr(SPACES, { px: true, percent: true }).optional();
const offset = keywordOr(SPACES, { px: true, percent: true }).optional();
const length = keywordOr([], { px: true, percent: true }).optional();
const flex = z.number().int().min(0).optional();
const color = hexColor.optional();
const position = z.enum(['relative', 'absolute']).optional();
const gravity = z.enum(['top', 'bottom', 'center']).optional();
const align = z.enum(['start', 'end', 'center']).optional();
const weight = z.enum(['regular', 'bold']).optional();
const fontStyle = z.enum(['normal', 'italic']).optional();
const decoration = z.enum(['none', 'underline', 'line-through']).optional();
const adjustMode = z.enum(['shrink-to-fit']).optional();
const aspectRatio = z
  .string()
  .regex(/^\d+(\.\d+)?:\d+(\.\d+)?$/, { error: 'must be {width}:{height}' })
  .optional();
const placement = { margin, position, offsetTop: offset, offsetBottom: offset, offsetStart: offset, offsetEnd: offset };

// Flex is validated for structure, the documented limits and its styling values.
export function flexSchemas(policy: UrlPolicy) {
  const action = actionSchema(SITES.flex);
  const buttonAction = actionSchema(SITES.flexButton);
  const url = mediaUrl(policy);

  const component: z.ZodType = z.lazy(() => union);
  const span = z.looseObject({
    type: z.literal('span'),
    text: z.string(),
    size: keywordOr(FONT_SIZES, { px: true }).optional(),
    color,
    weight,
    style: fontStyle,
    decoration,
  });
  const background = z.looseObject({
    type: z.literal('linearGradient'),
    angle: z.string().regex(/^\d+(\.\d+)?deg$/, { error: 'must be {n}deg' }),
    startColor: hexColor,
    endColor: hexColor,
    centerColor: color,
    centerPosition: z.string().regex(PERCENT, { error: 'must be {n}%' }).optional(),
  });
  const box = z.looseObject({
    type: z.literal('box'),
    layout: z.enum(['horizontal', 'vertical', 'baseline']),
    contents: z.array(component),
    action: action.optional(),
    flex,
    spacing,
    ...placement,
    backgroundColor: color,
    borderColor: color,
    borderWidth: keywordOr(BORDER_WIDTHS, { px: true }).optional(),
    cornerRadius: keywordOr(SPACES, { px: true }).optional(),
    width: length,
    maxWidth: length,
    height: length,
    maxHeight: length,
    paddingAll: padding,
    paddingTop: padding,
    paddingBottom: padding,
    paddingStart: padding,
    paddingEnd: padding,
    justifyContent: z.enum(['center', 'flex-start', 'flex-end', 'space-between', 'space-around', 'space-evenly']).optional(),
    alignItems: z.enum(['center', 'flex-start', 'flex-end']).optional(),
    background: background.optional(),
  });
  const text = z
    .looseObject({
      type: z.literal('text'),
      text: z.string().optional(),
      contents: z.array(span).optional(),
      action: action.optional(),
      flex,
      size: keywordOr(FONT_SIZES, { px: true }).optional(),
      align,
      gravity,
      color,
      weight,
      style: fontStyle,
      decoration,
      wrap: z.boolean().optional(),
      lineSpacing: z.string().regex(PX, { error: 'must be {n}px' }).optional(),
      maxLines: z.number().int().min(0).optional(),
      adjustMode,
      scaling: z.boolean().optional(),
      ...placement,
    })
    .refine((t) => t.text !== undefined || (t.contents?.length ?? 0) > 0, { error: 'must be specified', path: ['text'] });
  const image = z.looseObject({
    type: z.literal('image'),
    url,
    action: action.optional(),
    flex,
    ...placement,
    align,
    gravity,
    size: keywordOr(IMAGE_SIZES, { px: true, percent: true }).optional(),
    aspectRatio,
    aspectMode: z.enum(['fit', 'cover']).optional(),
    backgroundColor: color,
    animated: z.boolean().optional(),
  });
  const video = z.looseObject({ type: z.literal('video'), url, previewUrl: url, altContent: component, action: action.optional(), aspectRatio });
  const union = z.discriminatedUnion('type', [
    box,
    z.looseObject({
      type: z.literal('button'),
      action: buttonAction,
      style: z.enum(['primary', 'secondary', 'link']).optional(),
      flex,
      color,
      gravity,
      height: z.enum(['md', 'sm']).optional(),
      adjustMode,
      scaling: z.boolean().optional(),
      ...placement,
    }),
    image,
    video,
    z.looseObject({ type: z.literal('icon'), url, size: keywordOr(FONT_SIZES, { px: true }).optional(), aspectRatio, scaling: z.boolean().optional(), ...placement }),
    text,
    span,
    z.looseObject({ type: z.literal('separator'), margin, color }),
    z.looseObject({ type: z.literal('filler'), flex }),
  ]);

  const blockStyle = z.looseObject({ backgroundColor: color, separator: z.boolean().optional(), separatorColor: color }).optional();
  const bubble = z.looseObject({
    type: z.literal('bubble'),
    size: z.enum(['nano', 'micro', 'deca', 'hecto', 'kilo', 'mega', 'giga']).optional(),
    direction: z.enum(['ltr', 'rtl']).optional(),
    header: box.optional(),
    hero: z.discriminatedUnion('type', [box, image, video]).optional(),
    body: box.optional(),
    footer: box.optional(),
    styles: z.looseObject({ header: blockStyle, hero: blockStyle, body: blockStyle, footer: blockStyle }).optional(),
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
