import { signBody, startSimulator } from '@innkeeper/line-simulator';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, type ApiClient } from '../../../../test/api-client.ts';
import { createTestTenant, startTestEnv, type TestEnv, type TestTenant } from '../../../../test/harness.ts';
import { createRuntime, type Runtime } from '../../../app/runtime.ts';
import { postbackResolvers } from '../index.ts';
import { DRAIN_PARTITIONS, partitionOfUser } from '../inbox.repository.ts';
import { connectSimulatedChannel, type TestChannel } from './simulated-channel.ts';

/**
 * Several drains of one tenant at once, as several worker processes run them: three runtimes on one database, each
 * with two lanes, share the tenant's backlog by partition. The database itself records the order in which each
 * guest's events took effect (a trigger numbers every history entry and every parked event from one sequence as it
 * is written), and the test proves from it that every guest's events took effect once each, in LINE's order, with a
 * failing event holding the guest's later ones, while many guests' events were applied by different drains. Messages,
 * tag postbacks and campaign clicks from known friends take the batched path; follows, blocks and new friends the
 * one-by-one path; injected failures the fallbacks (a permanent one, a flaky one, and deadlocks).
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;

let env: TestEnv;
let sim: Sim;
let tenant: TestTenant;
let admin: ApiClient;
let channel: TestChannel;
let innkeeperUrl: string;
const workers: Runtime[] = [];
const LINE = { channelId: '2007200001', channelSecret: '0123456789abcdef'.repeat(2), channelAccessToken: 'test-access-token-for-partitions-01', loginChannelId: '2007200002' };

const GUESTS = 48;
const EVENTS_PER_GUEST = 40;

type Planned = { event: Record<string, unknown>; guest: number; token: string | undefined };

async function postEvents(events: unknown[]): Promise<void> {
  const body = JSON.stringify({ destination: channel.bot.userId, events });
  const response = await env.app.inject({ method: 'POST', url: `/api/line/webhook/${tenant.tenantId}/${channel.id}`, headers: { 'content-type': 'application/json', 'x-line-signature': signBody(LINE.channelSecret, body) }, payload: body });
  expect(response.statusCode).toBe(200);
}

const owner = <T>(text: string, params: unknown[] = []) => env.runtime.db.ownerTransaction((o) => o.query<T>(text, params));

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 'innkeeper-drain-partitions', strictHttps: false });
  env = await startTestEnv({}, { runtime: { lineBaseUrl: () => sim.url } });
  innkeeperUrl = await env.app.listen({ port: 0, host: '127.0.0.1' });
  await env.runtime.queue.start({ work: false });
  tenant = await createTestTenant(env);
  admin = await signedInAs(env, tenant.adminEmail, tenant.password);
  channel = await connectSimulatedChannel(admin, sim, innkeeperUrl, LINE, { hotel: '分區飯店', basicId: '@partition-hotel', propertyId: tenant.propertyIds[0]!, welcomeMessage: '歡迎！' });
  // Where each history entry and each parked event was written, in the order the database wrote them.
  await env.runtime.db.ownerTransaction((o) =>
    o.exec(`
    create table drain_log (seq bigserial primary key, member_id uuid, webhook_event_id text, token text not null);
    create function drain_log_interaction() returns trigger language plpgsql security definer as $$
    begin
      insert into drain_log (member_id, token) values (new.member_id, case
        when new.type = 'message_received' then 'm:' || (new.details->>'text')
        when new.type = 'clicked' then 'c:' || (new.details->'params'->>'seq')
        else new.type end);
      return new;
    end $$;
    create trigger drain_log after insert on member_interactions for each row execute function drain_log_interaction();
    create function drain_log_parked() returns trigger language plpgsql security definer as $$
    begin
      insert into drain_log (webhook_event_id, token) values (new.webhook_event_id, 'parked');
      return new;
    end $$;
    create trigger drain_log_parked after update of status on line_webhook_inbox for each row when (new.status = 'failed' and old.status <> 'failed') execute function drain_log_parked();`),
  );
  // Two more "worker processes" on the same database.
  for (let i = 0; i < 2; i += 1) {
    const worker = await createRuntime(env.config, { db: env.runtime.db, clock: env.runtime.clock, keyring: env.runtime.keyring, logger: pino({ level: 'silent' }), lineBaseUrl: () => sim.url });
    await worker.queue.start({ work: false });
    workers.push(worker);
  }
});
afterAll(async () => {
  for (const worker of workers) await worker.queue.stop();
  await env.close();
  await sim.close();
});

describe('parallel drains of one tenant', () => {
  it('share its backlog by partition, apply each guest’s events once and in LINE’s order, and lose none', { timeout: 120_000 }, async () => {
    const tagA = (await admin.post('/api/tags', { name: '商務客', kind: 'campaign' })).body.id as string;
    const tagB = (await admin.post('/api/tags', { name: '家庭客', kind: 'campaign' })).body.id as string;
    const campaign = await admin.post('/api/campaigns', {
      name: '平日商務優惠',
      tagIds: [tagA],
      messages: [{ type: 'buttons', altText: '平日商務優惠', text: '週一至週四 85 折', actions: [{ type: 'postback', label: '我有興趣', tagIds: [tagA] }] }],
    });
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    const campaignId = campaign.body.id as string;
    const actionId = campaign.body.messages[0].actions[0].id as string;
    const campaignData = `campaign=${campaignId}&action=${actionId}`;
    // Sent, as the delivery engine leaves it: a draft's button gives its tags only to its test sends' guests.
    await env.runtime.db.ownerTransaction((owner) => owner.query(`update campaigns set status = 'sent' where id = $1`, [campaignId]));
    const tagData = `tag=${tagB}&label=${encodeURIComponent('家庭房方案')}`;

    // Resolvers that fail on purpose, in every "process": doom= always (the event is parked after 3 attempts), flaky=
    // on its first two resolutions, jam= with a deadlock on its first two (transient: no attempt counted).
    const calls = new Map<string, number>();
    for (const runtime of [env.runtime, ...workers]) {
      runtime.extensions.add(postbackResolvers, async (ctx, data) => {
        const kind = data.split('=')[0];
        if (kind !== 'doom' && kind !== 'flaky' && kind !== 'jam') return undefined;
        const n = (calls.get(data) ?? 0) + 1;
        calls.set(data, n);
        if (kind === 'doom' || (kind === 'flaky' && n <= 2)) throw new Error(`injected failure ${data}`);
        if (kind === 'jam' && n <= 2) await ctx.db.execute(sql.raw(`do $$ begin raise exception 'injected deadlock' using errcode = '40P01'; end $$`));
        return { tagIds: [], label: kind };
      });
    }

    const users = Array.from({ length: GUESTS }, (_, g) => `U${g.toString(16).padStart(4, '0')}${'c'.repeat(28)}`);
    const partitions = await env.runtime.db.withTenant(tenant.tenantId, async (tx) => {
      const found: number[] = [];
      for (const user of users) found.push(await partitionOfUser(tx, user));
      return found;
    });
    expect(new Set(partitions).size).toBeGreaterThan(DRAIN_PARTITIONS / 2);

    // Each guest: a follow (new friend), then messages and clicks; a block and a follow back; guest 0 one doomed click,
    // guest 1 a flaky one, guest 2 a jammed one, each followed by more events that must wait for it.
    const t0 = Date.now() - 60_000;
    const plan: Planned[] = [];
    const base = { mode: 'active', deliveryContext: { isRedelivery: false } };
    let id = 0;
    const eventId = () => `01JPART${(id++).toString(36).toUpperCase().padStart(19, '0')}`;
    const expected = new Map<number, string[]>();
    const tagPairs = new Set<string>();
    for (let g = 0; g < GUESTS; g += 1) {
      const source = { type: 'user', userId: users[g] };
      const tokens = ['created', 'followed'];
      for (let i = 0; i < EVENTS_PER_GUEST; i += 1) {
        const at = t0 + i * 100 + g;
        const common = { ...base, timestamp: at, source, webhookEventId: eventId(), replyToken: `r${id}`.padEnd(32, '0') };
        const seq = `${g}#${i}`;
        let event: Record<string, unknown>;
        let token: string | undefined;
        if (i === 0) [event, token] = [{ ...common, type: 'follow', follow: { isUnblocked: false } }, undefined];
        else if (i === 10) [event, token] = [{ ...common, type: 'unfollow' }, 'blocked'];
        else if (i === 14) [event, token] = [{ ...common, type: 'follow', follow: { isUnblocked: true } }, 'followed'];
        else if (i === 5 && g < 3) {
          const kind = ['doom', 'flaky', 'jam'][g]!;
          event = { ...common, type: 'postback', postback: { data: `${kind}=${g}`, params: { seq } } };
          token = kind === 'doom' ? undefined : `c:${seq}`;
        } else if (i % 3 === 1) {
          const data = (g + i) % 2 === 0 ? campaignData : tagData;
          event = { ...common, type: 'postback', postback: { data, params: { seq } } };
          token = `c:${seq}`;
          tagPairs.add(`${g}:${data === campaignData ? tagA : tagB}`);
        } else [event, token] = [{ ...common, type: 'message', message: { type: 'text', id: common.webhookEventId, text: seq } }, `m:${seq}`];
        plan.push({ event, guest: g, token });
        if (token) tokens.push(token);
      }
      expected.set(g, tokens);
    }

    // LINE sends them interleaved across guests, a few guests' events per request, each guest's in its order.
    const byTime = [...plan].sort((a, b) => (a.event.timestamp as number) - (b.event.timestamp as number));
    const requests: unknown[][] = [];
    for (let i = 0; i < byTime.length; i += 7) requests.push(byTime.slice(i, i + 7).map((p) => p.event));
    const half = Math.floor(requests.length / 2);
    for (const events of requests.slice(0, half)) await postEvents(events);

    // Six lanes (three processes, two each) drain while the second half arrives.
    const processors = [env.runtime, ...workers].map((r) => r.lineEvents);
    const lanes = processors.flatMap((p) => [p.drain(tenant.tenantId), p.drain(tenant.tenantId)]);
    for (const events of requests.slice(half)) await postEvents(events);
    const claimed = await Promise.all(lanes);
    // What arrived after the lanes' last look (a wake-up drains it in production).
    claimed.push(await env.runtime.lineEvents.drain(tenant.tenantId));
    if (env.engine === 'postgres') expect(claimed.filter((n) => n > 0).length, `claimed per lane ${claimed.join(', ')}`).toBeGreaterThan(1);

    // Nothing pending; every event processed exactly once, but the doomed one parked after its 3 attempts.
    const statuses = await owner<{ status: string; n: number }>(`select status, count(*)::int as n from line_webhook_inbox where tenant_id = $1 group by 1 order by 1`, [tenant.tenantId]);
    expect(statuses).toEqual([
      { status: 'failed', n: 1 },
      { status: 'processed', n: plan.length - 1 },
    ]);
    const [doomed] = await owner<{ attempts: number; last_error: string }>(`select attempts, last_error from line_webhook_inbox where tenant_id = $1 and status = 'failed'`, [tenant.tenantId]);
    expect(doomed).toMatchObject({ attempts: 3, last_error: 'injected failure doom=0' });
    const [jammed] = await owner<{ attempts: number }>(`select attempts from line_webhook_inbox where payload->'postback'->>'data' = 'jam=2'`);
    expect(jammed!.attempts).toBe(1);

    // Per guest, the history entries in the order they were written: exactly the events, once each, in LINE's order.
    const log = await owner<{ line_user_id: string | null; webhook_event_id: string | null; token: string }>(
      `select coalesce(m.line_user_id, i.line_user_id) as line_user_id, l.webhook_event_id, l.token
       from drain_log l left join members m on m.id = l.member_id left join line_webhook_inbox i on i.webhook_event_id = l.webhook_event_id
       where l.token <> 'tag_added' order by l.seq`,
    );
    for (let g = 0; g < GUESTS; g += 1) {
      const written = log.filter((entry) => entry.line_user_id === users[g]).map((entry) => entry.token);
      const wanted = g === 0 ? [...expected.get(g)!.slice(0, 6), 'parked', ...expected.get(g)!.slice(6)] : expected.get(g)!;
      expect(written, `guest ${g}`).toEqual(wanted);
    }

    // The buttons' tags: each (guest, tag) once, from its campaign or the tag postback, each with one tag_added entry.
    const tags = await owner<{ line_user_id: string; tag_id: string; source: string; source_ref: string }>(
      `select m.line_user_id, mt.tag_id, mt.source, mt.source_ref from member_tags mt join members m on m.id = mt.member_id where mt.tenant_id = $1`,
      [tenant.tenantId],
    );
    expect(new Set(tags.map((t) => `${users.indexOf(t.line_user_id)}:${t.tag_id}`))).toEqual(tagPairs);
    expect(tags.length).toBe(tagPairs.size);
    for (const t of tags) expect([t.tag_id, t.source, t.source_ref]).toEqual(t.tag_id === tagA ? [tagA, 'campaign', `${campaignId}:${actionId}`] : [tagB, 'line', `postback:${tagData}`]);
    expect(log.length + (await owner<{ n: number }>(`select count(*)::int as n from drain_log where token = 'tag_added'`))[0]!.n).toBe(
      (await owner<{ n: number }>(`select count(*)::int as n from drain_log`))[0]!.n,
    );
    const [added] = await owner<{ n: number }>(`select count(*)::int as n from member_interactions where tenant_id = $1 and type = 'tag_added'`, [tenant.tenantId]);
    expect(added!.n).toBe(tagPairs.size);
    // Campaign clicks name their campaign and button.
    const [clicks] = await owner<{ n: number; named: number }>(
      `select count(*)::int as n, count(*) filter (where campaign_id = $2 and action_id = $3)::int as named from member_interactions where tenant_id = $1 and type = 'clicked' and details->>'data' = $4`,
      [tenant.tenantId, campaignId, actionId, campaignData],
    );
    expect(clicks!.named).toBe(clicks!.n);
    expect(clicks!.n).toBeGreaterThan(0);
  });

  it('of two tenants at once, with the same guests, events without a user and redeliveries: each tenant’s drains take only its own events, each once and in order', { timeout: 120_000 }, async () => {
    // A second hotel whose LINE account the same guests follow (the same LINE user ids: the same partition numbers).
    const other = await createTestTenant(env);
    const otherAdmin = await signedInAs(env, other.adminEmail, other.password);
    const OTHER = { channelId: '2007200011', channelSecret: 'fedcba9876543210'.repeat(2), channelAccessToken: 'test-access-token-for-partitions-02', loginChannelId: '2007200012' };
    const otherChannel = await connectSimulatedChannel(otherAdmin, sim, innkeeperUrl, OTHER, { hotel: '第二飯店', basicId: '@second-hotel', propertyId: other.propertyIds[0]!, welcomeMessage: '' });
    const hotels = [
      { tenantId: tenant.tenantId, channelId: channel.id, secret: LINE.channelSecret, bot: channel.bot.userId, mark: 'A' },
      { tenantId: other.tenantId, channelId: otherChannel.id, secret: OTHER.channelSecret, bot: otherChannel.bot.userId, mark: 'B' },
    ];
    const post = async (hotel: (typeof hotels)[number], events: unknown[]) => {
      const body = JSON.stringify({ destination: hotel.bot, events });
      const response = await env.app.inject({ method: 'POST', url: `/api/line/webhook/${hotel.tenantId}/${hotel.channelId}`, headers: { 'content-type': 'application/json', 'x-line-signature': signBody(hotel.secret, body) }, payload: body });
      expect(response.statusCode).toBe(200);
    };
    const guests = Array.from({ length: 16 }, (_, g) => `U${g.toString(16).padStart(4, '0')}${'d'.repeat(28)}`);
    const t0 = Date.now() - 30_000;
    const requests = new Map<string, unknown[][]>();
    for (const hotel of hotels) {
      const events: Record<string, unknown>[] = [];
      for (let i = 0; i < 12; i += 1) {
        for (const [g, userId] of guests.entries()) {
          const common = { mode: 'active', deliveryContext: { isRedelivery: false }, timestamp: t0 + i * 100 + g, webhookEventId: `01JTWO${hotel.mark}${(i * 100 + g).toString().padStart(19, '0')}`, replyToken: `r${hotel.mark}${i}x${g}`.padEnd(32, '0') };
          events.push(i === 0 ? { ...common, source: { type: 'user', userId }, type: 'follow', follow: { isUnblocked: false } } : { ...common, source: { type: 'user', userId }, type: 'message', message: { type: 'text', id: common.webhookEventId, text: `${hotel.mark}${g}#${i}` } });
        }
        // A group message without a source user (every such event falls in one partition).
        events.push({ mode: 'active', deliveryContext: { isRedelivery: false }, timestamp: t0 + i * 100 + 50, webhookEventId: `01JTWO${hotel.mark}G${i.toString().padStart(18, '0')}`, source: { type: 'group', groupId: `C${'0'.repeat(32)}` }, type: 'message', message: { type: 'text', id: `g${i}`, text: `group ${i}` } });
      }
      const chunks: unknown[][] = [];
      for (let i = 0; i < events.length; i += 9) chunks.push(events.slice(i, i + 9));
      requests.set(hotel.mark, chunks);
    }
    const half = (mark: string) => Math.floor(requests.get(mark)!.length / 2);
    for (const hotel of hotels) for (const events of requests.get(hotel.mark)!.slice(0, half(hotel.mark))) await post(hotel, events);
    // Three processes, two lanes each per tenant, both tenants at once, while the rest arrives and the first half is redelivered.
    const processors = [env.runtime, ...workers].map((r) => r.lineEvents);
    const lanes = processors.flatMap((p) => hotels.flatMap((hotel) => [p.drain(hotel.tenantId), p.drain(hotel.tenantId)]));
    for (const hotel of hotels) {
      for (const events of requests.get(hotel.mark)!.slice(half(hotel.mark))) await post(hotel, events);
      for (const events of requests.get(hotel.mark)!.slice(0, half(hotel.mark))) await post(hotel, (events as Record<string, unknown>[]).map((e) => ({ ...e, deliveryContext: { isRedelivery: true } })));
    }
    const claimed = await Promise.all(lanes);
    for (const hotel of hotels) await env.runtime.lineEvents.drain(hotel.tenantId);
    // On PostgreSQL the lanes ran at once: more than one lane of each tenant took a share (lanes go A, A, B, B per process).
    if (env.engine === 'postgres') for (const k of [0, 2]) expect(claimed.filter((n, i) => i % 4 >> 1 === k >> 1 && n > 0).length, `claimed per lane ${claimed.join(', ')}`).toBeGreaterThan(1);

    for (const hotel of hotels) {
      const stored = await owner<{ status: string; n: number }>(`select status, count(*)::int as n from line_webhook_inbox where tenant_id = $1 and webhook_event_id like '01JTWO%' group by 1 order by 1`, [hotel.tenantId]);
      // Every event once (the redeliveries stored nothing), none left pending or failed.
      expect(stored.reduce((sum, row) => sum + row.n, 0), hotel.mark).toBe(12 * (guests.length + 1));
      expect(stored.filter((row) => row.status !== 'processed' && row.status !== 'ignored'), hotel.mark).toEqual([]);
      // Each guest's member of this hotel: exactly this hotel's messages, once each, in LINE's order.
      const log = await owner<{ line_user_id: string; token: string; tenant_id: string }>(
        `select m.line_user_id, l.token, m.tenant_id from drain_log l join members m on m.id = l.member_id where m.tenant_id = $1 and m.line_user_id like '%dddd' and l.token like 'm:%' order by l.seq`,
        [hotel.tenantId],
      );
      for (const [g, userId] of guests.entries()) {
        expect(log.filter((entry) => entry.line_user_id === userId).map((entry) => entry.token), `${hotel.mark} guest ${g}`).toEqual(Array.from({ length: 11 }, (_, i) => `m:${hotel.mark}${g}#${i + 1}`));
      }
    }
  });
});
