import { type SimContext, track } from '../context.ts';
import type { Channel, WebhookDelivery } from '../state/types.ts';
import type { WebhookEvent } from './events.ts';
import { signBody } from './sign.ts';

const LOG_LIMIT = 2000;
// Not documented by LINE; this is the value LINE's servers are commonly seen sending.
const USER_AGENT = 'LineBotWebhook/2.0';

type Attempt = { isRedelivery: boolean; attempt: number; duplicate: boolean };

export function webhookBody(channel: Channel, events: WebhookEvent[], isRedelivery: boolean): string {
  return JSON.stringify({
    destination: channel.botUserId,
    events: events.map((e) => ({ ...e, deliveryContext: { isRedelivery } })),
  });
}

/**
 * POST events to the channel's webhook URL and record the outcome. Failed deliveries are redelivered
 * in the background (same webhookEventId and replyToken, isRedelivery true) when the channel has
 * redelivery switched on, as LINE does.
 */
export async function deliverWebhook(ctx: SimContext, channel: Channel, events: WebhookEvent[], attempt: Attempt = { isRedelivery: false, attempt: 1, duplicate: false }): Promise<WebhookDelivery> {
  const cfg = channel.webhook;
  const record: WebhookDelivery = {
    id: ++ctx.store.webhookSeq,
    at: ctx.clock.now(),
    url: cfg.url,
    eventIds: events.map((e) => e.webhookEventId),
    eventTypes: events.map((e) => e.type),
    isRedelivery: attempt.isRedelivery,
    duplicate: attempt.duplicate,
    attempt: attempt.attempt,
    status: null,
    ok: false,
    latencyMs: 0,
    error: null,
  };
  if (!cfg.url || !cfg.active) {
    record.error = cfg.url ? 'webhook inactive' : 'no webhook URL';
    log(channel, record);
    return record;
  }
  const body = webhookBody(channel, events, attempt.isRedelivery);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT };
  if (cfg.signature === 'valid') headers['x-line-signature'] = signBody(channel.channelSecret, body);
  if (cfg.signature === 'invalid') headers['x-line-signature'] = signBody(`${channel.channelSecret}-forged`, body);

  if (attempt.isRedelivery) {
    for (const e of events) {
      const t = e.replyToken ? channel.replyTokens.get(e.replyToken) : undefined;
      if (t) t.deliveredAt = ctx.clock.now();
    }
  }
  channel.counters.webhooks.attempts++;
  if (attempt.isRedelivery) channel.counters.webhooks.redeliveries++;
  if (attempt.duplicate) channel.counters.webhooks.duplicates++;
  const started = performance.now();
  try {
    const res = await fetch(cfg.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(cfg.timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    record.status = res.status;
    record.ok = res.status >= 200 && res.status < 300;
    if (!record.ok) record.error = 'error_status_code';
  } catch (err) {
    const e = err as { name?: string };
    record.error = e.name === 'TimeoutError' ? 'request_timeout' : 'could_not_connect';
  }
  record.latencyMs = Math.round((performance.now() - started) * 10) / 10;
  log(channel, record);
  if (record.ok) channel.counters.webhooks.succeeded++;
  else channel.counters.webhooks.failed++;

  if (!record.ok && cfg.redelivery && attempt.attempt <= cfg.redeliveryAttempts) {
    track(ctx, later(ctx, cfg.redeliveryIntervalMs).then(() => deliverWebhook(ctx, channel, events, { isRedelivery: true, attempt: attempt.attempt + 1, duplicate: false })));
  }
  if (record.ok && !attempt.duplicate && !attempt.isRedelivery && cfg.duplicateRate > 0 && ctx.random.float() < cfg.duplicateRate) {
    track(ctx, deliverWebhook(ctx, channel, events, { isRedelivery: false, attempt: 1, duplicate: true }));
  }
  ctx.store.version++;
  return record;
}

function later(ctx: SimContext, ms: number): Promise<void> {
  return ms > 0 ? ctx.options.sleep(ms) : Promise.resolve();
}

function log(channel: Channel, record: WebhookDelivery): void {
  channel.webhookLog.push(record);
  if (channel.webhookLog.length > LOG_LIMIT) channel.webhookLog.splice(0, channel.webhookLog.length - LOG_LIMIT);
}
