import { randomUUID } from 'node:crypto';
import { startSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { z } from 'zod';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { systemContext } from '../../../core/context.ts';
import { queryRows, type Tx } from '../../../core/db/database.ts';
import { automationUnitOf } from '../index.ts';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
export type Kit = Awaited<ReturnType<typeof startAutomationKit>>;

const tenantJob = (name: string) => ({ name, schema: z.strictObject({ tenantId: z.uuid() }) });

/**
 * The application on a fresh database with the LINE simulator as LINE (over HTTP, the app listening for its webhooks),
 * one hotel with a group-wide LINE channel, and helpers that run the automation jobs as the queue would.
 */
export async function startAutomationKit(seed: string, line: { channelId: string; channelSecret: string; channelAccessToken: string }) {
  const sim: Sim = await startSimulator({ port: 0, seed, rateLimitBurstMs: null, strictHttps: false, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) });
  const env: TestEnv = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  const innkeeperUrl = await env.app.listen({ port: 0, host: '127.0.0.1' });
  await env.runtime.queue.start({ work: false });
  const tenant: TestTenant = await createTestTenant(env);
  let admin: ApiClient = await signedInAs(env, tenant.adminEmail, tenant.password);
  sim.sim.createChannel({ ...line, loginChannelId: `${Number(line.channelId) + 1}`, displayName: '自動化飯店', basicId: '@auto-hotel' });
  // With a LINE Login channel and a LIFF app, as tracked URL buttons need (the guest is named by the LIFF ID token).
  const liffId = `${Number(line.channelId) + 1}-Auto`;
  const created = await admin.post('/api/line/channels', { name: '集團 LINE', propertyId: null, channelId: line.channelId, channelSecret: line.channelSecret, accessToken: line.channelAccessToken, welcomeMessage: '', loginChannelId: `${Number(line.channelId) + 1}`, liffId });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const channel = (await admin.post(`/api/line/channels/${created.body.id}/verify`)).body as { webhookUrl: string; status: string };
  expect(channel.status).toBe('verified');
  sim.sim.updateChannel(line.channelId, { webhookUrl: channel.webhookUrl.replace('http://innkeeper.test', innkeeperUrl), liffApps: [{ liffId, endpointUrl: `${env.config.publicUrl}/liff/${tenant.tenantId}/${created.body.id}` }] });

  const inTenant = <T>(work: (tx: Tx) => Promise<T>) => env.runtime.db.withTenant(tenant.tenantId, work);

  /** A LINE friend of the hotel in the CRM (as imported or bound guests are), with or without marketing consent. */
  async function guest(options: { optIn?: boolean; status?: 'following' | 'blocked' | 'never'; birthday?: string; lastInteractionAt?: Date; propertyId?: string | null } = {}): Promise<{ memberId: string; userId: string }> {
    const [friend] = sim.sim.addFriends(line.channelId, { count: 1, seed: `${seed}-${randomUUID()}` });
    const memberId = randomUUID();
    // 'never': not linked to LINE yet (the guest's LINE account is `userId`, for a binding to link).
    const lineUserId = options.status === 'never' ? null : friend!.userId;
    await inTenant((tx) =>
      tx.execute(sql`insert into members (tenant_id, id, member_no, last_name, first_name, marketing_opt_in, line_user_id, line_status, birthday, last_interaction_at, property_id)
                     values (${tenant.tenantId}, ${memberId}, ${`A${randomUUID().slice(0, 8)}`}, '林', '小美', ${options.optIn ?? true}, ${lineUserId}, ${options.status ?? 'following'},
                             ${options.birthday ?? null}, ${options.lastInteractionAt?.toISOString() ?? null}, ${options.propertyId ?? null})`),
    );
    return { memberId, userId: friend!.userId };
  }

  async function stay(memberId: string, stay: { checkIn: string; checkOut: string; status: 'booked' | 'stayed'; roomType?: string; propertyId?: string; adults?: number; children?: number }): Promise<string> {
    const id = randomUUID();
    await inTenant((tx) =>
      tx.execute(sql`insert into member_stays (tenant_id, id, member_id, property_id, source, check_in, check_out, status, room_type, adults, children)
                     values (${tenant.tenantId}, ${id}, ${memberId}, ${stay.propertyId ?? tenant.propertyIds[0]!}, 'pms', ${stay.checkIn}, ${stay.checkOut}, ${stay.status}, ${stay.roomType ?? '標準雙人房'},
                             ${stay.adults ?? null}, ${stay.children ?? null})`),
    );
    return id;
  }

  /** A rule made and switched on through the API, as staff do it. */
  async function rule(body: Record<string, unknown>): Promise<string> {
    const created = await admin.post('/api/automation/rules', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const enabled = await admin.post(`/api/automation/rules/${created.body.id}/enable`, { version: created.body.version });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    return created.body.id as string;
  }

  async function switchOff(ruleId: string): Promise<void> {
    expect((await admin.post(`/api/automation/rules/${ruleId}/disable`)).status).toBe(200);
  }

  async function tag(name: string, kind: 'basic' | 'campaign' = 'basic'): Promise<string> {
    const created = await admin.post('/api/tags', { name, kind });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  }

  /** Runs every queued job (webhook drains, run jobs and the jobs they queue) and reports failures. */
  async function drain(): Promise<void> {
    const report = await env.runtime.queue.drain();
    expect(report.failed).toEqual([]);
  }

  /** Moves the test clock on; staff sign in again when their session would have timed out meanwhile. */
  async function advance(minutes: number): Promise<void> {
    env.clock.advanceMinutes(minutes);
    if (minutes >= 20) admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  }

  /** The per-minute job after `minutes` (runs whose wait or quiet hours are over go on). */
  async function tick(minutes = 1): Promise<void> {
    await advance(minutes);
    await env.runtime.queue.enqueueNow(tenantJob('automation.advance.tenant'), { tenantId: tenant.tenantId });
    await drain();
  }

  /** The hourly scan of time triggers, now. */
  async function scan(): Promise<void> {
    await env.runtime.queue.enqueueNow(tenantJob('automation.scan.tenant'), { tenantId: tenant.tenantId });
    await drain();
  }

  /** How many times each guest got step `step` of a rule, counted by the simulator per aggregation unit. */
  function delivered(ruleId: string, step: number, audience: string[]) {
    return sim.sim.unitDeliveries(line.channelId, automationUnitOf(ruleId, step), { audience });
  }

  const runs = (ruleId: string) =>
    inTenant((tx) => queryRows<{ member_id: string; status: string; step_index: number; reason: string; occurrence_key: string }>(tx, sql`select member_id, status, step_index, reason, occurrence_key from automation_runs where rule_id = ${ruleId} order by entered_at, member_id`));

  const memberTagNames = (memberId: string) =>
    inTenant((tx) => queryRows<{ name: string; source: string; source_label: string; source_detail: string }>(tx, sql`select t.name, mt.source, mt.source_label, mt.source_detail from member_tags mt join tags t on t.tenant_id = mt.tenant_id and t.id = mt.tag_id where mt.member_id = ${memberId} order by t.name`));

  const stats = async (ruleId: string) => (await admin.get(`/api/automation/rules/${ruleId}/stats`)).body as { entered: number; byStatus: Record<string, number>; steps: Array<{ index: number; kind: string; completed: number; skipped: number; failed: number; waiting: number; clicked: number; linkClicks: number; skippedByReason: Record<string, number> }> };

  /** The postback data of the buttons in the guest's last message from the hotel. */
  function lastButtons(userId: string): Array<{ label: string; data: string }> {
    const last = sim.sim.inbox(line.channelId, userId).at(-1) as { message?: unknown } | undefined;
    const found: Array<{ label: string; data: string }> = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        const o = value as Record<string, unknown>;
        if (o.type === 'postback' && typeof o.data === 'string') found.push({ label: String(o.label), data: o.data });
        Object.values(o).forEach(walk);
      }
    };
    walk(last?.message);
    return found;
  }

  /** A guest binding their LINE account to their member record (what the LIFF binding does once it matched). */
  async function bind(memberId: string, lineUserId: string): Promise<void> {
    await inTenant((tx) => env.runtime.memberLine.linkLineAccount(systemContext(tx, tenant.tenantId, 'member-portal'), memberId, { lineUserId, profile: {}, at: env.clock.now() }));
  }

  async function close(): Promise<void> {
    await env?.close();
    await sim?.close();
  }

  return {
    get admin() {
      return admin;
    },
    advance,
    sim, env, tenant, inTenant, guest, stay, rule, switchOff, tag, drain, tick, scan, delivered, runs, memberTagNames, stats, lastButtons, bind, close, line };
}
