import type { Clock } from './state/clock.ts';
import type { FaultConfig, RateSpec, SameUserLimit } from './state/types.ts';

export type SimulatorOptions = {
  /** Seed for every generated id (request ids, message ids, tokens, channel credentials). */
  seed?: string;
  /** Injected time source; the admin API can still move the simulator's clock forward on top of it. */
  clock?: Clock;
  /** Fastify logger setting (default off). */
  logger?: boolean;
  /** Token-bucket rate limits as LINE documents them (default on). */
  rateLimits?: boolean;
  /**
   * Bucket capacity as a duration of the limit: 50 ms of multicast (200/s) is 10 requests, of push (2,000/s) 100; at
   * least 1. LINE documents no burst and warns that a client pacing exactly at the limit can be refused. null = a full
   * period (the old, kinder behaviour). Default 50.
   */
  rateLimitBurstMs?: number | null;
  /** The "too many messages to the same user" 429 on push (off by default; LINE publishes no threshold). */
  sameUserLimit?: SameUserLimit | null;
  /** Replace LINE's limit for an endpoint key ("POST /v2/bot/message/push") on every channel. */
  rateLimitOverrides?: Record<string, RateSpec>;
  /** Default fault settings for new channels. */
  faults?: Partial<FaultConfig>;
  /** How many timeline entries to keep per friend (counters keep counting past it). */
  timelineLimit?: number;
  /** LINE treats a webhook as failed without a 2xx within 2 s. */
  webhookTimeoutMs?: number;
  /** Reply tokens must be used within a minute of the webhook. */
  replyTokenTtlMs?: number;
  /** Public base URL of the simulator, used in generated picture URLs and LIFF links. */
  publicUrl?: string;
  /** Used for injected latency; tests may replace it. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * A request header in which a harness's client writes when it put the request on the wire (ms on the simulator's
   * clock: epoch ms when both run on one machine), so the request's arrival at "LINE" is that time plus the way there
   * rather than when this process got round to reading it (see `arrivalOf` in http/pipeline.ts). Off (null) by default;
   * bench:push turns it on for its workers. A value more than a second before the request was read is taken as a second.
   */
  sentAtHeader?: string | null;
  /** LINE only accepts HTTPS media URLs; turn off for demos whose images are served over http://localhost (a channel may override it). */
  strictHttps?: boolean;
  /** Seed a demo channel with virtual friends at start-up. */
  demo?: boolean | DemoOptions;
  /**
   * The simulated phone's time zone (IANA): the chat page shows message times in it, as a guest's phone shows its own
   * zone's, whatever zone the machine or browser viewing the page is in. Default Asia/Taipei (the hotels' guests).
   */
  timeZone?: string;
};

export type DemoOptions = {
  channelId?: string;
  channelSecret?: string;
  channelAccessToken?: string;
  loginChannelId?: string;
  loginChannelSecret?: string;
  displayName?: string;
  webhookUrl?: string | null;
  liffEndpointUrl?: string | null;
  friends?: number;
};

export type ResolvedOptions = {
  seed: string;
  logger: boolean;
  rateLimits: boolean;
  rateLimitOverrides: Record<string, RateSpec>;
  rateLimitBurstMs: number | null;
  sameUserLimit: SameUserLimit | null;
  faults: FaultConfig;
  timelineLimit: number;
  webhookTimeoutMs: number;
  replyTokenTtlMs: number;
  publicUrl: string;
  sleep: (ms: number) => Promise<void>;
  sentAtHeader: string | null;
  strictHttps: boolean;
  timeZone: string;
};

export const NO_FAULTS: FaultConfig = {
  errorRate: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
  dropRate: 0,
  dropAfterAcceptRate: 0,
  errorAfterAcceptRate: 0,
  burst429Rate: 0,
  burst429Length: 5,
  stallRate: 0,
  stallMs: 30_000,
  endpoints: null,
};

export function resolveOptions(o: SimulatorOptions): ResolvedOptions {
  return {
    seed: o.seed ?? 'innkeeper-line-simulator',
    logger: o.logger ?? false,
    rateLimits: o.rateLimits ?? true,
    rateLimitOverrides: o.rateLimitOverrides ?? {},
    rateLimitBurstMs: o.rateLimitBurstMs === undefined ? 50 : o.rateLimitBurstMs,
    sameUserLimit: o.sameUserLimit ?? null,
    faults: { ...NO_FAULTS, ...o.faults },
    timelineLimit: o.timelineLimit ?? 500,
    webhookTimeoutMs: o.webhookTimeoutMs ?? 2000,
    replyTokenTtlMs: o.replyTokenTtlMs ?? 60_000,
    publicUrl: (o.publicUrl ?? 'http://127.0.0.1:3900').replace(/\/$/, ''),
    sleep: o.sleep ?? ((ms) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve())),
    sentAtHeader: o.sentAtHeader?.toLowerCase() ?? null,
    strictHttps: o.strictHttps ?? true,
    timeZone: knownTimeZone(o.timeZone ?? 'Asia/Taipei'),
  };
}

/** A zone the runtime knows (Intl throws a RangeError otherwise): refused at start-up, not on the page. */
function knownTimeZone(zone: string): string {
  new Intl.DateTimeFormat('en', { timeZone: zone });
  return zone;
}
