import { z } from 'zod';

const faults = z
  .object({
    errorRate: z.number().min(0).max(1),
    latencyMs: z.number().int().min(0),
    latencyJitterMs: z.number().int().min(0),
    dropRate: z.number().min(0).max(1),
    dropAfterAcceptRate: z.number().min(0).max(1),
    errorAfterAcceptRate: z.number().min(0).max(1),
    burst429Rate: z.number().min(0).max(1),
    burst429Length: z.number().int().min(1),
    stallRate: z.number().min(0).max(1),
    stallMs: z.number().int().min(0),
    endpoints: z.array(z.string()).nullable(),
  })
  .partial();

const webhook = z
  .object({
    url: z.url().nullable(),
    active: z.boolean(),
    timeoutMs: z.number().int().min(1),
    redelivery: z.boolean(),
    redeliveryAttempts: z.number().int().min(0).max(20),
    redeliveryIntervalMs: z.number().int().min(0),
    signature: z.enum(['valid', 'invalid', 'missing']),
    duplicateRate: z.number().min(0).max(1),
  })
  .partial();

const rateSpec = z.object({ limit: z.number().positive(), periodMs: z.number().int().positive(), capacity: z.number().positive().optional() });

const channelFields = {
  channelSecret: z.string().min(1),
  channelAccessToken: z.string().min(1),
  basicId: z.string().min(1),
  displayName: z.string().min(1),
  pictureUrl: z.url().nullable(),
  chatMode: z.enum(['bot', 'chat']),
  markAsReadMode: z.enum(['auto', 'manual']),
  verified: z.boolean(),
  monthlyQuota: z.number().int().min(0).nullable(),
  loginChannelSecret: z.string().min(1),
  liffApps: z.array(z.object({ liffId: z.string().regex(/^\d+-[A-Za-z0-9]+$/).optional(), endpointUrl: z.url(), viewType: z.enum(['compact', 'tall', 'full']).optional() })),
  webhookUrl: z.url().nullable(),
  webhook,
  faults,
  rateLimits: z.object({ enabled: z.boolean().optional(), overrides: z.record(z.string(), rateSpec).optional() }),
  sameUserLimit: z.object({ messages: z.number().int().min(1), periodMs: z.number().int().positive() }).nullable(),
  strictHttps: z.boolean().nullable(),
};

export const ZChannelCreate = z
  .object({
    ...channelFields,
    channelId: z.string().regex(/^\d{6,12}$/),
    providerId: z.string().min(1),
    botUserId: z.string().regex(/^U[0-9a-f]{32}$/),
    loginChannelId: z.string().regex(/^\d{6,12}$/),
  })
  .partial();

export const ZChannelPatch = z.object(channelFields).partial();

export const ZAddFriends = z.object({
  count: z.number().int().min(1).max(100_000),
  seed: z.string().optional(),
  state: z.enum(['friend', 'blocked', 'none']).optional(),
  appType: z.enum(['ios', 'android', 'pc']).optional(),
  displayNames: z.array(z.string().min(1)).optional(),
  /** Send follow webhooks for the new friends (one per friend). */
  webhooks: z.boolean().optional(),
});

export const ZUserMessage = z.union([
  z.object({ type: z.literal('text').optional(), text: z.string().min(1).max(5000) }),
  z.object({ type: z.literal('sticker'), packageId: z.string(), stickerId: z.string() }),
  z.object({ type: z.literal('location'), title: z.string().optional(), address: z.string().optional(), latitude: z.number(), longitude: z.number() }),
]);

export const ZPostback = z.object({ data: z.string().max(300), params: z.record(z.string(), z.string()).optional(), displayText: z.string().optional() });

export const ZTap = z.object({
  messageId: z.string().optional(),
  action: z.record(z.string(), z.unknown()).and(z.object({ type: z.string() })),
  datetime: z.string().optional(),
  fromQuickReply: z.boolean().optional(),
});

const selector = {
  requestId: z.string().optional(),
  unit: z.string().optional(),
  textContains: z.string().optional(),
  share: z.number().min(0).max(1).optional(),
  percent: z.number().min(0).max(100).optional(),
  seed: z.string().optional(),
};

export const ZDeliveryCheck = z.object({
  requestId: z.string().optional(),
  unit: z.string().optional(),
  textContains: z.string().optional(),
  retryKey: z.string().optional(),
  endpoint: z.string().optional(),
  /** The user ids that should have received it exactly once: who is missing, and who got it without being asked for. */
  audience: z.array(z.string()).max(2_000_000).optional(),
  /** Leave out the per-user map (a million-guest campaign). */
  summary: z.boolean().optional(),
});

export const ZScriptOpen = z.object(selector);
export const ZScriptClick = z.object({
  ...selector,
  action: z.object({ label: z.string().optional(), index: z.number().int().min(0).optional(), type: z.string().optional(), data: z.string().optional(), uri: z.string().optional() }).optional(),
  batchSize: z.number().int().min(1).max(100).optional(),
  concurrency: z.number().int().min(1).max(64).optional(),
});

export const ZLiffToken = z.object({ channelId: z.string(), userId: z.string(), nonce: z.string().optional(), ttlSeconds: z.number().int().optional(), email: z.string().optional() });
export const ZLiffOpen = z.object({ channelId: z.string(), userId: z.string(), url: z.string() });
export const ZAdvance = z.object({ ms: z.number().optional(), seconds: z.number().optional(), minutes: z.number().optional(), hours: z.number().optional(), days: z.number().optional() });
