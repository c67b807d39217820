import type { SimContext } from '../context.ts';
import { SimError } from '../http/errors.ts';
import { createCounters } from './store.ts';
import type { Channel, FaultConfig, LiffApp, RateSpec, SameUserLimit, WebhookConfig } from './types.ts';

export type ChannelInput = {
  channelId?: string;
  channelSecret?: string;
  channelAccessToken?: string;
  providerId?: string;
  botUserId?: string;
  basicId?: string;
  displayName?: string;
  pictureUrl?: string | null;
  chatMode?: 'bot' | 'chat';
  markAsReadMode?: 'auto' | 'manual';
  verified?: boolean;
  monthlyQuota?: number | null;
  loginChannelId?: string;
  loginChannelSecret?: string;
  liffApps?: { liffId?: string; endpointUrl: string; viewType?: LiffApp['viewType'] }[];
  webhookUrl?: string | null;
  webhook?: Partial<WebhookConfig>;
  faults?: Partial<FaultConfig>;
  rateLimits?: { enabled?: boolean; overrides?: Record<string, RateSpec> };
  sameUserLimit?: SameUserLimit | null;
  /** Override the simulator-wide strictHttps for this channel (null: follow it). */
  strictHttps?: boolean | null;
};

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function channelNumber(ctx: SimContext): string {
  return String(1_600_000_000 + ctx.random.int(399_999_999));
}

function liffIdFor(ctx: SimContext, loginChannelId: string): string {
  const suffix = Array.from(ctx.random.bytes(8), (b) => ALNUM[b % ALNUM.length]).join('');
  return `${loginChannelId}-${suffix}`;
}

export function createChannel(ctx: SimContext, input: ChannelInput): Channel {
  const { store, random } = ctx;
  const channelId = input.channelId ?? channelNumber(ctx);
  if (store.channels.has(channelId)) throw new SimError(409, `channel ${channelId} already exists`);
  const channelAccessToken = input.channelAccessToken ?? random.token(172);
  if (store.byToken.has(channelAccessToken)) throw new SimError(409, 'channelAccessToken is already used by another channel');
  const loginChannelId = input.loginChannelId ?? channelNumber(ctx);
  if (store.byLoginChannel.has(loginChannelId)) throw new SimError(409, `login channel ${loginChannelId} already exists`);

  const channel: Channel = {
    channelId,
    channelSecret: input.channelSecret ?? random.hex(32),
    channelAccessToken,
    providerId: input.providerId ?? `provider-${channelId}`,
    botUserId: input.botUserId ?? `U${random.hex(32)}`,
    basicId: input.basicId ?? `@${String(100 + random.int(900))}${Array.from(random.bytes(5), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26]).join('')}`,
    displayName: input.displayName ?? 'Innkeeper Hotel',
    pictureUrl: input.pictureUrl ?? null,
    chatMode: input.chatMode ?? 'bot',
    markAsReadMode: input.markAsReadMode ?? 'auto',
    verified: input.verified ?? true,
    monthlyQuota: input.monthlyQuota === undefined ? null : input.monthlyQuota,
    loginChannelId,
    loginChannelSecret: input.loginChannelSecret ?? random.hex(32),
    liffApps: [],
    webhook: {
      url: input.webhookUrl ?? input.webhook?.url ?? null,
      active: true,
      timeoutMs: ctx.options.webhookTimeoutMs,
      redelivery: false,
      redeliveryAttempts: 3,
      redeliveryIntervalMs: 1000,
      signature: 'valid',
      duplicateRate: 0,
      ...stripUndefined(input.webhook ?? {}),
    },
    faults: { ...ctx.options.faults, ...stripUndefined(input.faults ?? {}) },
    rateLimits: { enabled: input.rateLimits?.enabled ?? ctx.options.rateLimits, overrides: input.rateLimits?.overrides ?? {} },
    sameUserLimit: input.sameUserLimit === undefined ? ctx.options.sameUserLimit : input.sameUserLimit,
    strictHttps: input.strictHttps ?? null,
    createdAt: ctx.clock.now(),
    friends: new Map(),
    retryKeys: new Map(),
    buckets: new Map(),
    pending429: 0,
    pending500: 0,
    usage: new Map(),
    sends: new Map(),
    unitsByMonth: new Map(),
    narrowcasts: new Map(),
    richMenus: new Map(),
    defaultRichMenuId: null,
    aliases: new Map(),
    audiences: new Map(),
    replyTokens: new Map(),
    linkTokens: new Map(),
    deliveryCounts: new Map(),
    unitDeliveries: new Map(),
    recentDeliveries: new Map(),
    webhookLog: [],
    counters: createCounters(),
  };
  if (input.webhookUrl !== undefined) channel.webhook.url = input.webhookUrl;
  channel.liffApps = (input.liffApps ?? []).map((a) => ({
    liffId: a.liffId ?? liffIdFor(ctx, loginChannelId),
    endpointUrl: a.endpointUrl,
    viewType: a.viewType ?? 'full',
  }));
  store.channels.set(channelId, channel);
  store.byToken.set(channelAccessToken, channel);
  store.byLoginChannel.set(loginChannelId, channel);
  store.version++;
  return channel;
}

export type ChannelPatch = Omit<ChannelInput, 'channelId' | 'providerId' | 'botUserId' | 'loginChannelId'>;

export function updateChannel(ctx: SimContext, channel: Channel, patch: ChannelPatch): Channel {
  const { store } = ctx;
  if (patch.channelAccessToken && patch.channelAccessToken !== channel.channelAccessToken) {
    if (store.byToken.has(patch.channelAccessToken)) throw new SimError(409, 'channelAccessToken is already used by another channel');
    store.byToken.delete(channel.channelAccessToken);
    channel.channelAccessToken = patch.channelAccessToken;
    store.byToken.set(channel.channelAccessToken, channel);
  }
  const simple = ['channelSecret', 'basicId', 'displayName', 'pictureUrl', 'chatMode', 'markAsReadMode', 'verified', 'monthlyQuota', 'loginChannelSecret'] as const;
  for (const key of simple) {
    if (patch[key] !== undefined) (channel as Record<string, unknown>)[key] = patch[key];
  }
  if (patch.webhook) Object.assign(channel.webhook, stripUndefined(patch.webhook));
  if (patch.webhookUrl !== undefined) channel.webhook.url = patch.webhookUrl;
  if (patch.faults) Object.assign(channel.faults, stripUndefined(patch.faults));
  if (patch.sameUserLimit !== undefined) channel.sameUserLimit = patch.sameUserLimit;
  if (patch.strictHttps !== undefined) channel.strictHttps = patch.strictHttps;
  if (patch.rateLimits?.enabled !== undefined) channel.rateLimits.enabled = patch.rateLimits.enabled;
  if (patch.rateLimits?.overrides) {
    channel.rateLimits.overrides = patch.rateLimits.overrides;
    channel.buckets.clear();
  }
  if (patch.liffApps) {
    channel.liffApps = patch.liffApps.map((a) => ({
      liffId: a.liffId ?? liffIdFor(ctx, channel.loginChannelId),
      endpointUrl: a.endpointUrl,
      viewType: a.viewType ?? 'full',
    }));
  }
  store.version++;
  return channel;
}

export function deleteChannel(ctx: SimContext, channel: Channel): void {
  ctx.store.channels.delete(channel.channelId);
  ctx.store.byToken.delete(channel.channelAccessToken);
  ctx.store.byLoginChannel.delete(channel.loginChannelId);
  ctx.store.version++;
}

export function requireChannel(ctx: SimContext, channelId: string): Channel {
  const channel = ctx.store.channels.get(channelId);
  if (!channel) throw new SimError(404, `no channel ${channelId}`);
  return channel;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// The admin view includes secrets on purpose: tests and the demo wiring need them.
export function channelView(channel: Channel) {
  return {
    channelId: channel.channelId,
    channelSecret: channel.channelSecret,
    channelAccessToken: channel.channelAccessToken,
    providerId: channel.providerId,
    botUserId: channel.botUserId,
    basicId: channel.basicId,
    displayName: channel.displayName,
    pictureUrl: channel.pictureUrl,
    chatMode: channel.chatMode,
    markAsReadMode: channel.markAsReadMode,
    verified: channel.verified,
    monthlyQuota: channel.monthlyQuota,
    webhookUrl: channel.webhook.url,
    webhook: channel.webhook,
    loginChannelId: channel.loginChannelId,
    loginChannelSecret: channel.loginChannelSecret,
    liffIds: channel.liffApps.map((a) => a.liffId),
    liffApps: channel.liffApps,
    faults: channel.faults,
    rateLimits: channel.rateLimits,
    sameUserLimit: channel.sameUserLimit,
    strictHttps: channel.strictHttps,
    friendCount: [...channel.friends.values()].filter((f) => f.state === 'friend').length,
    createdAt: new Date(channel.createdAt).toISOString(),
  };
}
