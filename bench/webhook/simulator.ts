/**
 * The LINE platform for the worker's after-commit calls (profile of a new friend, welcome reply): the bundled
 * simulator, in a child process of its own, with the same channel credentials as Innkeeper's channel and the
 * benchmark's guests as its friends. run.ts talks to it over IPC:
 *   → { channel, friends }          ← { url, userIds }
 *   → { replyTokens: [...] }        ← { registered }   (tokens of the follow events about to be sent)
 *   → { counters: true }            ← { counters }     (LINE API calls the simulator answered, by endpoint and status)
 */
import { startSimulator } from '@innkeeper/line-simulator';

type Setup = { channel: { channelId: string; channelSecret: string; channelAccessToken: string; botUserId: string }; friends: number };
type Message = { setup: Setup } | { replyTokens: Array<{ token: string; userId: string }> } | { counters: true };

// Reply tokens are registered shortly before their events are sent; LINE's one-minute limit is for real guests.
const sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 'innkeeper-bench-webhook', strictHttps: false, replyTokenTtlMs: 20 * 60_000 });
let channelId = '';

process.on('message', (message: Message) => {
  if ('setup' in message) {
    const { channel, friends } = message.setup;
    channelId = channel.channelId;
    sim.sim.createChannel({ ...channel, displayName: '山嵐飯店（壓測）', basicId: '@bench-hotel' });
    const users = sim.sim.addFriends(channelId, { count: friends, seed: 'bench-guests', state: 'friend' });
    process.send?.({ url: sim.url, userIds: users.map((u) => u.userId) });
  } else if ('replyTokens' in message) {
    const tokens = sim.sim.store.channels.get(channelId)!.replyTokens;
    const now = sim.sim.clock.now();
    for (const { token, userId } of message.replyTokens) tokens.set(token, { userId, eventAt: now, deliveredAt: now, used: false });
    process.send?.({ registered: message.replyTokens.length });
  } else {
    process.send?.({ counters: sim.sim.counters(channelId).requests });
  }
});
process.on('disconnect', () => {
  void sim.close().then(() => process.exit(0));
});
process.send?.({ ready: true });
