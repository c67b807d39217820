/**
 * LINE for the identified clicks: the bundled simulator in a child process of its own, verifying LIFF ID tokens at
 * `/oauth2/v2.1/verify` as LINE does. run.ts sends the channel and the number of guests; it answers with its URL and
 * one ID token per guest (valid for an hour, the LIFF page's token as LINE issues it).
 *   → { setup: { channel, guests } }   ← { url, guests: [{ userId, idToken }] }
 */
import { startSimulator } from '@innkeeper/line-simulator';

type Setup = { channel: { channelId: string; channelSecret: string; channelAccessToken: string; loginChannelId: string; loginChannelSecret: string }; guests: number };

const sim = await startSimulator({ port: Number(process.env.BENCH_SIMULATOR_PORT ?? 0), host: '127.0.0.1', seed: 'innkeeper-bench-redirect', strictHttps: false });
process.on('message', (message: { setup: Setup }) => {
  const { channel, guests } = message.setup;
  sim.sim.createChannel({ ...channel, displayName: '山嵐飯店（壓測）', basicId: '@bench-redirect' });
  const users = sim.sim.addFriends(channel.channelId, { count: guests, seed: 'bench-clickers', state: 'friend' });
  process.send?.({ url: sim.url, guests: users.map((u) => ({ userId: u.userId, idToken: sim.sim.issueIdToken(channel.channelId, { userId: u.userId, ttlSeconds: 3600 }) })) });
});
process.on('disconnect', () => {
  void sim.close().then(() => process.exit(0));
});
process.send?.({ ready: true });
