import { z } from 'zod';
import { ZFilterTime } from './fields.ts';

const ZDigits = z.string().trim().regex(/^\d{6,20}$/, { error: 'field.line_channel_id' });

export const ZChannelRequest = z.strictObject({
  name: z.string().trim().min(1, { error: 'field.required' }).max(100),
  propertyId: z.uuid().nullable().optional(),
  channelId: ZDigits,
  channelSecret: z.string().trim().regex(/^[0-9a-f]{32}$/, { error: 'field.line_channel_secret' }),
  accessToken: z.string().trim().min(20, { error: 'field.line_access_token' }).max(1000),
  loginChannelId: ZDigits.nullable().optional(),
  liffId: z.string().trim().regex(/^\d{6,20}-[A-Za-z0-9]{4,20}$/, { error: 'field.liff_id' }).nullable().optional(),
  welcomeMessage: z.string().max(400).optional(),
});

export const ZChannel = z.object({
  id: z.string(),
  name: z.string(),
  propertyId: z.string().nullable(),
  channelId: z.string(),
  accessTokenHint: z.string(),
  loginChannelId: z.string().nullable(),
  liffId: z.string().nullable(),
  bot: z.object({ userId: z.string().nullable(), basicId: z.string().nullable(), displayName: z.string().nullable(), pictureUrl: z.string().nullable() }),
  status: z.enum(['unverified', 'verified', 'failed']),
  verifiedAt: z.date().nullable(),
  lastError: z.string().nullable(),
  welcomeMessage: z.string(),
  webhookUrl: z.string(),
  createdAt: z.date(),
});

/** GET /api/line/channels */
export const ZChannelList = z.object({ data: z.array(ZChannel) });

/** GET /api/line/follow-log: `to` is exclusive; `followed` includes unblocks (a follow after a block). */
export const ZFollowLogQuery = z
  .strictObject({
    from: ZFilterTime,
    to: ZFilterTime,
    type: z.enum(['followed', 'blocked']).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((q) => q.to > q.from, { path: ['to'], message: 'field.range_order' });

/** One page of friend events (newest first) plus daily counts of the whole range. */
export const ZFollowLog = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      occurredAt: z.date(),
      event: z.enum(['followed', 'unblocked', 'blocked']),
      member: z.object({ id: z.string(), memberNo: z.string(), name: z.string(), lineDisplayName: z.string().nullable(), linePictureUrl: z.string().nullable(), lineStatus: z.string() }),
    }),
  ),
  hasMore: z.boolean(),
  daily: z.array(z.object({ day: z.string(), followed: z.number().int(), unblocked: z.number().int(), blocked: z.number().int() })),
});
