import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { SimError } from '../http/errors.ts';
import { userView } from '../state/friends.ts';
import type { Channel, Friendship } from '../state/types.ts';
import { activeQuickReply, entryView, richMenuForUi } from '../sim/views.ts';

const UI_FRIEND_LIMIT = 300;
const lastAt = (f: Friendship) => f.timeline.at(-1)?.at ?? 0;
const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

function preview(f: Friendship): { text: string; at: string } | null {
  const e = f.timeline.at(-1);
  if (!e) return null;
  const at = new Date(e.at).toISOString();
  if (e.kind === 'system') return { text: e.text, at };
  const m = e.message as Record<string, unknown>;
  const text =
    typeof m['altText'] === 'string'
      ? m['altText']
      : m['type'] === 'text' || m['type'] === 'textV2'
        ? String(m['text'])
        : ({ image: '[圖片]', video: '[影片]', audio: '[語音訊息]', sticker: '[貼圖]', location: '[位置資訊]', coupon: '[優惠券]' } as Record<string, string>)[String(m['type'])] ?? '[訊息]';
  return { text: e.kind === 'user' ? `你：${text}` : text, at };
}

function channelSummary(c: Channel) {
  return {
    channelId: c.channelId,
    displayName: c.displayName,
    basicId: c.basicId,
    pictureUrl: c.pictureUrl,
    webhookUrl: c.webhook.url,
    liffApps: c.liffApps,
    friendCount: [...c.friends.values()].filter((f) => f.state === 'friend').length,
  };
}

/** The phone-style chat page at / and the JSON it polls. */
export function uiRoutes(app: FastifyInstance, ctx: SimContext): void {
  const files = {
    html: asset('index.html'),
    js: asset('app.js'),
    css: asset('styles.css'),
    liff: asset('liff-sdk.js'),
  };
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(files.html));
  app.get('/_sim/', async (_req, reply) => reply.redirect('/'));
  app.get('/_sim/ui/app.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(files.js));
  app.get('/_sim/ui/styles.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(files.css));
  app.get('/_sim/liff/sdk.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(files.liff));

  app.get('/_sim/avatars/:file', async (req, reply) => {
    const userId = (req.params as { file: string }).file.replace(/\.svg$/, '');
    const user = ctx.store.users.get(userId);
    if (!user) throw new SimError(404, 'no such user');
    const initial = [...user.displayName][0] ?? '?';
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><rect width="120" height="120" fill="${user.avatarColor}"/><text x="60" y="78" font-size="52" text-anchor="middle" fill="#fff" font-family="sans-serif">${escapeXml(initial)}</text></svg>`;
    return reply.type('image/svg+xml').header('cache-control', 'max-age=86400').send(svg);
  });

  app.get('/_sim/ui/state', async (req) => {
    const q = req.query as { channelId?: string; userId?: string };
    const channels = [...ctx.store.channels.values()];
    const channel = (q.channelId ? ctx.store.channels.get(q.channelId) : undefined) ?? channels[0];
    // Benchmarks create tens of thousands of friends; the page only needs the most recently active ones.
    const all = channel ? [...channel.friends.values()] : [];
    const shown = all.length > UI_FRIEND_LIMIT ? [...all].sort((a, b) => lastAt(b) - lastAt(a)).slice(0, UI_FRIEND_LIMIT) : all;
    if (q.userId && channel?.friends.has(q.userId) && !shown.some((f) => f.userId === q.userId)) shown.unshift(channel.friends.get(q.userId)!);
    const friends = shown.map((f) => ({ ...userView(ctx.store.users.get(f.userId)!, f), last: preview(f) }));
    const f = channel && q.userId ? channel.friends.get(q.userId) : undefined;
    const lastWebhook = channel?.webhookLog.at(-1) ?? null;
    return {
      version: ctx.store.version,
      now: new Date(ctx.clock.now()).toISOString(),
      // The phone's zone: the page formats every time in it (not in the viewing browser's zone, often UTC on a server).
      timeZone: ctx.options.timeZone,
      channels: channels.map(channelSummary),
      channel: channel ? channelSummary(channel) : null,
      friends,
      friendTotal: all.length,
      lastWebhook,
      webhooks: channel?.webhookLog.slice(-8).reverse() ?? [],
      chat:
        channel && f
          ? {
              userId: f.userId,
              state: f.state,
              messages: f.timeline.map(entryView),
              quickReply: activeQuickReply(f),
              richMenu: richMenuForUi(channel, f.userId),
            }
          : null,
    };
  });
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
