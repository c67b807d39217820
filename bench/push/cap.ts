/**
 * `npm run bench:push-cap`: the weekly frequency cap at scale. A hotel that has sent campaigns for weeks holds millions
 * of past recipients; since migration 0055 every one of those rows stays `queued` (its outcome is its batch's), so a
 * cap read through `campaign_recipient_outcomes` looks each of them up. This times, as the app role under row-level
 * security, on real PostgreSQL:
 *   - the cap check of one audience chunk (the `capped` part of a chunk's INSERT … SELECT: who of the chunk's 50,000
 *     members is at the cap), for chunks at the start, middle and end of the member range;
 *   - the estimate's tenant-wide count (`countCapped` over the whole audience: who would be skipped);
 *   - one guest's check (`withinWeeklyCap`'s count, for an automated push).
 *
 * On DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres) it creates `innkeeper_bench_pushcap_
 * <timestamp>` (dropped at the end unless BENCH_KEEP=1), a hotel tenant with BENCH_MEMBERS members (default 1,000,000),
 * one past campaign to every member for each day of BENCH_PAST_DAYS (default 2,9,16,23: four campaigns, one within the
 * week), written as this release writes them (recipients `queued`, batches of 500 accepted that day), and a campaign
 * sending now with BENCH_IN_FLIGHT queued recipients (default 500,000). The weekly cap is BENCH_WEEKLY_CAP (default 2:
 * the in-flight campaign's recipients, who also got the one of the week, are at it; the answers say how many, and must
 * be the same on every checkout). The past is analyzed (weeks-old data has
 * statistics); the in-flight campaign's rows are not (written seconds ago). BENCH_RUNS (default 3) runs each; medians.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import pino from 'pino';
import { closeRuntime, createRuntime } from '../../apps/server/src/app/runtime.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import { systemContext } from '../../apps/server/src/core/context.ts';
import { enterPlatformScope, openDatabase, queryRows } from '../../apps/server/src/core/db/database.ts';
import { migrate } from '../../apps/server/src/core/db/migrate.ts';
import { asTenantId, newId } from '../../apps/server/src/core/ids.ts';
import { cappedMembers } from '../../apps/server/src/modules/campaigns/campaign-delivery.repository.ts';
import { campaignPushesSince, countPushesOf } from '../../apps/server/src/modules/campaigns/campaign-sending.repository.ts';
import { provisionTenant } from '../../apps/server/src/modules/platform/index.ts';
import { createBenchDatabase } from '../lib/database.ts';
import { table } from '../members/stats.ts';
import { describeMachine, loadAverage, printMachine } from '../webhook/system.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const env = process.env;
const num = (name: string, fallback: number) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
};
const serverUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const MEMBERS = num('BENCH_MEMBERS', 1_000_000);
const PAST_DAYS = (env.BENCH_PAST_DAYS ?? '2,9,16,23').split(',').map(Number);
const IN_FLIGHT = Math.min(num('BENCH_IN_FLIGHT', 500_000), MEMBERS);
const CAP = num('BENCH_WEEKLY_CAP', 2);
const RUNS = num('BENCH_RUNS', 3);
const CHUNK = num('BENCH_CHUNK', 50_000);
const KEEP = env.BENCH_KEEP === '1';
const DAY = 24 * 3600_000;
const fmt = (n: number) => n.toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
printMachine(await describeMachine(admin));
const { stamp, dbName, benchUrl } = await createBenchDatabase(admin, serverUrl, 'pushcap');
console.log(`\nDatabase ${dbName}${KEEP ? ' (kept)' : ' (dropped at the end; BENCH_KEEP=1 keeps it)'}`);
const owner = new pg.Pool({ connectionString: benchUrl, max: 2 });
let exitCode = 0;
try {
  const db = await openDatabase({ engine: 'postgres', connectionString: benchUrl, poolSize: 4 });
  await migrate(db, path.join(ROOT, 'apps/server/db/migrations'));
  const keys = { ENCRYPTION_KEYS: `bench:${crypto.randomBytes(32).toString('base64')}`, BLIND_INDEX_KEY: crypto.randomBytes(32).toString('base64') };
  const baseEnv = { NODE_ENV: 'production', DATABASE_URL: benchUrl, SEED_DEMO: 'false', LINE_SIMULATOR: 'off', SMTP_URL: 'smtp://mail.invalid', PUBLIC_URL: 'https://innkeeper.bench.example', ...keys };
  const runtime = await createRuntime(loadConfig({ ...baseEnv, LOG_LEVEL: 'silent' }), { db, logger: pino({ level: 'silent' }) });
  // Started (not working) so that closing it closes its pool before the database is dropped.
  await runtime.queue.start({ work: false });
  const provisioned = await runtime.db.withPlatform(async (tx) => {
    await enterPlatformScope(tx);
    return provisionTenant(
      tx,
      { kind: 'hotel', name: '山嵐飯店集團（頻率上限壓測）', slug: `bench-cap-${stamp}`, properties: [{ code: 'TPE', name: '台北館' }], administrator: { email: `admin@bench-cap-${stamp}.example`, displayName: '管理員', password: 'correct horse battery' } },
      { actor: { kind: 'system', name: 'bench' }, ip: '', requestId: newId(), afterCommit: () => undefined, invite: async () => undefined, now: new Date() },
    );
  });
  const tenantId = asTenantId(provisioned.tenant.id);

  let t = performance.now();
  for (let i = 0; i < MEMBERS; i += CHUNK) {
    await owner.query(
      `insert into members (tenant_id, id, member_no, marketing_opt_in, line_user_id, line_status)
       select $1, gen_random_uuid(), 'P' || ($2::int + n), true, 'U' || md5(($2::int + n)::text), 'following' from generate_series(1, least($3::int, $4::int - $2::int)) n`,
      [tenantId, i, CHUNK, MEMBERS],
    );
  }
  await owner.query(`insert into campaign_settings (tenant_id, weekly_cap) values ($1, $2)`, [tenantId, CAP]);
  await owner.query('vacuum (analyze) members');
  console.log(`Members: ${fmt(MEMBERS)} in ${((performance.now() - t) / 1000).toFixed(1)} s; weekly cap ${CAP}`);

  // A campaign as this release writes one: its recipients in member order, 500 a batch, each row `queued` for good,
  // its batches accepted `daysAgo` (or still queued: in flight), one member range each.
  const now = Date.now();
  const writeCampaign = async (name: string, recipients: number, daysAgo: number | null) => {
    const id = newId();
    const at = new Date(daysAgo === null ? now : now - daysAgo * DAY);
    await owner.query(
      `insert into campaigns (tenant_id, id, name, status, messages, audience, scheduled_at, approved_at, version, created_at, updated_at) values ($1, $2, $3, $4, '[{"type":"text","text":"週末優惠"}]'::jsonb, '{"kind":"all"}', $5, $5, 1, $5, $5)`,
      [tenantId, id, name, daysAgo === null ? 'sending' : 'sent', at],
    );
    await owner.query(
      `with m as (select id, ((row_number() over (order by id) - 1) / 500 + 1)::int as batch_no from (select id from members where tenant_id = $1 order by id limit $3) s)
       , b as (insert into campaign_batches (tenant_id, campaign_id, batch_no, mode, retry_key, status, recipients, settled_at, created_at, touched_at, first_member_id, last_member_id)
               select $1, $2, batch_no, 'multicast', gen_random_uuid(), $4, count(*)::int, $5, $6, $6, min(id::text collate "C")::uuid, max(id::text collate "C")::uuid from m group by batch_no returning 1)
       insert into campaign_recipients (tenant_id, campaign_id, member_id, line_user_id, status, reason, batch_no, updated_at)
       select $1, $2, m.id, 'U' || md5(m.id::text), 'queued', '', m.batch_no, $6 from m`,
      [tenantId, id, recipients, daysAgo === null ? 'queued' : 'accepted', daysAgo === null ? null : at, at],
    );
    return id;
  };
  t = performance.now();
  for (const days of PAST_DAYS) await writeCampaign(`過去 ${days} 天`, MEMBERS, days);
  await owner.query('vacuum (analyze) campaign_recipients, campaign_batches, campaigns');
  if (IN_FLIGHT > 0) await writeCampaign('發送中', IN_FLIGHT, null);
  const [{ n: rows }] = (await owner.query<{ n: number }>('select count(*)::int as n from campaign_recipients')).rows as [{ n: number }];
  console.log(`Recipients: ${fmt(rows)} (${PAST_DAYS.length} past campaigns of ${fmt(MEMBERS)} at ${PAST_DAYS.join(', ')} days ago, ${fmt(IN_FLIGHT)} queued now) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Chunk boundaries as the audience writer takes them: ranges of 50,000 members by id.
  const bounds = (await owner.query<{ id: string }>(`select id::text from (select id, row_number() over (order by id) as rn from members where tenant_id = $1) s where rn % $2 = 0 order by id`, [tenantId, CHUNK])).rows.map((r) => r.id);
  const last = bounds.length - 1;
  const chunks = [...new Set([0, Math.floor(last / 2), last])].map((k) => ({ after: k === 0 ? null : bounds[k - 1]!, upto: bounds[k]! }));
  const guest = (await owner.query<{ id: string }>(`select id::text from members where tenant_id = $1 order by id offset $2 limit 1`, [tenantId, Math.floor(MEMBERS / 3)])).rows[0]!.id;

  const timed = async (fn: () => Promise<number>) => {
    const ms: number[] = [];
    let answer = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      answer = await fn();
      ms.push(performance.now() - started);
    }
    return { ms: median(ms), answer };
  };
  const inTenant = <T>(fn: (tx: Parameters<Parameters<typeof runtime.db.withTenant>[1]>[0]) => Promise<T>) => runtime.db.withTenant(tenantId, fn);
  console.log(`\nLoad average before: ${loadAverage()}`);
  const results: string[][] = [];
  for (const [i, chunk] of chunks.entries()) {
    const among = sql`select m.id as member_id from members m where m.tenant_id = ${tenantId}${chunk.after ? sql` and m.id > ${chunk.after}::uuid` : sql``} and m.id <= ${chunk.upto}::uuid`;
    const r = await timed(() => inTenant(async (tx) => (await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from (${cappedMembers(tenantId, CAP, new Date(), [], among, chunk)}) c`))[0]!.n));
    results.push([`cap check of a chunk of ${fmt(CHUNK)} (${['first', 'middle', 'last'][i] ?? i})`, r.ms.toFixed(1), fmt(r.answer)]);
  }
  const estimate = await timed(() => inTenant((tx) => runtime.campaignDelivery.countCapped(systemContext(tx, tenantId, 'bench'), { lineFriends: true }, 'all')));
  results.push(['estimate: capped of the whole audience (countCapped)', estimate.ms.toFixed(1), fmt(estimate.answer)]);
  const single = await timed(() => inTenant((tx) => countPushesOf(tx, guest, [campaignPushesSince(tenantId, new Date(Date.now() - 7 * DAY))])));
  results.push(['one guest’s pushes this week (withinWeeklyCap)', single.ms.toFixed(1), fmt(single.answer)]);
  console.log(table(['what', 'ms (median)', 'answer'], results));
  console.log(`Load average after: ${loadAverage()}`);
  await closeRuntime(runtime);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await owner.end();
  if (!KEEP) await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
process.exit(exitCode);
