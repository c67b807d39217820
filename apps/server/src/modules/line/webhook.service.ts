import { validateSignature } from '@line/bot-sdk';
import { z } from 'zod';
import type { Database } from '../../core/db/database.ts';
import { databaseError } from '../../core/errors.ts';
import { newId, type TenantId } from '../../core/ids.ts';
import type { JobQueue, JobRef } from '../../core/jobs/queue.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { findChannel } from './channels.repository.ts';
import { receiveEvents } from './inbox.repository.ts';

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
    const hasNul = text.includes(NUL_ESCAPE);
    let json: unknown;
    try {
      // A NUL (U+0000) in a message: jsonb cannot hold it, and the whole request failed as a 500 LINE retried. It
      // carries nothing a guest meant, so it is dropped; the reviver runs only on the rare body that has one.
      json = hasNul ? JSON.parse(text, withoutNul) : JSON.parse(text);
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
    const envelope = ZEnvelope.safeParse(json);
    if (!envelope.success) return { ok: false, reason: envelope.error.issues[0]?.message ?? 'invalid envelope' };
    return { ok: true, events: envelope.data.events, json: hasNul ? JSON.stringify(json) : text };
  }

  /** After the commit: a worker is told when new events were stored (not awaited, see above). */
  function woken(tenantId: TenantId, outcome: WebhookOutcome): WebhookOutcome {
    if (outcome.kind === 'accepted' && outcome.stored > 0) deps.queue().enqueueSoon(deps.processJob, { tenantId }, { singletonKey: tenantId });
    return outcome;
  }

  /**
   * A verified request: its events stored in one statement that commits on its own (inbox.receiveEvents); until it
   * has, a worker about to claim this tenant's events waits for it (the arrival lock, see inbox.awaitArrivals).
   */
  async function receiveVerified(input: Input, channel: KnownChannel): Promise<WebhookOutcome> {
    const body = parse(input.rawBody);
    if (!body.ok) return { kind: 'bad_body', reason: body.reason };
    if (body.events.length === 0) return { kind: 'accepted', stored: 0, duplicates: 0 };
    try {
      const stored = await receiveEvents(deps.db, input.tenantId, channel.id, body.json, body.events.map(() => newId()));
      return woken(input.tenantId, { kind: 'accepted', stored, duplicates: body.events.length - stored });
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
