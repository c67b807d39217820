import { expect } from 'vitest';
import type { ApiClient } from '../../../../test/api-client.ts';

type Simulator = { sim: { createChannel(input: Record<string, unknown>): unknown; updateChannel(channelId: string, patch: Record<string, unknown>): unknown } };
export type TestChannel = { id: string; webhookUrl: string; status: string; bot: { userId: string | null } };

/**
 * A hotel's LINE channel on the simulator, connected as staff do it (create, verify), with the simulator's webhook
 * pointed at the listening test app.
 */
export async function connectSimulatedChannel(
  admin: ApiClient,
  sim: Simulator,
  innkeeperUrl: string,
  line: { channelId: string; channelSecret: string; channelAccessToken: string; loginChannelId: string },
  options: { hotel: string; basicId: string; propertyId: string; welcomeMessage: string; liffId?: string },
): Promise<TestChannel> {
  sim.sim.createChannel({ ...line, displayName: options.hotel, basicId: options.basicId });
  const created = await admin.post('/api/line/channels', {
    name: '台北館 LINE',
    propertyId: options.propertyId,
    channelId: line.channelId,
    channelSecret: line.channelSecret,
    accessToken: line.channelAccessToken,
    ...(options.liffId ? { loginChannelId: line.loginChannelId, liffId: options.liffId } : {}),
    welcomeMessage: options.welcomeMessage,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const channel = (await admin.post(`/api/line/channels/${created.body.id}/verify`)).body as TestChannel;
  sim.sim.updateChannel(line.channelId, { webhookUrl: channel.webhookUrl.replace('http://innkeeper.test', innkeeperUrl) });
  return channel;
}
