import type { SimContext } from '../context.ts';
import { SimError } from '../http/errors.ts';
import { recordClick, recordImpression } from '../insight/stats.ts';
import { issueAccessToken, issueIdToken } from '../liff/tokens.ts';
import { appendTimeline, requireFriend } from '../state/friends.ts';
import { nextMessageId } from '../state/store.ts';
import type { Channel, Friendship, LineMessage, TimelineEntry, WebhookDelivery } from '../state/types.ts';
import { deliverWebhook } from '../webhooks/deliver.ts';
import { makeEvent, type WebhookEvent } from '../webhooks/events.ts';

export type ActionResult = {
  events: WebhookEvent[];
  delivery: WebhookDelivery | null;
  /** For URI and LIFF actions: what the phone would open. */
  open?: string;
  /** For clipboard actions. */
  copy?: string;
  friendship: Friendship;
};

export type Emit = {
  /** false: send the webhook in the background. */
  wait?: boolean;
  /** Collect the events instead of sending them, so a script can batch several users into one webhook as LINE does. */
  collect?: WebhookEvent[];
};

async function emit(ctx: SimContext, channel: Channel, events: WebhookEvent[], opts: Emit): Promise<WebhookDelivery | null> {
  if (events.length === 0) return null;
  if (opts.collect) {
    opts.collect.push(...events);
    return null;
  }
  const p = deliverWebhook(ctx, channel, events);
  if (opts.wait === false) {
    ctx.pending.add(p);
    p.finally(() => ctx.pending.delete(p)).catch(() => undefined);
    return null;
  }
  return p;
}

function system(ctx: SimContext, f: Friendship, text: string): void {
  appendTimeline(ctx, f, { kind: 'system', at: ctx.clock.now(), text });
}

export async function follow(ctx: SimContext, channel: Channel, userId: string, opts: Emit = {}): Promise<ActionResult> {
  const f = requireFriend(channel, userId);
  if (f.state === 'friend') throw new SimError(409, 'already a friend');
  const isUnblocked = f.state === 'blocked';
  f.state = 'friend';
  f.followedAt = ctx.clock.now();
  f.blockedAt = null;
  system(ctx, f, isUnblocked ? '已解除封鎖' : '已加入好友');
  const event = makeEvent(ctx, channel, userId, 'follow', { follow: { isUnblocked } });
  return { events: [event], delivery: await emit(ctx, channel, [event], opts), friendship: f };
}

export async function block(ctx: SimContext, channel: Channel, userId: string, opts: Emit = {}): Promise<ActionResult> {
  const f = requireFriend(channel, userId);
  if (f.state !== 'friend') throw new SimError(409, 'not a friend');
  f.state = 'blocked';
  f.blockedAt = ctx.clock.now();
  system(ctx, f, '已封鎖');
  const event = makeEvent(ctx, channel, userId, 'unfollow');
  return { events: [event], delivery: await emit(ctx, channel, [event], opts), friendship: f };
}

export async function unblock(ctx: SimContext, channel: Channel, userId: string, opts: Emit = {}): Promise<ActionResult> {
  const f = requireFriend(channel, userId);
  if (f.state !== 'blocked') throw new SimError(409, 'not blocked');
  return follow(ctx, channel, userId, opts);
}

export type UserMessageInput =
  | { type: 'text'; text: string }
  | { type: 'sticker'; packageId: string; stickerId: string }
  | { type: 'location'; title?: string; address?: string; latitude: number; longitude: number };

function assertCanTalk(f: Friendship): void {
  // Someone who blocked the OA can't write to it.
  if (f.state === 'blocked') throw new SimError(409, 'the user has blocked this account');
}

export async function sendUserMessage(ctx: SimContext, channel: Channel, userId: string, input: UserMessageInput, opts: Emit = {}): Promise<ActionResult> {
  const f = requireFriend(channel, userId);
  assertCanTalk(f);
  const id = nextMessageId(ctx.store);
  const now = ctx.clock.now();
  f.lastUserMessageAt = now;
  f.quickReplyUsedFor = lastBotEntry(f)?.id ?? f.quickReplyUsedFor;
  appendTimeline(ctx, f, { kind: 'user', id, at: now, message: input as LineMessage });
  let message: Record<string, unknown>;
  if (input.type === 'text') message = { type: 'text', id, quoteToken: ctx.random.token(43), text: input.text };
  else if (input.type === 'sticker') message = { type: 'sticker', id, quoteToken: ctx.random.token(43), packageId: input.packageId, stickerId: input.stickerId, stickerResourceType: 'STATIC', keywords: [] };
  else message = { id, ...input };
  const event = makeEvent(ctx, channel, userId, 'message', { message });
  return { events: [event], delivery: await emit(ctx, channel, [event], opts), friendship: f };
}

export type PostbackInput = { data: string; params?: Record<string, string>; displayText?: string };

export async function postback(ctx: SimContext, channel: Channel, userId: string, input: PostbackInput, opts: Emit = {}): Promise<ActionResult> {
  const f = requireFriend(channel, userId);
  assertCanTalk(f);
  // displayText appears in the chat as if the user typed it, but produces no message event.
  if (input.displayText) appendTimeline(ctx, f, { kind: 'user', id: nextMessageId(ctx.store), at: ctx.clock.now(), message: { type: 'text', text: input.displayText } });
  const event = makeEvent(ctx, channel, userId, 'postback', { postback: { data: input.data, ...(input.params ? { params: input.params } : {}) } });
  return { events: [event], delivery: await emit(ctx, channel, [event], opts), friendship: f };
}

type BotEntry = Extract<TimelineEntry, { kind: 'bot' }>;

function lastBotEntry(f: Friendship): BotEntry | undefined {
  for (let i = f.timeline.length - 1; i >= 0; i--) {
    const e = f.timeline[i]!;
    if (e.kind === 'bot') return e;
  }
  return undefined;
}

export function findEntry(f: Friendship, messageId: string): BotEntry {
  const entry = f.timeline.find((e): e is BotEntry => e.kind === 'bot' && e.id === messageId);
  if (!entry) throw new SimError(404, `message ${messageId} is not in this friend's chat`);
  return entry;
}

export type TapInput = {
  /** The received message the action belongs to (needed for click statistics and quick replies). */
  messageId?: string;
  action: Record<string, unknown>;
  /** Value the user picked in a datetime picker. */
  datetime?: string;
  fromQuickReply?: boolean;
};

/** What happens on the phone when the user taps an action in a message, quick reply or rich menu. */
export async function tap(ctx: SimContext, channel: Channel, userId: string, input: TapInput, opts: Emit = {}): Promise<ActionResult> {
  const f = requireFriend(channel, userId);
  const entry = input.messageId ? findEntry(f, input.messageId) : undefined;
  if (input.fromQuickReply && entry) f.quickReplyUsedFor = entry.id;
  const a = input.action;
  switch (a['type']) {
    case 'postback': {
      const text = typeof a['text'] === 'string' ? a['text'] : undefined;
      const result = await postback(ctx, channel, userId, { data: String(a['data'] ?? ''), ...(typeof a['displayText'] === 'string' ? { displayText: a['displayText'] } : {}) }, opts);
      // The deprecated `text` is sent as a real user message.
      if (text) {
        const msg = await sendUserMessage(ctx, channel, userId, { type: 'text', text }, opts);
        return { ...result, events: [...result.events, ...msg.events] };
      }
      return result;
    }
    case 'message':
      return sendUserMessage(ctx, channel, userId, { type: 'text', text: String(a['text'] ?? '') }, opts);
    case 'datetimepicker': {
      const mode = String(a['mode'] ?? 'datetime') as 'date' | 'time' | 'datetime';
      const value = input.datetime ?? (typeof a['initial'] === 'string' ? a['initial'] : defaultPick(ctx, mode));
      return postback(ctx, channel, userId, { data: String(a['data'] ?? ''), params: { [mode]: value } }, opts);
    }
    case 'uri': {
      const uri = String(a['uri'] ?? a['linkUri'] ?? '');
      // Opening a URL is a click in LINE's statistics; it sends no webhook.
      if (entry && /^https?:/i.test(uri)) recordClick(ctx, channel, userId, entry, uri);
      return { events: [], delivery: null, open: resolveUri(ctx, channel, userId, uri), friendship: f };
    }
    case 'richmenuswitch':
      return switchRichMenu(ctx, channel, userId, String(a['richMenuAliasId'] ?? ''), String(a['data'] ?? ''), opts);
    case 'location':
      return sendUserMessage(ctx, channel, userId, { type: 'location', title: '台北101', address: '110台北市信義區信義路五段7號', latitude: 25.033964, longitude: 121.564468 }, opts);
    case 'clipboard':
      return { events: [], delivery: null, copy: String(a['clipboardText'] ?? ''), friendship: f };
    default:
      throw new SimError(400, `the simulator cannot perform a ${String(a['type'])} action`);
  }
}

function defaultPick(ctx: SimContext, mode: 'date' | 'time' | 'datetime'): string {
  const iso = new Date(ctx.clock.now() + 9 * 3600_000).toISOString();
  if (mode === 'date') return iso.slice(0, 10);
  if (mode === 'time') return iso.slice(11, 16);
  return iso.slice(0, 16);
}

async function switchRichMenu(ctx: SimContext, channel: Channel, userId: string, aliasId: string, data: string, opts: Emit): Promise<ActionResult> {
  const f = requireFriend(channel, userId);
  const menuId = channel.aliases.get(aliasId);
  let params: Record<string, string>;
  if (!menuId) params = { status: 'RICHMENU_ALIAS_ID_NOTFOUND' };
  else if (!channel.richMenus.has(menuId)) params = { status: 'RICHMENU_NOTFOUND' };
  else {
    f.richMenuId = menuId;
    params = { newRichMenuAliasId: aliasId, status: 'SUCCESS' };
  }
  ctx.store.version++;
  const event = makeEvent(ctx, channel, userId, 'postback', { postback: { data, params } });
  return { events: [event], delivery: await emit(ctx, channel, [event], opts), friendship: f };
}

const LIFF_URL = /^https:\/\/liff\.line\.me\/([0-9]+-[A-Za-z0-9]+)(\/[^?#]*)?(\?[^#]*)?/;
const LIFF_LEGACY = /^line:\/\/app\/([0-9]+-[A-Za-z0-9]+)(\/[^?#]*)?(\?[^#]*)?/;

/**
 * LIFF URLs open the LIFF app's endpoint URL with the rest of the path and query appended (where the
 * LIFF SDK's secondary redirect ends up), and the simulator hands the page its tokens in the fragment
 * for the fake SDK at /_sim/liff/sdk.js. Other URLs open unchanged.
 */
export function resolveUri(ctx: SimContext, channel: Channel, userId: string, uri: string): string {
  const m = LIFF_URL.exec(uri) ?? LIFF_LEGACY.exec(uri);
  if (!m) return uri;
  const app = channel.liffApps.find((a) => a.liffId === m[1]);
  if (!app) return uri;
  const target = new URL(app.endpointUrl);
  if (m[2] && m[2] !== '/') target.pathname = `${target.pathname.replace(/\/$/, '')}${m[2]}`;
  if (m[3]) for (const [k, v] of new URLSearchParams(m[3])) target.searchParams.append(k, v);
  const idToken = issueIdToken(ctx, channel, { userId });
  const { accessToken } = issueAccessToken(ctx, channel, userId);
  const context = { liffId: app.liffId, idToken, accessToken, userId, channelId: channel.channelId, viewType: app.viewType, apiBase: ctx.options.publicUrl };
  target.hash = `line-sim-liff=${Buffer.from(JSON.stringify(context)).toString('base64url')}`;
  return target.toString();
}

/** The user enters the chat: every message shown counts as an impression; unread is cleared. */
export function openChat(ctx: SimContext, channel: Channel, userId: string, messageIds?: string[]): { impressions: number } {
  const f = requireFriend(channel, userId);
  const wanted = messageIds ? new Set(messageIds) : null;
  let impressions = 0;
  for (const e of f.timeline) {
    if (e.kind !== 'bot' || (wanted && !wanted.has(e.id))) continue;
    if (recordImpression(ctx, channel, userId, e)) impressions++;
  }
  f.unread = 0;
  ctx.store.version++;
  return { impressions };
}
