import { startSimulator } from './index.ts';

// Stand-alone process: `node apps/line-simulator/src/main.ts` (or `npm start -w @innkeeper/line-simulator`).
const env = process.env;
const port = Number(env['LINE_SIM_PORT'] ?? 3900);
const host = env['LINE_SIM_HOST'] ?? '127.0.0.1';
const demo = env['LINE_SIM_DEMO'] !== '0';
const num = (name: string): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, not ${raw}`);
  return value;
};
// Benchmarks and crash tests run the simulator in its own process with LINE's round trip: LINE_SIM_LATENCY_MS=80
// LINE_SIM_LATENCY_JITTER_MS=40 is 80 ms ± 40 ms. LINE_SIM_FAULTS takes any other default fault as JSON.
const faults = {
  ...(env['LINE_SIM_FAULTS'] ? (JSON.parse(env['LINE_SIM_FAULTS']) as Record<string, unknown>) : {}),
  ...(num('LINE_SIM_LATENCY_MS') !== undefined ? { latencyMs: num('LINE_SIM_LATENCY_MS') } : {}),
  ...(num('LINE_SIM_LATENCY_JITTER_MS') !== undefined ? { latencyJitterMs: num('LINE_SIM_LATENCY_JITTER_MS') } : {}),
};
const sameUser = /^(\d+)\/(\d+)$/.exec(env['LINE_SIM_SAME_USER_LIMIT'] ?? '');

const { sim, url, close } = await startSimulator({
  port,
  host,
  ...(env['LINE_SIM_PUBLIC_URL'] ? { publicUrl: env['LINE_SIM_PUBLIC_URL'] } : {}),
  ...(env['LINE_SIM_SEED'] ? { seed: env['LINE_SIM_SEED'] } : {}),
  logger: env['LINE_SIM_LOG'] === '1',
  rateLimits: env['LINE_SIM_RATE_LIMITS'] !== '0',
  strictHttps: env['LINE_SIM_STRICT_HTTPS'] === '1',
  ...(env['LINE_SIM_TIME_ZONE'] ? { timeZone: env['LINE_SIM_TIME_ZONE'] } : {}),
  faults,
  ...(env['LINE_SIM_RATE_BURST_MS'] !== undefined ? { rateLimitBurstMs: env['LINE_SIM_RATE_BURST_MS'] === 'period' ? null : num('LINE_SIM_RATE_BURST_MS')! } : {}),
  ...(sameUser ? { sameUserLimit: { messages: Number(sameUser[1]), periodMs: Number(sameUser[2]) } } : {}),
  demo: demo
    ? {
        ...(env['LINE_SIM_DEMO_CHANNEL_ID'] ? { channelId: env['LINE_SIM_DEMO_CHANNEL_ID'] } : {}),
        ...(env['LINE_SIM_DEMO_CHANNEL_SECRET'] ? { channelSecret: env['LINE_SIM_DEMO_CHANNEL_SECRET'] } : {}),
        ...(env['LINE_SIM_DEMO_ACCESS_TOKEN'] ? { channelAccessToken: env['LINE_SIM_DEMO_ACCESS_TOKEN'] } : {}),
        ...(env['LINE_SIM_DEMO_LOGIN_CHANNEL_ID'] ? { loginChannelId: env['LINE_SIM_DEMO_LOGIN_CHANNEL_ID'] } : {}),
        ...(env['LINE_SIM_DEMO_LOGIN_CHANNEL_SECRET'] ? { loginChannelSecret: env['LINE_SIM_DEMO_LOGIN_CHANNEL_SECRET'] } : {}),
        ...(env['LINE_SIM_DEMO_WEBHOOK_URL'] ? { webhookUrl: env['LINE_SIM_DEMO_WEBHOOK_URL'] } : {}),
        ...(env['LINE_SIM_DEMO_LIFF_URL'] ? { liffEndpointUrl: env['LINE_SIM_DEMO_LIFF_URL'] } : {}),
        ...(env['LINE_SIM_DEMO_FRIENDS'] ? { friends: Number(env['LINE_SIM_DEMO_FRIENDS']) } : {}),
      }
    : false,
});

console.log(`LINE simulator listening on ${url} (chat page: ${url}/ , admin API: ${url}/_sim/channels)`);
for (const c of sim.store.channels.values()) {
  console.log(`  channel ${c.channelId} "${c.displayName}" token=${c.channelAccessToken} secret=${c.channelSecret} webhook=${c.webhook.url ?? '(none)'}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void close().then(() => process.exit(0));
  });
}
