import { z } from 'zod';
import type { Channel, RichMenu } from '../state/types.ts';
import { actionSchema, SITES } from './validation/actions.ts';

const bounded = (min: number, max: number, what: string) =>
  z
    .number()
    .int()
    .min(min, { error: `${what} must be between ${min} and ${max}` })
    .max(max, { error: `${what} must be between ${min} and ${max}` });

export const richMenuSchema = z
  .object({
    size: z.object({ width: bounded(800, 2500, 'Width'), height: z.number().int().min(250, { error: 'Must be greater than or equal to 250' }) }),
    selected: z.boolean(),
    name: z.string().min(1, { error: 'May not be empty' }).max(300, { error: 'Length must be between 1 and 300' }),
    chatBarText: z.string().min(1, { error: 'May not be empty' }).max(14, { error: 'Length must be between 1 and 14' }),
    areas: z
      .array(
        z.object({
          bounds: z.object({ x: z.number().int().min(0), y: z.number().int().min(0), width: z.number().int().min(1), height: z.number().int().min(1) }),
          action: actionSchema(SITES.richMenu),
        }),
      )
      .max(20, { error: 'Size must be between 0 and 20' }),
  })
  .superRefine((m, ctx) => {
    if (m.size.width / m.size.height < 1.45) ctx.addIssue({ code: 'custom', message: 'Aspect ratio (width / height) must be at least 1.45', path: ['size'] });
  });

export function richMenuView(m: RichMenu) {
  return { richMenuId: m.richMenuId, size: m.size, selected: m.selected, name: m.name, chatBarText: m.chatBarText, areas: m.areas };
}

/** Which menu the user sees: a per-user link beats the default set through the API. */
export function effectiveRichMenu(channel: Channel, userId: string): RichMenu | null {
  const f = channel.friends.get(userId);
  const id = (f?.richMenuId && channel.richMenus.has(f.richMenuId) ? f.richMenuId : null) ?? channel.defaultRichMenuId;
  return id ? (channel.richMenus.get(id) ?? null) : null;
}

/** Width and height of a PNG or JPEG, read from the header; null when it is neither. */
export function imageSize(buf: Buffer): { width: number; height: number } | null {
  if (buf.length > 24 && buf.readUInt32BE(0) === 0x89504e47) return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  if (buf.length > 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let i = 2;
    while (i + 9 < buf.length) {
      if (buf[i] !== 0xff) return null;
      const marker = buf[i + 1]!;
      const len = buf.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
      i += 2 + len;
    }
  }
  return null;
}
