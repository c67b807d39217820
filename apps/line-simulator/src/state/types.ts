import type { SigningKey } from '../liff/jwt.ts';
import type { Persona } from './names.ts';
import type { BotEntry, UnitTally } from './sent.ts';

export type FaultConfig = {
  /** Probability (0..1) that a Messaging API request fails with 500 before anything is accepted. */
  errorRate: number;
  /**
   * Round-trip latency in ms, ± latencyJitterMs (uniform, never below 0). Half is spent before the request is accepted
   * and half after, before the answer leaves: a client timeout shorter than the latency can then miss an accepted send.
   */
  latencyMs: number;
  latencyJitterMs: number;
  /** Probability that the connection is destroyed before the request is accepted. */
  dropRate: number;
  /** Probability that the request is accepted (delivered, retry key locked) and then the connection is destroyed. */
  dropAfterAcceptRate: number;
  /** Probability that the request is accepted (delivered, retry key locked) and then answered 500 all the same. */
  errorAfterAcceptRate: number;
  /** Probability that a request starts a burst of burst429Length consecutive 429 answers. */
  burst429Rate: number;
  burst429Length: number;
  /**
   * Probability that a request's answer is held back `stallMs` more after it was handled (accepted or not): with a
   * stall longer than the client's timeout, the client gives up on a send LINE may have delivered (a timeout).
   */
  stallRate: number;
  stallMs: number;
  /** Restrict faults to these endpoint keys ("POST /v2/bot/message/push"); null means every Messaging API endpoint. */
  endpoints: string[] | null;
};

export type WebhookConfig = {
  url: string | null;
  active: boolean;
  timeoutMs: number;
  /** LINE's redelivery switch (off by default on LINE too). */
  redelivery: boolean;
  redeliveryAttempts: number;
  redeliveryIntervalMs: number;
  /** 'invalid' and 'missing' let tests prove the receiver rejects forged webhooks. */
  signature: 'valid' | 'invalid' | 'missing';
  /** Probability of sending the same events a second time with isRedelivery false (LINE warns this can happen). */
  duplicateRate: number;
};

export type RateSpec = { limit: number; periodMs: number; capacity?: number };

/** LINE's "too many messages to the same user" 429 on push: more than `messages` deliveries to one user within `periodMs`. */
export type SameUserLimit = { messages: number; periodMs: number };

export type LiffApp = { liffId: string; endpointUrl: string; viewType: 'compact' | 'tall' | 'full' };

export type VirtualUser = Persona & {
  userId: string;
  providerId: string;
  pictureUrl: string | null;
  createdAt: number;
};

export type FriendState = 'friend' | 'blocked' | 'none';

export type SendEndpoint = 'push' | 'multicast' | 'narrowcast' | 'broadcast' | 'reply';

export type LineMessage = Record<string, unknown> & { type: string };

/** A bot entry is a reference to its send (state/sent.ts): its id and quote token are made when read. */
export type TimelineEntry =
  | BotEntry
  | { kind: 'user'; seq: number; id: string; at: number; message: LineMessage }
  | { kind: 'system'; seq: number; at: number; text: string };

export type Friendship = {
  userId: string;
  /** Its place in the channel's friends (0, 1, 2…): the index of its counts in typed arrays (UnitTally). */
  ordinal: number;
  state: FriendState;
  followedAt: number | null;
  blockedAt: number | null;
  lastUserMessageAt: number | null;
  timeline: TimelineEntry[];
  unread: number;
  /** Quick replies vanish after a tap; remember which message's quick reply was used. */
  quickReplyUsedFor: string | null;
  richMenuId: string | null;
  /** Messages and sends (deliveries) it received: the counters' per-user figures, kept on the friendship. */
  messagesReceived: number;
  deliveriesReceived: number;
  /** The mark of the last send that listed it (performSend: an id listed twice in one request is delivered once). */
  sendMark: number;
};

export type Tally = { count: number; users: Set<string> };

export type SendStats = {
  impressions: Map<number, Tally>;
  impressionUsers: Set<string>;
  clicks: Map<string, Tally & { bubble: number }>;
  clickUsers: Set<string>;
};

export type SendRecord = {
  requestId: string;
  endpoint: SendEndpoint;
  acceptedAt: number;
  retryKey: string | null;
  /** The unit LINE assigned (null past the month's 1,000th name) and the one the request asked for. */
  unit: string | null;
  requestedUnit: string | null;
  messages: LineMessage[];
  /**
   * The message ids of its deliveries are messageSeq firstMessageSeq + 1 … + delivered × messages, in recipient order,
   * reserved at once and made into strings when read (BotEntry); a push's or reply's ids, made before it was sent for
   * its answer, are presetIds instead.
   */
  firstMessageSeq: bigint;
  presetIds: { id: string; quoteToken: string | null }[] | null;
  /** The seed its quote tokens are made from (quoteTokenFor). */
  tokenSeed: string;
  delivered: string[];
  skipped: number;
  /** Ids the request listed more than once (LINE delivers once and says nothing). */
  duplicateIds: string[];
  stats: SendStats;
};

export type NarrowcastJob = {
  requestId: string;
  acceptedAt: number;
  completedAt: number | null;
  phase: 'waiting' | 'sending' | 'succeeded' | 'failed';
  successCount: number;
  failureCount: number;
  targetCount: number;
  errorCode?: number;
  failedDescription?: string;
};

export type AcceptedRequest = { requestId: string; acceptedAt: number; endpoint: string; status: number; body: unknown };
/** A retry key's 24 h window starts at its first attempt, failed ones included; it locks once a request with it is accepted. */
export type RetryKeyRecord = { firstAttemptAt: number; accepted: AcceptedRequest | null };

/**
 * A token bucket at `updatedAt` (the latest arrival judged), and the requests it accepted in the last second (their
 * arrival and the tokens there were just before each) after `floor` (its tokens at a time before them): a request
 * judged after later arrivals is fitted in among them.
 */
export type Bucket = { tokens: number; updatedAt: number; floor: { at: number; tokens: number }; accepted: Array<{ at: number; before: number }> };

export type RichMenu = {
  richMenuId: string;
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: { bounds: { x: number; y: number; width: number; height: number }; action: Record<string, unknown> }[];
  image: { contentType: string; data: Buffer } | null;
};

export type Audience = {
  audienceGroupId: number;
  description: string;
  status: 'IN_PROGRESS' | 'READY' | 'FAILED' | 'EXPIRED';
  created: number;
  expireTimestamp: number;
  isIfaAudience: boolean;
  userIds: Set<string>;
  jobs: { audienceGroupJobId: number; description: string; audienceCount: number; created: number }[];
};

export type ReplyTokenRecord = { userId: string; eventAt: number; deliveredAt: number; used: boolean };

export type WebhookDelivery = {
  id: number;
  at: number;
  url: string | null;
  eventIds: string[];
  eventTypes: string[];
  isRedelivery: boolean;
  duplicate: boolean;
  attempt: number;
  status: number | null;
  ok: boolean;
  latencyMs: number;
  error: string | null;
};

export type Counters = {
  requests: Map<string, { accepted: number; statuses: Map<number, number> }>;
  notDelivered: { blocked: number; notFriend: number; unknown: number };
  retryKeyConflicts: number;
  rateLimited: number;
  monthlyLimitRejections: number;
  faults: { error: number; drop: number; dropAfterAccept: number; errorAfterAccept: number; latency: number; burst429: number; stall: number };
  sameUserLimited: number;
  duplicateIdsInRequests: number;
  webhooks: { attempts: number; succeeded: number; failed: number; redeliveries: number; duplicates: number };
  impressions: number;
  clicks: number;
};

export type Channel = {
  channelId: string;
  channelSecret: string;
  channelAccessToken: string;
  providerId: string;
  botUserId: string;
  basicId: string;
  displayName: string;
  pictureUrl: string | null;
  chatMode: 'bot' | 'chat';
  markAsReadMode: 'auto' | 'manual';
  /** Followers IDs are only available to verified/premium accounts (403 otherwise). */
  verified: boolean;
  monthlyQuota: number | null;
  loginChannelId: string;
  loginChannelSecret: string;
  liffApps: LiffApp[];
  webhook: WebhookConfig;
  faults: FaultConfig;
  rateLimits: { enabled: boolean; overrides: Record<string, RateSpec> };
  sameUserLimit: SameUserLimit | null;
  /** null: the simulator-wide setting. */
  strictHttps: boolean | null;
  createdAt: number;

  friends: Map<string, Friendship>;
  retryKeys: Map<string, RetryKeyRecord>;
  buckets: Map<string, Bucket>;
  pending429: number;
  /** 500s the test handle asked for (injectErrors): the next requests of the fault filter's endpoints answer 500. */
  pending500: number;
  usage: Map<string, number>;
  sends: Map<string, SendRecord>;
  unitsByMonth: Map<string, string[]>;
  narrowcasts: Map<string, NarrowcastJob>;
  richMenus: Map<string, RichMenu>;
  defaultRichMenuId: string | null;
  aliases: Map<string, string>;
  audiences: Map<number, Audience>;
  replyTokens: Map<string, ReplyTokenRecord>;
  linkTokens: Map<string, { userId: string; issuedAt: number; used: boolean }>;
  deliveryCounts: Map<string, number>;
  /** Deliveries per requested aggregation unit per user: how tests count a campaign's messages per guest. */
  unitDeliveries: Map<string, UnitTally>;
  /** Recent push/multicast delivery times per user, for the same-user limit. */
  recentDeliveries: Map<string, number[]>;
  webhookLog: WebhookDelivery[];
  counters: Counters;
};

export type LiffAccessToken = { loginChannelId: string; userId: string; issuedAt: number; expiresAt: number; scope: string };

export type Store = {
  channels: Map<string, Channel>;
  byToken: Map<string, Channel>;
  byLoginChannel: Map<string, Channel>;
  users: Map<string, VirtualUser>;
  liffAccessTokens: Map<string, LiffAccessToken>;
  /** The key LIFF ID tokens are signed with (ES256, as LINE's); its public half is served at /oauth2/v2.1/certs. */
  idTokenKey: SigningKey;
  /** Bumped on every visible change so the chat page can poll cheaply. */
  version: number;
  messageSeq: bigint;
  timelineSeq: number;
  webhookSeq: number;
};
