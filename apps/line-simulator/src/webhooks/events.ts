import type { SimContext } from '../context.ts';
import type { Channel } from '../state/types.ts';

export type WebhookEvent = {
  type: string;
  mode: 'active';
  timestamp: number;
  source?: { type: 'user'; userId: string };
  webhookEventId: string;
  deliveryContext: { isRedelivery: boolean };
  replyToken?: string;
  [key: string]: unknown;
};

// Event types whose LINE events carry a reply token.
const REPLYABLE = new Set(['message', 'follow', 'postback', 'join', 'memberJoined', 'beacon', 'accountLink', 'membership', 'videoPlayComplete']);

export function makeEvent(ctx: SimContext, channel: Channel, userId: string | null, type: string, extra: Record<string, unknown> = {}, opts: { replyToken?: boolean } = {}): WebhookEvent {
  const now = ctx.clock.now();
  const event: WebhookEvent = {
    type,
    mode: 'active',
    timestamp: now,
    ...(userId ? { source: { type: 'user', userId } } : {}),
    webhookEventId: ctx.random.ulid(now),
    deliveryContext: { isRedelivery: false },
  };
  if (opts.replyToken ?? REPLYABLE.has(type)) {
    const token = ctx.random.hex(32);
    event.replyToken = token;
    if (userId) channel.replyTokens.set(token, { userId, eventAt: now, deliveredAt: now, used: false });
  }
  return Object.assign(event, extra);
}
