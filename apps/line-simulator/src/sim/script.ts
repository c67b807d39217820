import type { SimContext } from '../context.ts';
import { SimError } from '../http/errors.ts';
import { stableFloat } from '../state/random.ts';
import type { Channel, SendRecord, TimelineEntry } from '../state/types.ts';
import { deliverWebhook } from '../webhooks/deliver.ts';
import type { WebhookEvent } from '../webhooks/events.ts';
import { openChat, tap } from './actions.ts';
import { type ActionSelector, collectActions, pickAction } from './message-actions.ts';

export type SendSelector = { requestId?: string; unit?: string; textContains?: string };

export function selectSends(channel: Channel, sel: SendSelector): SendRecord[] {
  if (!sel.requestId && !sel.unit && !sel.textContains) throw new SimError(400, 'give requestId, unit or textContains to pick the message');
  return [...channel.sends.values()].filter(
    (s) =>
      (sel.requestId === undefined || s.requestId === sel.requestId) &&
      (sel.unit === undefined || s.unit === sel.unit || s.requestedUnit === sel.unit) &&
      (sel.textContains === undefined || JSON.stringify(s.messages).includes(sel.textContains)),
  );
}

type BotEntry = Extract<TimelineEntry, { kind: 'bot' }>;

export type ScriptInput = SendSelector & {
  /** Share of recipients, 0..1 (or use percent). */
  share?: number;
  percent?: number;
  action?: ActionSelector;
  /** Different seeds pick different users; the same seed picks the same ones. */
  seed?: string;
  /** Events per webhook request (LINE may batch several users' events). */
  batchSize?: number;
  concurrency?: number;
};

function chooseUsers(ctx: SimContext, channel: Channel, sends: SendRecord[], input: ScriptInput): { recipients: string[]; chosen: string[] } {
  const recipients = [...new Set(sends.flatMap((s) => s.delivered))].filter((u) => channel.friends.get(u)?.state !== 'blocked');
  const share = input.share ?? (input.percent !== undefined ? input.percent / 100 : 1);
  if (!(share >= 0 && share <= 1)) throw new SimError(400, 'share must be between 0 and 1');
  const seed = input.seed ?? ctx.options.seed;
  const chosen = [...recipients].sort((a, b) => stableFloat(`${seed}:${a}`) - stableFloat(`${seed}:${b}`)).slice(0, Math.round(share * recipients.length));
  return { recipients, chosen };
}

function entriesFor(channel: Channel, userId: string, sends: SendRecord[]): BotEntry[] {
  const ids = new Set(sends.map((s) => s.requestId));
  return (channel.friends.get(userId)?.timeline ?? []).filter((e): e is BotEntry => e.kind === 'bot' && ids.has(e.requestId));
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/** Make a share of a message's recipients open it (impressions). */
export function scriptOpen(ctx: SimContext, channel: Channel, input: ScriptInput) {
  const sends = selectSends(channel, input);
  const { recipients, chosen } = chooseUsers(ctx, channel, sends, input);
  let impressions = 0;
  for (const userId of chosen) {
    const ids = entriesFor(channel, userId, sends).map((e) => e.id);
    impressions += openChat(ctx, channel, userId, ids).impressions;
  }
  return { sends: sends.length, recipients: recipients.length, opened: chosen.length, impressions, userIds: chosen };
}

/**
 * "Make P% of the recipients of message X tap button Y": each chosen user opens the message and taps
 * the action, producing the same webhooks, clicks and LIFF/URI opens as the chat page would.
 */
export async function scriptClick(ctx: SimContext, channel: Channel, input: ScriptInput) {
  const sends = selectSends(channel, input);
  const { recipients, chosen } = chooseUsers(ctx, channel, sends, input);
  const batchSize = Math.max(1, input.batchSize ?? 1);
  const collected: WebhookEvent[] = [];
  const opened: string[] = [];
  const clicked: string[] = [];
  const skipped: { userId: string; reason: string }[] = [];
  const results = { ok: 0, failed: 0, requests: 0 };

  await pool(chosen, input.concurrency ?? 8, async (userId) => {
    const entries = entriesFor(channel, userId, sends);
    const candidates = entries.flatMap((entry) => collectActions(entry.message).map((a) => ({ ...a, entry })));
    const found = pickAction(candidates, input.action) as ((typeof candidates)[number] & {}) | undefined;
    if (!found) {
      skipped.push({ userId, reason: entries.length === 0 ? 'message no longer in the chat' : 'no matching action' });
      return;
    }
    openChat(ctx, channel, userId, entries.map((e) => e.id));
    const res = await tap(ctx, channel, userId, { messageId: found.entry.id, action: found.action }, batchSize > 1 ? { collect: collected } : {});
    clicked.push(userId);
    if (res.open) opened.push(res.open);
    if (res.delivery) {
      results.requests++;
      if (res.delivery.ok) results.ok++;
      else results.failed++;
    }
  });

  for (let i = 0; i < collected.length; i += batchSize) {
    const d = await deliverWebhook(ctx, channel, collected.slice(i, i + batchSize));
    results.requests++;
    if (d.ok) results.ok++;
    else results.failed++;
  }
  return { sends: sends.length, recipients: recipients.length, clicked: clicked.length, userIds: clicked, webhooks: results, opened, skipped };
}
