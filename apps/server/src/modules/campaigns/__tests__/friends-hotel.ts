import { randomUUID } from 'node:crypto';
import { startSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { systemContext } from '../../../core/context.ts';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;
export type LineChannel = { channelId: string; channelSecret: string; channelAccessToken: string; loginChannelId: string };
export type FriendsHotel = { sim: Sim; env: TestEnv; tenant: TestTenant; admin: ApiClient; guests: string[] };

/**
 * A hotel whose group-level LINE channel (in the simulator, no rate-limit burst, short sleeps) has `count` friends, each
 * an opted-in member following it; the job queue is the inline driver, drained by the test. Member numbers are
 * `<memberNoPrefix><i>`.
 */
export async function startFriendsHotel(options: { seed: string; line: LineChannel; displayName: string; basicId: string; count: number; memberNoPrefix: string }): Promise<FriendsHotel> {
  const sim = await startSimulator({ port: 0, seed: `innkeeper-${options.seed}`, rateLimitBurstMs: null, strictHttps: false, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) });
  const env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  await env.runtime.queue.start({ work: false });
  const tenant = await createTestTenant(env);
  const admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  const line = options.line;
  sim.sim.createChannel({ ...line, displayName: options.displayName, basicId: options.basicId });
  const created = await admin.post('/api/line/channels', { name: '集團 LINE', propertyId: null, channelId: line.channelId, channelSecret: line.channelSecret, accessToken: line.channelAccessToken, welcomeMessage: '' });
  expect((await admin.post(`/api/line/channels/${created.body.id}/verify`)).status).toBe(200);
  const guests = sim.sim.addFriends(line.channelId, { count: options.count, seed: options.seed }).map((f) => f.userId);
  await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
    for (const [i, lineUserId] of guests.entries()) {
      await tx.execute(sql`insert into members (tenant_id, id, member_no, marketing_opt_in, line_user_id, line_status) values (${tenant.tenantId}, ${randomUUID()}, ${`${options.memberNoPrefix}${i}`}, true, ${lineUserId}, 'following')`);
    }
  });
  return { sim, env, tenant, admin, guests };
}

/** A draft to everyone, approved to go now; its id. */
export async function scheduledCampaign(admin: ApiClient, text: string): Promise<string> {
  const created = await admin.post('/api/campaigns', { name: text.slice(0, 20), propertyId: null, audience: { kind: 'all' }, messages: [{ type: 'text', text }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const scheduled = await admin.post(`/api/campaigns/${created.body.id}/schedule`, { version: created.body.version, now: true });
  expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
  return created.body.id as string;
}

/** A minute later, the scheduler's pass: the campaigns it started. */
export function startDueCampaigns({ env, tenant }: Pick<FriendsHotel, 'env' | 'tenant'>): Promise<string[]> {
  env.clock.advanceMinutes(1);
  return env.runtime.db.withTenant(tenant.tenantId, (tx) => env.runtime.campaignDelivery.startDueCampaigns(systemContext(tx, tenant.tenantId, 'test')));
}
