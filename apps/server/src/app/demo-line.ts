import crypto from 'node:crypto';
import type { startSimulator } from '@innkeeper/line-simulator';
import { systemContext } from '../core/context.ts';
import type { Tx } from '../core/db/database.ts';
import { asTenantId } from '../core/ids.ts';
import { findTenantBySlugInPlatformScope } from '../modules/tenants/index.ts';
import { DEMO_TENANT_SLUG } from './bootstrap.ts';
import { seedDemoCampaignData } from './demo-campaigns.ts';
import type { Runtime } from './runtime.ts';

export type DemoLine = Awaited<ReturnType<typeof startSimulator>>;

/**
 * Starts the bundled LINE simulator for the demo (its base URL becomes LINE's for this process). It is loaded here and
 * only here, in demo mode: it is a development dependency, absent from a production install.
 */
export async function startDemoSimulator(port: number): Promise<DemoLine> {
  const simulator = await import('@innkeeper/line-simulator');
  return simulator.startSimulator({ port, host: '127.0.0.1', strictHttps: false, seed: 'innkeeper-demo' });
}

const DEMO_CHANNEL = { channelId: '2000000001', loginChannelId: '2000000002', liffId: '2000000002-Member' };

/**
 * Connects the demo hotel group to the simulator: the channel's credentials live in Innkeeper's database (created once,
 * encrypted); the simulator, which keeps nothing between starts, is given the same credentials on every start, plus
 * a handful of virtual guests who have not followed yet, so a newcomer can add one as a friend and watch it all happen.
 */
export async function connectDemoLine(runtime: Runtime, sim: DemoLine): Promise<void> {
  const tenant = await runtime.db.withPlatform((tx) => findTenantBySlugInPlatformScope(tx, DEMO_TENANT_SLUG));
  if (!tenant) return;
  const tenantId = asTenantId(tenant.id);
  const ctx = (tx: Tx) => systemContext(tx, tenantId, 'demo');
  const channel = await runtime.db.withTenant(tenantId, async (tx) => {
    const existing = (await runtime.channels.listChannels(ctx(tx)))[0];
    const id =
      existing?.id ??
      (
        await runtime.channels.createChannel(ctx(tx), {
          name: '山嵐飯店集團 LINE 官方帳號（模擬）',
          channelId: DEMO_CHANNEL.channelId,
          channelSecret: crypto.randomBytes(16).toString('hex'),
          accessToken: crypto.randomBytes(32).toString('base64url'),
          loginChannelId: DEMO_CHANNEL.loginChannelId,
          liffId: DEMO_CHANNEL.liffId,
          welcomeMessage: '歡迎加入山嵐飯店集團！點下方按鈕完成會員綁定，即可收到專屬住房優惠。',
        })
      ).id;
    return runtime.channels.credentials(ctx(tx), id);
  });
  if (!channel) return;
  const { config } = runtime;
  sim.sim.createChannel({
    channelId: channel.channelId,
    channelSecret: channel.channelSecret,
    channelAccessToken: channel.accessToken,
    loginChannelId: channel.loginChannelId ?? DEMO_CHANNEL.loginChannelId,
    displayName: '山嵐飯店集團',
    basicId: '@shanlan-hotels',
    webhookUrl: `http://127.0.0.1:${config.port}/api/line/webhook/${tenantId}/${channel.id}`,
    liffApps: [{ liffId: channel.liffId ?? DEMO_CHANNEL.liffId, endpointUrl: `${config.publicUrl}/liff/${tenantId}/${channel.id}` }],
  });
  sim.sim.addFriends(channel.channelId, { count: 8, seed: 'demo-guests', state: 'none' });
  await runtime.db.withTenant(tenantId, (tx) => runtime.channels.verifyChannel(ctx(tx), channel.id));
  // Campaign tags, and friends whose marketing consent was imported, so a demo campaign reaches someone.
  await seedDemoCampaignData(runtime, tenantId, sim, channel.channelId);
}
