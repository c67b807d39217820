/**
 * `npm run bench:members`: the member CRM at hotel-group scale.
 *
 * Builds a tenant with 1,000,000 members, 50 tags, 5,000,000 tag assignments, 3,000,000 stays and a few million history
 * rows in a fresh database on DATABASE_URL's server, then times the real services inside `db.withTenant` (role switch,
 * tenant setting and row-level security included), as the API calls them:
 *   - segments.countAudience for a segment of three conditions (tag AND stayed within 180 days AND opted in)
 *   - segments.listMembers sorted by last interaction, page 1 and page 1,000 (20 a page)
 *   - segments.changeTagForAudience adding a fresh tag to a 100,000-member audience
 *   - segments.listMembers (page 1) and countAudience searching free text: a full name, one guest's e-mail, a common
 *     mail domain and a two-character name
 * and prints medians with the data sizes, the machine and EXPLAIN (ANALYZE, BUFFERS) of the statements.
 *
 * Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_REUSE=1 (or a database name)
 * to reuse a generated database, BENCH_KEEP=1 to keep the new one, BENCH_SCALE (default 1) to shrink everything for a
 * quick try, BENCH_RUNS (default 7) and BENCH_BULK_RUNS (default 3).
 */
import type { Permission } from '@innkeeper/contracts';
import pino from 'pino';
import { createRuntime, closeRuntime, type Runtime } from '../../apps/server/src/app/runtime.ts';
import { loadConfig } from '../../apps/server/src/config/config.ts';
import type { Clock } from '../../apps/server/src/core/clock.ts';
import { ALL_PROPERTIES, type RequestContext } from '../../apps/server/src/core/context.ts';
import { ephemeralKeyring } from '../../apps/server/src/core/crypto/keyring.ts';
import { enterPlatformScope, openDatabase, type Tx } from '../../apps/server/src/core/db/database.ts';
import { migrate } from '../../apps/server/src/core/db/migrate.ts';
import { asTenantId, newId, type TenantId } from '../../apps/server/src/core/ids.ts';
import { provisionTenant } from '../../apps/server/src/modules/platform/index.ts';
import { calendarDate } from '../../apps/server/src/modules/segments/index.ts';
import type { SegmentDefinition } from '../../apps/server/src/modules/segments/segment-definition.ts';
import { connect, DEFAULT_DATABASE_URL, findReusable, freshDatabaseName, readMeta, withDatabaseName, writeMeta, type BenchMeta } from './database.ts';
import { generate, planTags, SEGMENT_TAG_RANK, sizesFor, TAG_SPECS } from './generate.ts';
import { calibrate, describeMachine, loadAverage, printMachine } from './machine.ts';
import { formatBytes, formatCount, formatMs, summarise, table, timed, type Summary } from './stats.ts';
import { describeStatement, traceTx, type TracedStatement } from './trace.ts';

const env = process.env;
if (!env.DATABASE_URL) console.log(`DATABASE_URL is not set: using ${DEFAULT_DATABASE_URL}`);
const serverUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
const scale = Number(env.BENCH_SCALE ?? '1');
const runs = Number(env.BENCH_RUNS ?? '7');
const bulkRuns = Number(env.BENCH_BULK_RUNS ?? '3');
const reuse = env.BENCH_REUSE && env.BENCH_REUSE !== '0' ? env.BENCH_REUSE : undefined;
const keepRequested = env.BENCH_KEEP === '1';
if (!(scale > 0 && scale <= 1) || !(runs >= 1) || !(bulkRuns >= 1)) throw new Error('BENCH_SCALE must be in (0, 1], BENCH_RUNS and BENCH_BULK_RUNS at least 1');

/** Real time, shifted so that a reused database's "today" is the day its data was generated for. */
class AnchoredClock implements Clock {
  private readonly offset: number;
  constructor(anchor: Date) {
    this.offset = anchor.getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  nowMs(): number {
    return Date.now() + this.offset;
  }
}

class Rollback extends Error {}

const admin = await connect(serverUrl);
const machine = await describeMachine(admin);
printMachine(machine);
console.log('');

let dbName: string;
if (reuse) {
  const found = await findReusable(admin, serverUrl, reuse);
  if (!found) throw new Error(`BENCH_REUSE=${reuse}: no benchmark database with finished data on this server`);
  dbName = found;
  console.log(`Reusing database ${dbName}`);
} else {
  dbName = freshDatabaseName();
  await admin.query(`create database ${dbName}`);
  console.log(`Created database ${dbName}`);
}
/** A database is kept only with finished data in it (a failed generation leaves nothing behind). */
let keep = Boolean(reuse);
const benchUrl = withDatabaseName(serverUrl, dbName);
const db = await openDatabase({ engine: 'postgres', connectionString: benchUrl, poolSize: 4 });
const owner = await connect(benchUrl);
let runtime: Runtime | undefined;

try {
  const applied = await migrate(db);
  console.log(applied.length > 0 ? `Migrated: ${applied.join(', ')}` : 'Migrations: up to date');

  let meta = await readMeta(owner);
  const clock = new AnchoredClock(meta ? new Date(meta.generatedAt) : new Date());
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: benchUrl, SEED_DEMO: 'false', PUBLIC_URL: 'http://bench.invalid', SMTP_URL: 'smtp://mail.invalid' });
  runtime = await createRuntime(config, { db, clock, keyring: ephemeralKeyring(), logger: pino({ level: 'silent' }) });
  const rt = runtime;

  if (!meta) {
    meta = await generateTenant(rt, clock);
    keep = keepRequested;
  }
  else console.log(`Data generated ${meta.generatedAt} at scale ${meta.scale} in ${formatMs(meta.generationMs)} (reused)`);
  const m = meta;
  const tenantId = asTenantId(m.tenantId);
  const sizes = sizesFor(m.scale);
  // Page 1,000 at full scale; smaller scales take a page as deep as their member count allows.
  const deepPage = Math.max(1, Math.min(1000, Math.floor((sizes.members * 0.9) / 20)));

  const context = (tx: Tx): RequestContext => ({
    kind: 'request',
    tenantId,
    db: tx,
    actor: { kind: 'account', accountId: m.adminId, email: m.adminEmail },
    accountId: m.adminId,
    sessionId: 'bench',
    csrfToken: 'bench',
    permissions: new Set<Permission>(['members.read', 'members.edit']),
    propertyScope: ALL_PROPERTIES,
    locale: 'zh-TW',
    timezone: 'Asia/Taipei',
    ip: '127.0.0.1',
    requestId: newId(),
    afterCommit: () => undefined,
  });
  /** One request's transaction: role switch + tenant setting, the service call, commit. */
  const inTenant = <T>(fn: (ctx: RequestContext) => Promise<T>) => rt.db.withTenant(tenantId, (tx) => fn(context(tx)));

  const segment: SegmentDefinition = {
    type: 'group',
    op: 'and',
    conditions: [
      { type: 'tag', tagId: m.segmentTagId, has: true },
      { type: 'stays', withinDays: 180, minCount: 1 },
      { type: 'consent', optedIn: true },
    ],
  };
  // 家庭旅遊: opted-in guests who stayed with children in the last year (the stays condition's party filter).
  const familySegment: SegmentDefinition = {
    type: 'group',
    op: 'and',
    conditions: [
      { type: 'stays', children: 'with', withinDays: 365, minCount: 1 },
      { type: 'consent', optedIn: true },
    ],
  };
  const bulkAudience: SegmentDefinition = { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: m.bulkSourceTagId, has: true }] };

  const { expected: expectedCount, family: expectedFamily } = await printDataSizes(tenantId, m, clock);

  // --- Timed runs ---
  const results: Array<{ name: string; summary: Summary; target: number; note: string }> = [];
  async function measure(name: string, target: number, op: () => Promise<string>): Promise<void> {
    let note = await op(); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const { ms, value } = await timed(op);
      samples.push(ms);
      note = value;
    }
    const summary = summarise(samples);
    results.push({ name, summary, target, note });
    console.log(`  ${name.padEnd(40)} median ${formatMs(summary.median).padStart(8)}  (min ${formatMs(summary.min)}, max ${formatMs(summary.max)}; ${note})`);
  }

  console.log(`\nTimed runs (${runs} after 1 warm-up; bulk tag ${bulkRuns} runs, each adding a fresh tag); load average ${loadAverage()}`);
  await measure('segment count (3 conditions)', 300, async () => {
    const count = await inTenant((ctx) => rt.segments.countAudience(ctx, { definition: segment }));
    if (count !== expectedCount) throw new Error(`segment count ${count}, expected ${expectedCount}`);
    return `count ${formatCount(count)}`;
  });
  await measure('segment count (with children, 365 days)', 300, async () => {
    const count = await inTenant((ctx) => rt.segments.countAudience(ctx, { definition: familySegment }));
    if (count !== expectedFamily) throw new Error(`family segment count ${count}, expected ${expectedFamily}`);
    return `count ${formatCount(count)}`;
  });
  const listPage = (page: number, audience: { definition?: SegmentDefinition }) => async () => {
    const result = await inTenant((ctx) => rt.segments.listMembers(ctx, audience, { sort: 'recent', page, pageSize: 20 }));
    if (result.data.length !== 20 || !result.hasMore) throw new Error(`page ${page}: ${result.data.length} rows, hasMore ${result.hasMore}`);
    return `${result.data.length} rows, hasMore`;
  };
  await measure('member list, recent, page 1', 100, listPage(1, {}));
  await measure(`member list, recent, page ${formatCount(deepPage)}`, 100, listPage(deepPage, {}));
  await measure('segment list, recent, page 1 (no target)', 0, listPage(1, { definition: segment }));

  // Free-text search as the front desk types it: a full name (about a hundred guests share one), one guest's e-mail
  // (one match), a mail domain (a common term: one member in eight) and a two-character given name (too short for a
  // trigram). Each is checked against a count taken as the owner, outside row-level security.
  const oneEmail = (await owner.query<{ email: string }>(`select email from members where tenant_id = $1 and deleted_at is null and email is not null order by id offset $2 limit 1`, [tenantId, Math.floor(sizes.members / 3)])).rows[0]!.email;
  const searches = [
    { label: 'full name', q: '陳怡君' },
    { label: 'one guest’s e-mail', q: oneEmail.slice(0, oneEmail.indexOf('@') + 1) },
    { label: 'mail domain (common)', q: 'hotmail' },
    { label: 'two-character name', q: '怡君' },
  ];
  for (const term of searches) {
    const pattern = `%${term.q.toLowerCase()}%`;
    const expected = Number((await owner.query<{ n: string }>(`select count(*) as n from members where tenant_id = $1 and deleted_at is null and search_text like $2`, [tenantId, pattern])).rows[0]!.n);
    await measure(`search "${term.q}" (${term.label}), page 1`, 100, async () => {
      const result = await inTenant((ctx) => rt.segments.listMembers(ctx, { q: term.q }, { sort: 'recent', page: 1, pageSize: 20 }));
      if (result.data.length !== Math.min(20, expected)) throw new Error(`search ${term.q}: ${result.data.length} rows, expected ${Math.min(20, expected)}`);
      return `${result.data.length} rows of ${formatCount(expected)}`;
    });
    await measure(`search "${term.q}" (${term.label}), count`, 0, async () => {
      const found = await inTenant((ctx) => rt.segments.countAudience(ctx, { q: term.q }));
      if (found !== expected) throw new Error(`search ${term.q}: count ${found}, expected ${expected}`);
      return `count ${formatCount(found)}`;
    });
  }

  const bulkSamples: number[] = [];
  const bulkTagIds: string[] = [];
  const freshTag = async (label: string) => {
    const tag = await inTenant((ctx) => rt.tags.createTag(ctx, { name: `bench ${label} ${newId().slice(-8)}`, kind: 'basic' }));
    bulkTagIds.push(tag.id);
    return tag.id;
  };
  let bulkNote = '';
  for (let i = 0; i < bulkRuns; i += 1) {
    const tagId = await freshTag(`bulk ${i + 1}`);
    const { ms, value } = await timed(() => inTenant((ctx) => rt.segments.changeTagForAudience(ctx, { definition: bulkAudience }, tagId, 'add')));
    if (value.changed !== sizes.bulkAudience || value.audience !== sizes.bulkAudience) throw new Error(`bulk tag changed ${value.changed} of ${value.audience}, expected ${sizes.bulkAudience}`);
    bulkSamples.push(ms);
    bulkNote = `${formatCount(value.changed)} assignments + ${formatCount(value.changed)} history rows`;
    console.log(`  bulk tag run ${i + 1}: ${formatMs(ms)}`);
  }
  const bulkSummary = summarise(bulkSamples);
  results.push({ name: 'bulk tag, 100k-member audience', summary: bulkSummary, target: 10_000, note: bulkNote });

  // --- Plans: the same service calls, with the statements they send captured and explained ---
  console.log('\nQuery plans (EXPLAIN (ANALYZE, BUFFERS) of the SQL the services sent, same parameters)');
  const traced = async (title: string, fn: (ctx: RequestContext) => Promise<unknown>, options: { rollback?: boolean } = {}) => {
    const statements: TracedStatement[] = [];
    try {
      await rt.db.withTenant(tenantId, async (tx) => {
        await fn(context(traceTx(tx, statements, { explain: true })));
        if (options.rollback) throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    console.log(`\n=== ${title} ===`);
    for (const s of statements) {
      console.log(`\n-- ${formatMs(s.ms)}: ${describeStatement(s)}`);
      console.log(s.plan);
    }
  };
  await traced('segment count', (ctx) => rt.segments.countAudience(ctx, { definition: segment }));
  await traced('segment count, with children', (ctx) => rt.segments.countAudience(ctx, { definition: familySegment }));
  await traced('member list page 1', (ctx) => rt.segments.listMembers(ctx, {}, { sort: 'recent', page: 1, pageSize: 20 }));
  await traced('search a full name, page 1', (ctx) => rt.segments.listMembers(ctx, { q: '陳怡君' }, { sort: 'recent', page: 1, pageSize: 20 }));
  await traced(`member list page ${formatCount(deepPage)}`, (ctx) => rt.segments.listMembers(ctx, {}, { sort: 'recent', page: deepPage, pageSize: 20 }));
  const planTag = await freshTag('plan');
  await traced('bulk tag (rolled back)', (ctx) => rt.segments.changeTagForAudience(ctx, { definition: bulkAudience }, planTag, 'add'), { rollback: true });

  // --- Summary ---
  console.log(`\nSummary: ${formatCount(sizes.members)} members, ${TAG_SPECS.length} tags, ${formatCount(sizes.assignments)} tag assignments, ${formatCount(sizes.stays)} stays`);
  console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.ram} RAM; ${machine.postgres.split(' on ')[0]}; Node ${machine.node}`);
  console.log(`one core: generate_series(1, 5M) counted in ${formatMs(machine.calibrationMs)} at the start, ${formatMs(await calibrate(admin))} now; load average now ${loadAverage()}\n`);
  console.log(
    table(
      ['operation', 'runs', 'median', 'min', 'max', 'target', ''],
      results.map((r) => [
        r.name,
        String(r.summary.runs),
        formatMs(r.summary.median),
        formatMs(r.summary.min),
        formatMs(r.summary.max),
        r.target > 0 ? `< ${formatMs(r.target)}` : '–',
        r.target > 0 ? (r.summary.median < r.target ? 'met' : 'MISSED') : '',
      ]),
    ),
  );

  if (keep) await removeBulkTags(tenantId, bulkTagIds);
} finally {
  if (runtime) await closeRuntime(runtime);
  else await db.close();
  await owner.end();
  if (keep) console.log(`\nKept database ${dbName} (reuse it with BENCH_REUSE=1)`);
  else {
    await admin.query(`drop database if exists ${dbName} with (force)`);
    console.log(`\nDropped database ${dbName}`);
  }
  await admin.end();
}

async function generateTenant(rt: Runtime, clock: Clock): Promise<BenchMeta> {
  const sizes = sizesFor(scale);
  const now = clock.now();
  console.log(`\nGenerating at scale ${scale}: ${formatCount(sizes.members)} members, ${TAG_SPECS.length} tags, ${formatCount(sizes.assignments)} assignments, ${formatCount(sizes.stays)} stays`);
  const started = process.hrtime.bigint();
  const adminEmail = 'admin@bench-hotels.example';
  const provisioned = await rt.db.withPlatform(async (tx) => {
    await enterPlatformScope(tx);
    return provisionTenant(
      tx,
      {
        kind: 'hotel',
        name: '基準測試飯店集團',
        slug: 'bench-hotels',
        properties: [
          { code: 'TPE', name: '台北館' },
          { code: 'TXG', name: '台中館' },
        ],
        administrator: { email: adminEmail, displayName: '管理員', password: 'bench-password-not-secret' },
      },
      { actor: { kind: 'system', name: 'bench' }, ip: '', requestId: newId(), afterCommit: () => undefined, invite: async () => undefined, now },
    );
  });
  const tenantId = asTenantId(provisioned.tenant.id);
  const ctxOf = (tx: Tx) => ({ kind: 'system' as const, tenantId, db: tx, actor: { kind: 'account' as const, accountId: provisioned.administratorId, email: adminEmail }, propertyScope: ALL_PROPERTIES, ip: '', requestId: newId(), afterCommit: () => undefined });
  const tagIds = await rt.db.withTenant(tenantId, async (tx) => {
    const ids: string[] = [];
    for (const spec of TAG_SPECS) ids.push((await rt.tags.createTag(ctxOf(tx), { name: spec.name, kind: spec.kind, validityDays: spec.validityDays ?? null })).id);
    return ids;
  });
  const plan = planTags(tagIds, sizes);
  const propertyIds: [string, string] = [provisioned.properties[0]!.id, provisioned.properties[1]!.id];
  const second = await connect(benchUrl);
  try {
    await generate(
      { lanes: [owner, second], tenantId, propertyIds, adminId: provisioned.administratorId, adminEmail, now, today: calendarDate(now, 'Asia/Taipei'), sizes },
      plan,
    );
  } finally {
    await second.end();
  }
  const generationMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`Generation took ${formatMs(generationMs)}`);
  const meta: BenchMeta = {
    scale,
    generatedAt: now.toISOString(),
    generationMs,
    tenantId,
    adminId: provisioned.administratorId,
    adminEmail,
    propertyIds,
    tagIds,
    segmentTagId: plan[SEGMENT_TAG_RANK - 1]!.id,
    bulkSourceTagId: plan.find((t) => t.bulkSource)!.id,
  };
  await writeMeta(owner, meta);
  return meta;
}

async function printDataSizes(tenantId: TenantId, m: BenchMeta, clock: Clock): Promise<{ expected: number; family: number }> {
  const q = async (text: string, params: unknown[] = []) => Number((await owner.query<{ n: string }>(text, params)).rows[0]!.n);
  const members = await q(`select count(*) as n from members where tenant_id = $1 and deleted_at is null`, [tenantId]);
  const deleted = await q(`select count(*) as n from members where tenant_id = $1 and deleted_at is not null`, [tenantId]);
  const optedIn = await q(`select count(*) as n from members where tenant_id = $1 and deleted_at is null and marketing_opt_in`, [tenantId]);
  const noInteraction = await q(`select count(*) as n from members where tenant_id = $1 and deleted_at is null and last_interaction_at is null`, [tenantId]);
  const tags = await q(`select count(*) as n from tags where tenant_id = $1`, [tenantId]);
  const assignments = await q(`select count(*) as n from member_tags where tenant_id = $1`, [tenantId]);
  const stays = await q(`select count(*) as n from member_stays where tenant_id = $1`, [tenantId]);
  const history = await q(`select count(*) as n from member_interactions where tenant_id = $1`, [tenantId]);
  const segmentTag = await q(`select count(*) as n from member_tags where tenant_id = $1 and tag_id = $2`, [tenantId, m.segmentTagId]);
  const today = calendarDate(clock.now(), 'Asia/Taipei');
  const recentStayers = await q(
    `select count(distinct member_id) as n from member_stays where tenant_id = $1 and status not in ('cancelled', 'no_show') and check_out >= $2::date - 180 and check_in <= $2::date`,
    [tenantId, today],
  );
  // An independent formulation of the segment, as the owner, to check the service's answer.
  const expected = await q(
    `select count(*) as n from members m
      where m.tenant_id = $1 and m.deleted_at is null and m.marketing_opt_in
        and m.id in (select member_id from member_tags where tenant_id = $1 and tag_id = $2 and (expires_at is null or expires_at > $3))
        and m.id in (select member_id from member_stays where tenant_id = $1 and status not in ('cancelled', 'no_show') and check_out >= $4::date - 180 and check_in <= $4::date)`,
    [tenantId, m.segmentTagId, clock.now().toISOString(), today],
  );
  const family = await q(
    `select count(*) as n from members m
      where m.tenant_id = $1 and m.deleted_at is null and m.marketing_opt_in
        and m.id in (select member_id from member_stays where tenant_id = $1 and status not in ('cancelled', 'no_show') and children >= 1
                       and check_out >= $2::date - 365 and check_in <= $2::date)`,
    [tenantId, today],
  );
  const withChildren = await q(`select count(*) as n from member_stays where tenant_id = $1 and children >= 1`, [tenantId]);
  console.log('\nData');
  console.log(`  members        ${formatCount(members)} live (+ ${formatCount(deleted)} soft-deleted), ${formatCount(optedIn)} opted in, ${formatCount(noInteraction)} never interacted`);
  console.log(`  tags           ${formatCount(tags)}, ${formatCount(assignments)} assignments (segment tag: ${formatCount(segmentTag)} members)`);
  console.log(`  stays          ${formatCount(stays)} (${formatCount(recentStayers)} members stayed in the last 180 days)`);
  console.log(`  history        ${formatCount(history)} interaction rows`);
  console.log(`  segment        tag "${TAG_SPECS[SEGMENT_TAG_RANK - 1]!.name}" AND stayed within 180 days AND opted in: ${formatCount(expected)} members (independent count)`);
  console.log(`  family         stayed with children within 365 days AND opted in: ${formatCount(family)} members (independent count; ${formatCount(withChildren)} stays with children)`);
  const { rows } = await owner.query<{ name: string; table: string; indexes: string }>(
    `select relname as name, pg_table_size(oid) as table, pg_indexes_size(oid) as indexes from pg_class
      where relnamespace = 'public'::regnamespace and relname in ('members', 'member_tags', 'member_stays', 'member_interactions') order by relname`,
  );
  console.log(`  on disk        ${rows.map((r) => `${r.name} ${formatBytes(Number(r.table))} + ${formatBytes(Number(r.indexes))} indexes`).join('; ')}`);
  return { expected, family };
}

async function removeBulkTags(tenantId: TenantId, tagIds: string[]): Promise<void> {
  // A kept database stays comparable between runs: the bench's own tags and their rows leave again (audit entries stay).
  await owner.query(`delete from member_interactions where tenant_id = $1 and tag_id = any($2::uuid[])`, [tenantId, tagIds]);
  await owner.query(`delete from member_tags where tenant_id = $1 and tag_id = any($2::uuid[])`, [tenantId, tagIds]);
  await owner.query(`delete from tags where tenant_id = $1 and id = any($2::uuid[])`, [tenantId, tagIds]);
  await owner.query(`vacuum (analyze) member_tags, member_interactions, tags`);
}
