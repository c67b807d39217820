import type { FastifyInstance } from 'fastify';
import { createApp } from './app.ts';
import { type SimContext, settle } from './context.ts';
import { type DemoOptions, resolveOptions, type SimulatorOptions } from './options.ts';
import { block, follow, openChat, postback, type PostbackInput, sendUserMessage, tap, type TapInput, unblock, type UserMessageInput } from './sim/actions.ts';
import { type ScriptInput, scriptClick, scriptOpen, selectSends } from './sim/script.ts';
import { countersView, type DeliveryCheck, deliveriesView, unitView } from './sim/views.ts';
import { issueAccessToken, issueIdToken, type IdTokenInput } from './liff/tokens.ts';
import { channelView, type ChannelInput, type ChannelPatch, createChannel, requireChannel, updateChannel } from './state/channels.ts';
import { createSimClock, systemClock } from './state/clock.ts';
import { type AddFriendsInput, addVirtualFriends, userView } from './state/friends.ts';
import { createRandom } from './state/random.ts';
import { createStore } from './state/store.ts';

export type { SimulatorOptions, DemoOptions } from './options.ts';
export type { DeliveryCheck } from './sim/views.ts';
export type { ChannelInput, ChannelPatch } from './state/channels.ts';
export type { AddFriendsInput } from './state/friends.ts';
export type { Clock, ManualClock } from './state/clock.ts';
export { createManualClock } from './state/clock.ts';
export { signBody } from './webhooks/sign.ts';

export type Simulator = ReturnType<typeof createHandle>;

/**
 * Build the simulator: a Fastify instance (not listening) serving LINE's paths at its root, the
 * /_sim admin API and the chat page at /, plus a handle on its state for in-process use.
 */
export function buildSimulator(options: SimulatorOptions = {}): { app: FastifyInstance; sim: Simulator } {
  const resolved = resolveOptions(options);
  const ctx: SimContext = {
    store: createStore(),
    clock: createSimClock(options.clock ?? systemClock),
    random: createRandom(resolved.seed),
    options: resolved,
    pending: new Set(),
  };
  const app = createApp(ctx);
  const sim = createHandle(ctx);
  if (options.demo) seedDemo(sim, options.demo === true ? {} : options.demo);
  app.addHook('onClose', async () => settle(ctx));
  return { app, sim };
}

/** Build and listen; resolves to the base URL to give the SDK (baseURL / apiBaseURL / dataApiBaseURL). */
export async function startSimulator(options: SimulatorOptions & { port?: number; host?: string } = {}) {
  const port = options.port ?? 3900;
  const host = options.host ?? '127.0.0.1';
  const { app, sim } = buildSimulator({ publicUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, ...options });
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;
  if (port === 0 && !options.publicUrl) sim.ctx.options.publicUrl = url;
  return { app, sim, url, close: () => app.close() };
}

function createHandle(ctx: SimContext) {
  const ch = (channelId: string) => requireChannel(ctx, channelId);
  return {
    ctx,
    store: ctx.store,
    clock: ctx.clock,
    createChannel: (input: ChannelInput = {}) => channelView(createChannel(ctx, input)),
    updateChannel: (channelId: string, patch: ChannelPatch) => channelView(updateChannel(ctx, ch(channelId), patch)),
    channel: (channelId: string) => channelView(ch(channelId)),
    addFriends: (channelId: string, input: AddFriendsInput) => addVirtualFriends(ctx, ch(channelId), input).map(({ user, friendship }) => userView(user, friendship)),
    follow: (channelId: string, userId: string) => follow(ctx, ch(channelId), userId),
    block: (channelId: string, userId: string) => block(ctx, ch(channelId), userId),
    unblock: (channelId: string, userId: string) => unblock(ctx, ch(channelId), userId),
    sendMessage: (channelId: string, userId: string, input: UserMessageInput) => sendUserMessage(ctx, ch(channelId), userId, input),
    postback: (channelId: string, userId: string, input: PostbackInput) => postback(ctx, ch(channelId), userId, input),
    tap: (channelId: string, userId: string, input: TapInput) => tap(ctx, ch(channelId), userId, input),
    open: (channelId: string, userId: string, messageIds?: string[]) => openChat(ctx, ch(channelId), userId, messageIds),
    scriptClick: (channelId: string, input: ScriptInput) => scriptClick(ctx, ch(channelId), input),
    scriptOpen: (channelId: string, input: ScriptInput) => scriptOpen(ctx, ch(channelId), input),
    counters: (channelId: string) => countersView(ctx, ch(channelId)),
    /** Per-guest delivery counts of the matching sends; with `check.audience`, who was missed and who got it unasked. */
    deliveries: (channelId: string, filter: { requestId?: string; unit?: string; textContains?: string }, check: DeliveryCheck = {}) => deliveriesView(selectSends(ch(channelId), filter), check, ch(channelId)),
    /** Per-guest delivery counts of one campaign (requested aggregation unit). */
    unitDeliveries: (channelId: string, unit: string, check: DeliveryCheck = {}) => unitView(ch(channelId), unit, check),
    /** What the bot sent a friend, as it appears in the chat (ids and quote tokens made now, the same on every read). */
    inbox: (channelId: string, userId: string) => (ch(channelId).friends.get(userId)?.timeline ?? []).flatMap((e) => (e.kind === 'bot' ? [e.toJSON()] : [])),
    webhookLog: (channelId: string) => ch(channelId).webhookLog,
    issueIdToken: (channelId: string, input: IdTokenInput) => issueIdToken(ctx, ch(channelId), input),
    issueAccessToken: (channelId: string, userId: string) => issueAccessToken(ctx, ch(channelId), userId),
    injectBurst429: (channelId: string, count: number) => {
      ch(channelId).pending429 = count;
    },
    /** The next `count` requests of the channel's fault endpoints answer 500 before anything is accepted (a test that must see its retries taken). */
    injectErrors: (channelId: string, count: number) => {
      ch(channelId).pending500 = count;
    },
    advanceClock: (ms: number) => {
      ctx.clock.advance(ms);
      ctx.store.version++;
    },
    /** Wait for background webhook work (redeliveries, duplicates) to finish. */
    settle: () => settle(ctx),
  };
}

function seedDemo(sim: Simulator, demo: DemoOptions): void {
  const channel = sim.createChannel({
    channelId: demo.channelId ?? '2000000001',
    channelSecret: demo.channelSecret ?? 'demo0channel0secret0000000000000',
    channelAccessToken: demo.channelAccessToken ?? 'demo-channel-access-token',
    loginChannelId: demo.loginChannelId ?? '2000000002',
    loginChannelSecret: demo.loginChannelSecret ?? 'demo0login0secret000000000000000',
    displayName: demo.displayName ?? '日月潭湖畔渡假飯店',
    basicId: '@innkeeper',
    webhookUrl: demo.webhookUrl ?? null,
    liffApps: demo.liffEndpointUrl ? [{ liffId: `${demo.loginChannelId ?? '2000000002'}-DemoLiff`, endpointUrl: demo.liffEndpointUrl }] : [],
  });
  sim.addFriends(channel.channelId, { count: demo.friends ?? 12, seed: 'demo' });
  sim.addFriends(channel.channelId, { count: 2, seed: 'demo-visitors', state: 'none' });
}
