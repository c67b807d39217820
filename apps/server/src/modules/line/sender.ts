import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { LineApi } from './line-api.ts';
import type { SendEndpoint, SendPacing } from './send-pacing.ts';

/** The channel a send goes out on: the pacing key (tenant, channel row) and the token. */
export type SendingChannel = { tenantId: string; id: string; accessToken: string };

type SendCommon = {
  messages: messagingApi.Message[];
  /** A UUID stored by the caller before the first attempt and sent with every attempt: LINE accepts it once. */
  retryKey: string;
  /** One name (`^[a-zA-Z0-9_]{1,30}$`) so LINE's per-unit statistics can be read for the campaign later. */
  customAggregationUnits?: string[];
  notificationDisabled?: boolean;
  /** Which attempt this is (1 for the first): the backoff hint grows with it. */
  attempt?: number;
};
/**
 * A multicast's recipients as one text, LINE user ids joined by commas (`count` of them), as a campaign batch reads
 * them: split into the request's array only once its slot has come, so a request waiting for its slot holds one string.
 */
export type JoinedLineUserIds = { joined: string; count: number };
export type MulticastSend = SendCommon & { to: readonly string[] | JoinedLineUserIds };
export type PushSend = SendCommon & { to: string };

export type RetryReason = 'rate_limited' | 'paced' | 'same_user' | 'server_error' | 'timeout' | 'network';

/**
 * What became of one attempt. `accepted` includes 409 for our retry key: LINE accepted an earlier attempt (whose
 * answer was lost) and sent nothing now. `retryable` may be retried with the same key after `retryAfterMs`; `rejected`
 * (400 and other refusals: LINE sent nothing and will not) carries LINE's message and details for the batch's record.
 */
export type SendOutcome =
  | { kind: 'accepted'; requestId: string | null; alreadyAccepted: boolean; acceptedRequestId: string | null; sentMessages: messagingApi.SentMessage[] | null }
  | { kind: 'retryable'; reason: RetryReason; status: number | null; message: string; retryAfterMs: number; requestId: string | null }
  | { kind: 'rejected'; status: number; message: string; details: LineErrorDetail[]; requestId: string | null }
  | { kind: 'quota_exhausted'; message: string; requestId: string | null }
  | { kind: 'unauthorized'; message: string; requestId: string | null };

export type LineErrorDetail = { message: string; property?: string };

/** The channel's monthly message budget: LINE counts each recipient of each push or multicast. */
export type QuotaReading = { limit: number | null; used: number; remaining: number | null };

export type LineSender = {
  multicast(channel: SendingChannel, send: MulticastSend): Promise<SendOutcome>;
  push(channel: SendingChannel, send: PushSend): Promise<SendOutcome>;
  quota(channel: SendingChannel): Promise<QuotaReading>;
};

export const MULTICAST_MAX_RECIPIENTS = 500;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RETRY_KEY_ACCEPTED = 'The retry key is already accepted';
const MONTHLY_LIMIT = /monthly limit/i;
const SAME_USER = /same user|this user/i;

export type LineSenderOptions = {
  lineApi: LineApi;
  /** Shared pacing (PostgreSQL); without it sends are not paced (one-off pushes). */
  pacing?: SendPacing | null;
  /** How long one attempt may take before it counts as a timeout (it may still have been accepted: retry with the key). */
  timeoutMs?: number;
  /** Randomness for the backoff's jitter (tests fix it). */
  random?: () => number;
};

/**
 * The one way Innkeeper sends LINE messages (campaigns, automation, test sends, one-off pushes): the official SDK,
 * every attempt paced per channel across processes and carrying the caller's retry key, each answer classified. It
 * makes one attempt per call; the caller owns the retry loop (a campaign batch is retried by its job, with the same
 * key), guided by `retryAfterMs`.
 */
export function createLineSender(options: LineSenderOptions): LineSender {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const random = options.random ?? Math.random;

  // `call` builds the request's body itself, after the slot: what waits for the slot is the caller's, not a request.
  async function attempt<T>(channel: SendingChannel, endpoint: SendEndpoint, retryKey: string, attemptNo: number, call: (client: messagingApi.MessagingApiClient) => Promise<{ httpResponse: Response; body: T }>, sent: (body: T) => messagingApi.SentMessage[] | null): Promise<SendOutcome> {
    if (!UUID_RE.test(retryKey)) throw new TypeError(`retryKey must be a UUID, not ${retryKey}`);
    if (options.pacing) {
      const slot = await options.pacing.reserve(channel, endpoint);
      if ('busyForMs' in slot) return { kind: 'retryable', reason: 'paced', status: null, message: 'channel is paced', retryAfterMs: Math.ceil(slot.busyForMs), requestId: null };
      // Not a sleep of `waitMs`: the pacer's gate lets requests leave one interval apart as they actually leave. A slot
      // this process missed (stalled) is booked again, and that one may be further ahead than it waits.
      const departure = await options.pacing.depart(channel, endpoint, slot);
      if (!departure.left) return { kind: 'retryable', reason: 'paced', status: null, message: 'channel is paced', retryAfterMs: Math.ceil(departure.busyForMs), requestId: null };
    }
    const client = options.lineApi.messaging(channel.accessToken);
    try {
      const response = await withTimeout(call(client), timeoutMs);
      return { kind: 'accepted', requestId: response.httpResponse.headers.get('x-line-request-id'), alreadyAccepted: false, acceptedRequestId: null, sentMessages: sent(response.body) };
    } catch (error) {
      return classifyLineFailure(error, attemptNo, random);
    }
  }

  return {
    multicast(channel, send) {
      const count = 'joined' in send.to ? send.to.count : send.to.length;
      if (count < 1 || count > MULTICAST_MAX_RECIPIENTS) throw new RangeError(`a multicast goes to 1–${MULTICAST_MAX_RECIPIENTS} recipients, not ${count}`);
      const to = send.to;
      const recipients = (): string[] => ('joined' in to ? to.joined.split(',') : [...to]);
      return attempt(channel, 'multicast', send.retryKey, send.attempt ?? 1, (client) => client.multicastWithHttpInfo({ to: recipients(), messages: send.messages, ...extras(send) }, send.retryKey), () => null);
    },
    push(channel, send) {
      const body: messagingApi.PushMessageRequest = { to: send.to, messages: send.messages, ...extras(send) };
      return attempt(channel, 'push', send.retryKey, send.attempt ?? 1, (client) => client.pushMessageWithHttpInfo(body, send.retryKey), (response) => response.sentMessages);
    },
    async quota(channel) {
      const client = options.lineApi.messaging(channel.accessToken);
      const [quota, consumption] = await Promise.all([withTimeout(client.getMessageQuota(), timeoutMs), withTimeout(client.getMessageQuotaConsumption(), timeoutMs)]);
      const limit = quota.type === 'limited' ? (quota.value ?? 0) : null;
      return { limit, used: consumption.totalUsage, remaining: limit === null ? null : Math.max(0, limit - consumption.totalUsage) };
    },
  };
}

function extras(send: SendCommon) {
  return {
    ...(send.customAggregationUnits?.length ? { customAggregationUnits: send.customAggregationUnits } : {}),
    ...(send.notificationDisabled !== undefined ? { notificationDisabled: send.notificationDisabled } : {}),
  };
}

class AttemptTimeout extends Error {}

/**
 * The SDK takes no timeout or signal. The attempt is abandoned, not aborted: its answer, if one comes, is ignored, and
 * the retry carries the same key (LINE answers 409 if the abandoned attempt was accepted after all).
 */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AttemptTimeout(`no answer from LINE within ${ms} ms`)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Exponential backoff with full jitter: up to base·2^(attempt−1), capped; never below a tenth of the base. */
export function backoffMs(reason: RetryReason, attemptNo: number, random: () => number = Math.random): number {
  const base = reason === 'rate_limited' || reason === 'paced' ? 500 : reason === 'same_user' ? 60_000 : 1000;
  const cap = reason === 'same_user' ? 15 * 60_000 : 60_000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attemptNo - 1));
  return Math.round(Math.max(base / 10, ceiling * random()));
}

/** LINE's answer (or its absence) as one of the outcomes; anything that is not an HTTP answer is a network failure. */
export function classifyLineFailure(error: unknown, attemptNo = 1, random: () => number = Math.random): SendOutcome {
  const retry = (reason: RetryReason, status: number | null, message: string, requestId: string | null): SendOutcome => ({ kind: 'retryable', reason, status, message, retryAfterMs: backoffMs(reason, attemptNo, random), requestId });
  if (error instanceof AttemptTimeout) return retry('timeout', null, error.message, null);
  if (!(error instanceof HTTPFetchError)) return retry('network', null, error instanceof Error ? `${error.message}${causeOf(error)}` : String(error), null);
  const requestId = error.headers.get('x-line-request-id');
  const body = parseBody(error.body);
  const message = body.message ?? error.statusText ?? `HTTP ${error.status}`;
  if (error.status === 409 && (message === RETRY_KEY_ACCEPTED || error.headers.has('x-line-accepted-request-id'))) {
    const sentMessages = Array.isArray(body.sentMessages) ? (body.sentMessages as messagingApi.SentMessage[]) : null;
    return { kind: 'accepted', requestId, alreadyAccepted: true, acceptedRequestId: error.headers.get('x-line-accepted-request-id'), sentMessages };
  }
  if (error.status === 429) {
    if (MONTHLY_LIMIT.test(message)) return { kind: 'quota_exhausted', message, requestId };
    return retry(SAME_USER.test(message) ? 'same_user' : 'rate_limited', 429, message, requestId);
  }
  if (error.status === 401) return { kind: 'unauthorized', message, requestId };
  if (error.status >= 500) return retry('server_error', error.status, message, requestId);
  return { kind: 'rejected', status: error.status, message, details: Array.isArray(body.details) ? (body.details as LineErrorDetail[]) : [], requestId };
}

function parseBody(text: string): { message?: string; details?: unknown; sentMessages?: unknown } {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as { message?: string }) : {};
  } catch {
    return text ? { message: text.slice(0, 300) } : {};
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message ?? 'cause unknown'})` : '';
}

/**
 * Retries one send in place while LINE says "later" (up to `attempts`, sleeping the hint): for one-off pushes whose
 * job would rather finish now than wait for the queue's next try. Campaign batches retry through their jobs instead.
 */
export async function sendUntilSettled(send: (attemptNo: number) => Promise<SendOutcome>, attempts: number, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<SendOutcome> {
  for (let n = 1; ; n++) {
    const outcome = await send(n);
    if (outcome.kind !== 'retryable' || n >= attempts) return outcome;
    await sleep(Math.min(outcome.retryAfterMs, 5000));
  }
}
