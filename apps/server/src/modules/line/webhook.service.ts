import { validateSignature } from '@line/bot-sdk';
import { z } from 'zod';
import type { Database } from '../../core/db/database.ts';
import { databaseError } from '../../core/errors.ts';
import { newId, type TenantId } from '../../core/ids.ts';
import type { JobQueue, JobRef } from '../../core/jobs/queue.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { findChannel } from './channels.repository.ts';
import { receiveEventBatch, receiveEvents } from './inbox.repository.ts';
import { LINE_USER_ID } from './line-user-id.ts';

// Parsed tolerantly: LINE adds fields and event types without notice.
const ZEvent = z.looseObject({
  type: z.string().min(1).max(50),
  webhookEventId: z.string().min(1).max(64),
  // The largest time a Date holds: beyond it the stored time was NULL and the request failed as a 500, which LINE retries.
  timestamp: z.number().int().nonnegative().max(8_640_000_000_000_000),
  // LINE's user ids are letters and digits (U and 32 hex digits; LINE_USER_ID). Anything else is refused before it is stored: a
  // campaign batch joins its guests' ids with commas (campaign-batches.repository.ts), so an id holding one would
  // split into two recipients (attack review, 2026-12-07).
  source: z.looseObject({ type: z.string(), userId: z.string().regex(LINE_USER_ID).optional() }).optional(),
  deliveryContext: z.looseObject({ isRedelivery: z.boolean() }).optional(),
});
/**
 * Escapes jsonb refuses in a body JSON.parse takes: a NUL (\u0000), and a UTF-16 surrogate (\ud800–\udfff), which
 * jsonb takes only as a high and low pair (half an emoji, a text cut between the two, failed the whole request as a
 * 500 LINE retried; in a burst, every request stored together with it was taken again one by one).
 */
const NEEDS_CLEANING = /\\u(?:0000|[dD][89a-fA-F])/;
/** A surrogate without its other half (matched per UTF-16 unit: no `u` flag). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const clean = (text: string) => text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\ufffd');

/** JSON.parse's reviver: strings and keys without NUL, a lone surrogate replaced (U+FFFD). */
function withoutNul(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return clean(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (!Object.keys(value).some((k) => clean(k) !== k)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), v]));
}

const ZEnvelope = z.looseObject({ destination: z.string().max(64), events: z.array(ZEvent).max(500) });
type WebhookEvent = z.infer<typeof ZEvent>;

export type WebhookOutcome =
  | { kind: 'accepted' }
  | { kind: 'unknown_channel' }
  | { kind: 'bad_signature' }
  | { kind: 'bad_body'; reason: string };

/** How long an API process trusts a channel secret it decrypted; a request that fails with it looks the channel up again. */
const SECRET_TTL_MS = 30_000;

type KnownChannel = { id: string; secret: string; expiresAt: number };

type Input = { tenantId: TenantId; channelId: string; rawBody: Buffer; signature: string | undefined };

/**
 * Statements storing one channel's requests that may run at once (each on its own pooled connection). While they all
 * run, the channel's next requests wait, and the next free one stores all that waited together.
 */
const STORES_PER_CHANNEL = 2;
/** At most this many events in one statement (a webhook request carries at most 500). */
const EVENTS_PER_STORE = 2_000;
/**
 * And at most this much JSON text (characters) in one statement: events are small on average, but a few requests of
 * large events (long texts, many mentions) must not add up to a statement of many megabytes, parsed as one jsonb
 * value by one backend. A single request larger than this is still stored, alone.
 */
const TEXT_PER_STORE = 1_000_000;

/**
 * Takes from the front of `waiting` the requests one statement stores: at least one, then as many more, in arrival
 * order, as keep it within EVENTS_PER_STORE events and TEXT_PER_STORE characters of JSON.
 */
export function takeGroup<T extends { json: string; ids: readonly string[] }>(waiting: T[]): T[] {
  const group: T[] = [];
  let events = 0;
  let text = 0;
  while (waiting.length > 0) {
    const next = waiting[0]!;
    if (group.length > 0 && (events + next.ids.length > EVENTS_PER_STORE || text + next.json.length > TEXT_PER_STORE)) break;
    group.push(waiting.shift()!);
    events += next.ids.length;
    text += next.json.length;
  }
  return group;
}

/** A verified request waiting for its events to be stored. */
type Waiting = { json: string; ids: string[]; done: (error?: unknown) => void };

/**
 * Receives one webhook request: checks the channel, verifies `x-line-signature` over the raw body (constant time, in
 * the SDK), stores every event in the inbox in one statement (redeliveries are no-ops; in a burst, one statement for
 * the channel's requests that waited together, see store), commits, and only then wakes a worker, without waiting for it. Processing happens in the worker, so LINE gets its 200 in milliseconds; the
 * answer still comes only once the events are committed.
 *
 * The wake-up is not in the transaction: it was three statements of every request's (the queue role, pg-boss's
 * insert, the app role back), for a job that a burst of requests collapses into one anyway. It is written right after
 * the commit, coalesced per tenant (JobQueue.enqueueSoon), and its queue keeps one queued per tenant: when one is
 * already waiting, this one is dropped and the waiting one (which has not started: a drain that had started would
 * not be the waiting one) drains these rows too. Events whose wake-up was lost (the process died right after the
 * commit, the queue refused) are found by the sweep (line.jobs.ts), at most a minute later.
 *
 * The channel's decrypted secret is kept per API process for SECRET_TTL_MS, so a busy channel's requests are verified
 * before any database work, and their one database round trip is the insert that commits itself. A signature that fails with a
 * remembered secret is checked again against the stored channel (the secret may just have been changed); a channel
 * deleted meanwhile is caught by the inbox's foreign key. So a changed secret works at once, and a replaced secret is
 * accepted for at most SECRET_TTL_MS by processes that had it.
 */
export function createWebhookReceiver(deps: { db: Database; keyring: Keyring; queue: () => JobQueue; processJob: JobRef<{ tenantId: string }> }) {
  const known = new Map<string, KnownChannel>();

  /** The validated events, and the JSON PostgreSQL stores them from (the body as received, or cleaned of NULs). */
  function parse(rawBody: Buffer): { ok: true; events: WebhookEvent[]; json: string } | { ok: false; reason: string } {
    const text = rawBody.toString('utf8');
    const hasNul = NEEDS_CLEANING.test(text);
    let json: unknown;
    try {
      // A NUL (U+0000) in a message: jsonb cannot hold it, and the whole request failed as a 500 LINE retried. It
      // carries nothing a guest meant, so it is dropped (a lone surrogate becomes U+FFFD, NEEDS_CLEANING); the
      // reviver runs only on the rare body that has one (or an escaped surrogate pair, kept as it is).
      json = hasNul ? JSON.parse(text, withoutNul) : JSON.parse(text);
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
    const envelope = ZEnvelope.safeParse(json);
    if (!envelope.success) return { ok: false, reason: envelope.error.issues[0]?.message ?? 'invalid envelope' };
    return { ok: true, events: envelope.data.events, json: hasNul ? JSON.stringify(json) : text };
  }

  /** After the commit: a worker is told when new events were stored (not awaited, see above). */
  function wake(tenantId: TenantId, stored: number): void {
    if (stored > 0) deps.queue().enqueueSoon(deps.processJob, { tenantId }, { singletonKey: tenantId });
  }

  /** Per channel: its statements under way, and the verified requests waiting for one. */
  const lanes = new Map<string, { running: number; waiting: Waiting[] }>();

  /**
   * Stores a verified request's events; resolves once they are committed. A request that finds fewer than
   * STORES_PER_CHANNEL statements of its channel under way is stored at once, alone, as before; otherwise it waits, and
   * when one of those ends, every request that waited meanwhile (takeGroup: up to EVENTS_PER_STORE events and
   * TEXT_PER_STORE of text) is stored by one statement (inbox.receiveEventBatch): one commit for many. So a quiet channel's request waits for no one, and a burst
   * (a campaign's taps) costs the database a statement and a commit per handful of requests instead of per request —
   * the bare durable handler of bench/webhook pays one per request. If a statement of several requests fails, each is
   * stored again on its own, so a request's failure (its channel deleted meanwhile: 23503) is its own.
   */
  function store(tenantId: TenantId, channelId: string, json: string, ids: string[]): Promise<void> {
    const key = `${tenantId}/${channelId}`;
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { running: 0, waiting: [] }));
    const promise = new Promise<void>((resolve, reject) => lane.waiting.push({ json, ids, done: (error) => (error === undefined ? resolve() : reject(error)) }));
    pump(tenantId, channelId, key, lane);
    return promise;
  }

  function pump(tenantId: TenantId, channelId: string, key: string, lane: { running: number; waiting: Waiting[] }): void {
    while (lane.running < STORES_PER_CHANNEL && lane.waiting.length > 0) {
      const group = takeGroup(lane.waiting);
      lane.running += 1;
      void storeGroup(tenantId, channelId, group).finally(() => {
        lane.running -= 1;
        if (lane.running === 0 && lane.waiting.length === 0) lanes.delete(key);
        else pump(tenantId, channelId, key, lane);
      });
    }
  }

  async function storeGroup(tenantId: TenantId, channelId: string, group: Waiting[]): Promise<void> {
    if (group.length > 1) {
      try {
        wake(tenantId, await receiveEventBatch(deps.db, tenantId, channelId, group.map((w) => w.json), group.flatMap((w) => w.ids)));
        for (const w of group) w.done();
        return;
      } catch (error) {
        // 23503: the channel (or tenant) is gone, which every request of the group shares: each would fail the same,
        // so they are not taken again one by one (a burst of hundreds was as many statements at once on the pool).
        if (databaseError(error)?.code === '23503') {
          for (const w of group) w.done(error);
          return;
        }
        // Otherwise taken again one by one below: each request gets its own outcome.
      }
    }
    await Promise.all(
      group.map(async (w) => {
        try {
          wake(tenantId, await receiveEvents(deps.db, tenantId, channelId, w.json, w.ids));
          w.done();
        } catch (error) {
          w.done(error);
        }
      }),
    );
  }

  /**
   * A verified request: its events stored by a statement that commits on its own (store); until it has, a worker
   * about to claim this tenant's events waits for it (the arrival lock, see inbox.awaitArrivals).
   */
  async function receiveVerified(input: Input, channel: KnownChannel): Promise<WebhookOutcome> {
    const body = parse(input.rawBody);
    if (!body.ok) return { kind: 'bad_body', reason: body.reason };
    if (body.events.length === 0) return { kind: 'accepted' };
    try {
      await store(input.tenantId, channel.id, body.json, body.events.map(() => newId()));
      return { kind: 'accepted' };
    } catch (error) {
      // 23503: the inbox row's channel no longer exists; it was disconnected since its secret was remembered.
      if (databaseError(error)?.code !== '23503') throw error;
      known.delete(`${input.tenantId}/${input.channelId}`);
      return { kind: 'unknown_channel' };
    }
  }

  return async function receive(input: Input): Promise<WebhookOutcome> {
    const key = `${input.tenantId}/${input.channelId}`;
    const now = Date.now();
    const remembered = known.get(key);
    if (remembered && remembered.expiresAt > now) {
      if (input.signature && validateSignature(input.rawBody, remembered.secret, input.signature)) return receiveVerified(input, remembered);
      known.delete(key);
    }
    const channel = await deps.db.withTenant(input.tenantId, async (tx): Promise<KnownChannel | undefined> => {
      const found = await findChannel(tx, input.tenantId, input.channelId);
      return found && { id: found.id, secret: deps.keyring.decrypt(found.channelSecretEncrypted), expiresAt: now + SECRET_TTL_MS };
    });
    if (!channel) return { kind: 'unknown_channel' };
    if (known.size >= 10_000) known.clear();
    known.set(key, channel);
    if (!input.signature || !validateSignature(input.rawBody, channel.secret, input.signature)) return { kind: 'bad_signature' };
    return receiveVerified(input, channel);
  };
}

export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>;
