import { DEMO_API_KEY, formatLocal, startPmsSimulator, taipeiNow } from './index.ts';

// Stand-alone process: `node apps/pms-simulator/src/main.ts` (or `npm start -w @innkeeper/pms-simulator`).
const env = process.env;
const { sim, url, close } = await startPmsSimulator({
  port: Number(env['PMS_SIM_PORT'] ?? 3910),
  host: env['PMS_SIM_HOST'] ?? '127.0.0.1',
  ...(env['PMS_SIM_SEED'] ? { seed: env['PMS_SIM_SEED'] } : {}),
  ...(env['PMS_SIM_PROFILES'] ? { profiles: Number(env['PMS_SIM_PROFILES']) } : {}),
  ...(env['PMS_SIM_STAYS'] ? { stays: Number(env['PMS_SIM_STAYS']) } : {}),
  ...(env['PMS_SIM_DIALECT'] === 'BACCHUS' ? { dialect: 'BACCHUS' as const } : {}),
  apiKeys: { [env['PMS_SIM_API_KEY'] ?? DEMO_API_KEY]: {} },
  // The data set's "now" is the real time in Taipei, and the change stream follows the clock from there.
  now: formatLocal(taipeiNow()),
  logger: env['PMS_SIM_LOG'] === '1',
});

console.log(`德安 PMS simulator on ${url} (key ${env['PMS_SIM_API_KEY'] ? '(from PMS_SIM_API_KEY)' : DEMO_API_KEY})`);
console.log(`  ${sim.data.profiles.length} profiles, ${sim.data.stays.length} stays, ${sim.data.members.length} CRM members; dialect ${sim.data.dialect}`);

// The change stream follows real time: every minute, a minute of hotel activity.
const timer = setInterval(() => sim.advance(60_000), 60_000);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(timer);
    void close().then(() => process.exit(0));
  });
}
