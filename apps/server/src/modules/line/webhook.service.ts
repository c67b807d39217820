import { validateSignature } from '@line/bot-sdk';
import { z } from 'zod';
import type { Database, Tx } from '../../core/db/database.ts';
import { databaseError } from '../../core/errors.ts';
import { newId, type TenantId } from '../../core/ids.ts';
import type { JobQueue, JobRef } from '../../core/jobs/queue.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { findChannel } from './channels.repository.ts';
import { insertEvents } from './inbox.repository.ts';

// Parsed tolerantly: LINE adds fields and event types without notice.
const ZEvent = z.looseObject({
  type: z.string().min(1).max(50),
  webhookEventId: z.string().min(1).max(64),
  // The largest time a Date holds: beyond it the stored time was NULL and the request failed as a 500, which LINE retries.
  timestamp: z.number().int().nonnegative().max(8_640_000_000_000_000),
  source: z.looseObject({ type: z.string(), userId: z.string().max(64).optional() }).optional(),
  deliveryContext: z.looseObject({ isRedelivery: z.boolean() }).optional(),
});
const NUL_ESCAPE = '\\u0000';

/** JSON.parse's reviver: strings and keys without NUL. */
function withoutNul(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '');
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.keys(value).some((k) => k.includes('\u0000'))) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll('\u0000', ''), v]));
}

const ZEnvelope = z.looseObject({ destination: z.string().max(64), events: z.array(ZEvent).max(500) });
type WebhookEvent = z.infer<typeof ZEvent>;

export type WebhookOutcome =
  | { kind: 'accepted'; stored: number; duplicates: number }
  | { kind: 'unknown_channel' }
  | { kind: 'bad_signature' }
  | { kind: 'bad_body'; reason: string };

/** How long an API process trusts a channel secret it decrypted; a request that fails with it looks the channel up again. */
const SECRET_TTL_MS = 30_000;

type KnownChannel = { id: string; secret: string; expiresAt: number };

type Input = { tenantId: TenantId; channelId: string; rawBody: Buffer; signature: string | undefined };

/**
 * Receives one webhook request: checks the channel, verifies `x-line-signature` over the raw body (constant time, in
 * the SDK), stores every event in the inbox in one statement (redeliveries are no-ops), commits, and only then wakes
 * a worker, without waiting for it. Processing happens in the worker, so LINE gets its 200 in milliseconds; the
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
 * before any database work and their transaction is only the insert. A signature that fails with a
 * remembered secret is checked again against the stored channel (the secret may just have been changed); a channel
 * deleted meanwhile is caught by the inbox's foreign key. So a changed secret works at once, and a replaced secret is
 * accepted for at most SECRET_TTL_MS by processes that had it.
 */
export function createWebhookReceiver(deps: { db: Database; keyring: Keyring; queue: () => JobQueue; processJob: JobRef<{ tenantId: string }> }) {
  const known = new Map<string, KnownChannel>();

  function parse(rawBody: Buffer): { ok: true; events: WebhookEvent[] } | { ok: false; reason: string } {
    let json: unknown;
    try {
      // A NUL (U+0000) in a message: jsonb cannot hold it, and the whole request failed as a 500 LINE retried. It
      // carries nothing a guest meant, so it is dropped; the reviver runs only on the rare body that has one.
      json = rawBody.includes(NUL_ESCAPE) ? JSON.parse(rawBody.toString('utf8'), withoutNul) : JSON.parse(rawBody.toString('utf8'));
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
    const envelope = ZEnvelope.safeParse(json);
    if (!envelope.success) return { ok: false, reason: envelope.error.issues[0]?.message ?? 'invalid envelope' };
    return { ok: true, events: envelope.data.events };
  }

  async function store(tx: Tx, tenantId: TenantId, channelId: string, events: WebhookEvent[]): Promise<WebhookOutcome> {
    // Until this commits, a worker about to claim this tenant's events waits for it (the insert holds the tenant's
    // arrival lock, see inbox.awaitArrivals).
    const stored = await insertEvents(
      tx,
      tenantId,
      events.map((event) => ({
        tenantId,
        id: newId(),
        channelId,
        webhookEventId: event.webhookEventId,
        eventType: event.type,
        lineUserId: event.source?.userId ?? null,
        occurredAt: new Date(event.timestamp),
        payload: event as Record<string, unknown>,
        isRedelivery: event.deliveryContext?.isRedelivery ?? false,
      })),
    );
    return { kind: 'accepted', stored, duplicates: events.length - stored };
  }

  /** After the commit: a worker is told when new events were stored (not awaited, see above). */
  function woken(tenantId: TenantId, outcome: WebhookOutcome): WebhookOutcome {
    if (outcome.kind === 'accepted' && outcome.stored > 0) deps.queue().enqueueSoon(deps.processJob, { tenantId }, { singletonKey: tenantId });
    return outcome;
  }

  /** The fast path: the secret is known, so only a verified, well-formed request opens a transaction. */
  async function receiveKnown(input: Input, channel: KnownChannel): Promise<WebhookOutcome> {
    const body = parse(input.rawBody);
    if (!body.ok) return { kind: 'bad_body', reason: body.reason };
    if (body.events.length === 0) return { kind: 'accepted', stored: 0, duplicates: 0 };
    try {
      return woken(input.tenantId, await deps.db.withTenant(input.tenantId, (tx) => store(tx, input.tenantId, channel.id, body.events)));
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
      if (input.signature && validateSignature(input.rawBody, remembered.secret, input.signature)) return receiveKnown(input, remembered);
      known.delete(key);
    }
    const outcome = await deps.db.withTenant(input.tenantId, async (tx): Promise<WebhookOutcome> => {
      const channel = await findChannel(tx, input.tenantId, input.channelId);
      if (!channel) return { kind: 'unknown_channel' };
      const secret = deps.keyring.decrypt(channel.channelSecretEncrypted);
      if (known.size >= 10_000) known.clear();
      known.set(key, { id: channel.id, secret, expiresAt: now + SECRET_TTL_MS });
      if (!input.signature || !validateSignature(input.rawBody, secret, input.signature)) return { kind: 'bad_signature' };
      const body = parse(input.rawBody);
      if (!body.ok) return { kind: 'bad_body', reason: body.reason };
      return store(tx, input.tenantId, channel.id, body.events);
    });
    return woken(input.tenantId, outcome);
  };
}

export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>;
