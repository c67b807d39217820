import crypto from 'node:crypto';
import type pg from 'pg';
import { formatCount, formatMs, timed } from './stats.ts';

/**
 * Bulk data for the members benchmark, written as the database owner with set-based SQL (generate_series,
 * INSERT … SELECT). Everything is derived from deterministic hashes of row numbers, so two runs at the same scale
 * produce the same data (and the same segment sizes) apart from the generated tag and tenant ids.
 *
 * Shapes (at scale 1):
 * - 1,000,000 members: joined over the last 5 years in member-number order, ~60% opted in, ~55% on LINE, ~15% never
 *   interacted (last_interaction_at null), the rest skewed towards recent activity, ~1% soft-deleted.
 * - 3,000,000 stays over the last 3 years plus 60 days of future bookings, 60/40 over the two properties; older
 *   members have more stays; ~5% cancelled, ~1% no-show; a party on 95% (1–3 adults; children in 30%: 1 in 15%,
 *   2 in 12%, 3 in 3%), none recorded on 5%.
 * - 50 tags, 5,000,000 assignments with Zipf-like popularity (s = 0.7: the top tag ~620k members, the 50th ~40k);
 *   one tag is sized to exactly 100,000 live members (the bulk-tag audience).
 * - ~3.7M history rows: one created/imported entry per member, 1–4 guest interactions for members who interacted
 *   (the latest at last_interaction_at), 0–2 campaign messages for LINE followers.
 */

export type Sizes = { members: number; stays: number; assignments: number; bulkAudience: number };

export function sizesFor(scale: number): Sizes {
  const members = Math.round(1_000_000 * scale);
  return { members, stays: Math.round(3_000_000 * scale), assignments: Math.round(5_000_000 * scale), bulkAudience: Math.round(100_000 * scale) };
}

export type TagSpec = { name: string; kind: 'basic' | 'campaign'; validityDays?: number };

/** Tags in popularity order (rank 1 first). Campaign tags are the least popular and expire. */
export const TAG_SPECS: TagSpec[] = [
  ...[
    'LINE 好友', '官網會員', '回頭客', '商務旅客', '家庭旅遊', '親子', '早鳥', '自駕', '高消費', '外籍旅客',
    '日本旅客', '餐飲愛好', '溫泉', '長住', '蜜月', '寵物友善', '素食', '高樓層偏好', '無障礙需求', 'VIP',
    '員工親友', '企業合約', '團體', '韓國旅客', '港澳旅客', 'SPA', '健身', '單車', '商務中心', '會議',
    '婚宴', '生日月', '週年紀念', '學生', '銀髮族', '背包客', '網紅合作', '媒體', '吸菸房', '抱怨紀錄',
  ].map((name) => ({ name, kind: 'basic' as const })),
  ...['2025 春節', '2025 母親節', '2025 暑假', '2025 中秋', '2025 聖誕', '2026 春節', '2026 母親節', '2026 暑假', '2026 中秋', '2026 週年慶'].map((name) => ({
    name,
    kind: 'campaign' as const,
    validityDays: 365,
  })),
];

/** The tag the three-condition segment uses (rank 3, ~290k members). */
export const SEGMENT_TAG_RANK = 3;

export type TagPlan = { id: string; rank: number; kind: 'basic' | 'campaign'; count: number; bulkSource: boolean };

/** Zipf-like counts summing to `total`; the rank closest to `bulk` gets exactly `bulk` live members. */
export function planTags(tagIds: string[], sizes: Sizes): TagPlan[] {
  const s = 0.7;
  const weights = TAG_SPECS.map((_, i) => (i + 1) ** -s);
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.round((sizes.assignments * w) / sum));
  let bulkRank = 0;
  counts.forEach((c, i) => {
    if (i !== SEGMENT_TAG_RANK - 1 && TAG_SPECS[i]!.kind === 'basic' && Math.abs(c - sizes.bulkAudience) < Math.abs(counts[bulkRank]! - sizes.bulkAudience)) bulkRank = i;
  });
  counts[bulkRank] = sizes.bulkAudience;
  counts[0] = counts[0]! + sizes.assignments - counts.reduce((a, b) => a + b, 0);
  if (counts[0]! > sizes.members) throw new Error('top tag larger than the member count');
  return TAG_SPECS.map((spec, i) => ({ id: tagIds[i]!, rank: i + 1, kind: spec.kind, count: counts[i]!, bulkSource: i === bulkRank }));
}

// --- SQL building blocks (text, inlined constants; every value is generated here, nothing comes from outside) ---

/** A uniform number in [0, 1) from a row key and a salt. */
const r = (key: string, salt: number) => `((hashint8((${key})::bigint * 1000 + ${salt}) & 2147483647)::float8 / 2147483648.0)`;

/** A version-7 UUID for a time (ms since the epoch) with entropy from a key, like the app's newId(). */
const uuid7 = (ms: string, key: string) =>
  `(lpad(to_hex((${ms})::bigint), 12, '0') || '7' || substr(md5((${key})::text), 1, 3) || '8' || substr(md5((${key})::text), 4, 15))::uuid`;

const msOf = (ts: string) => `(extract(epoch from ${ts}) * 1000)::bigint`;

const textArray = (values: readonly string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

const pick = (values: readonly string[], u: string) => `(${textArray(values)})[1 + floor(${u} * ${values.length})::int]`;

const LAST_NAMES = ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊', '許', '鄭', '謝', '郭', '洪', '曾', '邱', '廖', '賴', '周', '葉', '蘇', '莊', '呂', '江'];
const GIVEN_1 = ['志', '家', '冠', '怡', '雅', '俊', '宗', '佳', '承', '欣', '建', '淑', '美', '明', '文', '宇', '子', '思', '柏', '詩'];
const GIVEN_2 = ['豪', '宏', '廷', '君', '婷', '傑', '翰', '穎', '恩', '妤', '華', '芬', '玲', '德', '彥', '軒', '涵', '瑜', '安', '庭'];
const MAIL_DOMAINS = ['gmail.com', 'yahoo.com.tw', 'hotmail.com', 'outlook.com', 'icloud.com'];
const ROOM_TYPES = ['STD', 'DLX', 'TWN', 'FAM', 'STE'];
const RATE_CODES = ['BAR', 'ADV14', 'CORP', 'PKG-BF', 'MEMBER', 'OTA'];
const CHANNELS = ['官網', 'Booking.com', 'Agoda', 'Expedia', '電話', '旅行社'];

type Env = { lanes: [pg.Client, pg.Client]; tenantId: string; propertyIds: [string, string]; adminId: string; adminEmail: string; now: Date; today: string; sizes: Sizes };

const YEAR_MS = 365.25 * 86_400_000;

function joinedMs(env: Env, n: string): string {
  const start = env.now.getTime() - 5 * YEAR_MS;
  const step = Math.floor((5 * YEAR_MS) / env.sizes.members);
  return `(${Math.floor(start)}::bigint + ((${n}) - 1)::bigint * ${step} + floor(${r(n, 17)} * ${step})::bigint)`;
}

/** The id of member number n, computable anywhere (stays and tags refer to members without a join). */
function memberId(env: Env, n: string): string {
  return uuid7(joinedMs(env, n), `'m' || (${n})`);
}

const deletedMember = (n: string) => `(${r(n, 14)} < 0.01)`;

async function step(label: string, fn: () => Promise<number | void>): Promise<void> {
  const { ms, value } = await timed(fn);
  console.log(`  ${label.padEnd(46)} ${typeof value === 'number' ? formatCount(value).padStart(11) + ' rows' : ''.padStart(16)}  ${formatMs(ms).padStart(8)}`);
}

async function exec(client: pg.Client, text: string, params: unknown[] = []): Promise<number> {
  return (await client.query(text, params)).rowCount ?? 0;
}

const LOADED_TABLES = ['members', 'member_stays', 'member_tags', 'member_interactions'];

/**
 * Secondary indexes and unreferenced primary keys of the loaded tables are dropped while loading and rebuilt after
 * (much faster than maintaining them row by row); their definitions are read from the catalog, so the indexes that
 * exist after the run are exactly those the migrations (including new ones) create.
 */
async function dropIndexes(client: pg.Client): Promise<string[]> {
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class t on t.oid = i.indrelid
      where t.relnamespace = 'public'::regnamespace and t.relname = any($1)
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    [LOADED_TABLES],
  );
  const { rows: constraints } = await client.query<{ table: string; name: string; def: string }>(
    `select t.relname as table, c.conname as name, pg_get_constraintdef(c.oid) as def
       from pg_constraint c join pg_class t on t.oid = c.conrelid
      where t.relnamespace = 'public'::regnamespace and t.relname = any($1) and c.contype in ('p', 'u')
        and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.conindid = c.conindid)`,
    [LOADED_TABLES],
  );
  for (const index of indexes) await client.query(`drop index ${index.name}`);
  for (const c of constraints) await client.query(`alter table ${c.table} drop constraint ${c.name}`);
  return [...constraints.map((c) => `alter table ${c.table} add constraint ${c.name} ${c.def}`), ...indexes.map((i) => i.def)];
}

export async function generate(env: Env, tags: TagPlan[]): Promise<void> {
  const { lanes, sizes } = env;
  const N = sizes.members;
  const now = env.now.toISOString();
  let replica = true;
  for (const client of lanes) {
    try {
      await client.query(`set session_replication_role = replica`); // skips FK checks: the data is consistent by construction
    } catch {
      replica = false;
    }
    await client.query(`set synchronous_commit = off`);
    await client.query(`set maintenance_work_mem = '512MB'`);
    await client.query(`set work_mem = '1GB'`);
    // Two connections load and index side by side; each builds its indexes alone.
    await client.query(`set max_parallel_maintenance_workers = 0`);
  }
  if (!replica) console.log('  (not a superuser: foreign keys are checked while loading, which is slower)');

  let rebuild: string[] = [];
  await step('drop secondary indexes for the load', async () => {
    rebuild = await dropIndexes(lanes[0]);
  });

  const members = () =>
    step('members', () =>
    exec(
      lanes[0],
      `insert into members (tenant_id, id, member_no, property_id, last_name, first_name, gender, birthday, preferred_language, email, mobile,
                            marketing_opt_in, opt_in_changed_at, opt_in_source, line_user_id, line_display_name, line_status, line_followed_at,
                            line_status_changed_at, joined_at, last_interaction_at, created_at, updated_at, deleted_at)
       select $1::uuid, ${uuid7('x.ms', `'m' || x.n`)}, 'M' || lpad(x.n::text, 7, '0'),
              case when x.r1 < 0.55 then $2::uuid when x.r1 < 0.9 then $3::uuid end,
              ${pick(LAST_NAMES, 'x.r2')}, ${pick(GIVEN_1, 'x.r3')} || ${pick(GIVEN_2, 'x.r4')},
              case when x.r5 < 0.48 then 'female' when x.r5 < 0.93 then 'male' when x.r5 < 0.99 then 'unknown' else 'other' end,
              case when x.r6 < 0.7 then date '1950-01-01' + floor(x.r6 / 0.7 * 20000)::int end,
              case when x.r7 < 0.85 then 'zh-TW' when x.r7 < 0.91 then 'en' when x.r7 < 0.96 then 'ja' when x.r7 < 0.99 then 'ko' else 'other' end,
              case when x.r8 < 0.65 then 'guest' || x.n || '@' || ${pick(MAIL_DOMAINS, 'x.r8 / 0.65')} end,
              case when x.r9 < 0.8 then '+8869' || lpad(((x.n::bigint * 7919) % 100000000)::text, 8, '0') end,
              x.opt_in, case when x.opt_in then x.joined end, case when x.opt_in then case when x.line then 'line' else 'import' end else '' end,
              case when x.line then 'U' || md5('line' || x.n) end,
              case when x.line then ${pick(LAST_NAMES, 'x.r2')} || ${pick(GIVEN_2, 'x.r4')} end,
              case when not x.line then 'never' when x.r11 < 0.85 then 'following' else 'blocked' end,
              case when x.line then x.joined end, case when x.line then x.joined end,
              x.joined, x.last, x.joined, coalesce(x.last, x.joined),
              case when x.deleted then x.joined + ($4::timestamptz - x.joined) * x.r15 end
       from (
         select y.*, to_timestamp(y.ms / 1000.0) as joined,
                case when y.r12 >= 0.15 then $4::timestamptz - ($4::timestamptz - to_timestamp(y.ms / 1000.0)) * (y.r13 * y.r13) end as last
         from (
           select n, ${joinedMs(env, 'n')} as ms, ${r('n', 1)} as r1, ${r('n', 2)} as r2, ${r('n', 3)} as r3, ${r('n', 4)} as r4, ${r('n', 5)} as r5,
                  ${r('n', 6)} as r6, ${r('n', 7)} as r7, ${r('n', 8)} as r8, ${r('n', 9)} as r9, ${r('n', 11)} as r11, ${r('n', 12)} as r12,
                  ${r('n', 13)} as r13, ${r('n', 15)} as r15, ${r('n', 16)} < 0.6 as opt_in, ${r('n', 10)} < 0.55 as line, ${deletedMember('n')} as deleted
           from generate_series(1, ${N}) n
           offset 0
         ) y
         offset 0
       ) x`,
      [env.tenantId, env.propertyIds[0], env.propertyIds[1], now],
    ),
  );

  const counter = () =>
    step('member number counter', () =>
    exec(
      lanes[0],
      `insert into tenant_counters (tenant_id, name, value) values ($1, 'member_no', $2)
       on conflict (tenant_id, name) do update set value = excluded.value`,
      [env.tenantId, N],
    ),
  );

  // Stays in chronological order: check-in spread evenly from 3 years ago to 60 days ahead; the guest is drawn from
  // members who had joined by then, weighted towards the oldest members (regulars).
  const start = `($1::date - 1095)`;
  const span = 1155;
  const fivYearsDays = 1826;
  const stays = () =>
    step('stays', () =>
    exec(
      lanes[1],
      `insert into member_stays (tenant_id, id, member_id, property_id, source, external_id, check_in, check_out, room_type, rate_code, channel,
                                 amount, currency, status, adults, children, created_at, updated_at)
       select $2::uuid, ${uuid7(msOf('x.check_in::timestamp'), `'s' || x.j`)}, ${memberId(env, 'x.n')},
              case when x.r2 < 0.6 then $3::uuid else $4::uuid end, 'pms', 'R' || x.j, x.check_in, x.check_in + x.nights,
              ${pick(ROOM_TYPES, 'x.r4')}, ${pick(RATE_CODES, 'x.r5')}, ${pick(CHANNELS, 'x.r6')},
              x.nights * (2800 + floor(x.r7 * 5000)::int), 'TWD',
              case when x.check_in > $1::date then 'booked'
                   when x.check_in + x.nights > $1::date then 'in_house'
                   when x.r8 < 0.05 then 'cancelled' when x.r8 < 0.06 then 'no_show' else 'stayed' end,
              case when x.r9 >= 0.05 then 1 + floor(x.r10 * 2.4)::int end,
              case when x.r9 >= 0.05 then (case when x.r11 < 0.70 then 0 when x.r11 < 0.85 then 1 when x.r11 < 0.97 then 2 else 3 end) end,
              x.check_in::timestamp, x.check_in::timestamp
       from (
         select j, c.check_in, 1 + floor(${r('j', 3)} * ${r('j', 3)} * 5)::int as nights,
                1 + floor(${N} * least(1.0, (c.check_in - ($1::date - ${fivYearsDays}))::float8 / ${fivYearsDays}) * power(${r('j', 1)}, 1.4))::bigint as n,
                ${r('j', 2)} as r2, ${r('j', 4)} as r4, ${r('j', 5)} as r5, ${r('j', 6)} as r6, ${r('j', 7)} as r7, ${r('j', 8)} as r8,
                ${r('j', 9)} as r9, ${r('j', 10)} as r10, ${r('j', 11)} as r11
         from generate_series(1, ${sizes.stays}) j
         cross join lateral (select ${start} + floor((j - 1)::float8 * ${span} / ${sizes.stays})::int as check_in) c
         offset 0
       ) x`,
      [env.today, env.tenantId, env.propertyIds[0], env.propertyIds[1]],
    ),
  );

  // Tag assignments: each tag takes a pseudo-random permutation slice of the members (i * a + b mod N). Basic tags
  // were added some time after joining, campaign tags in the last 300 days (expiring a year later). Rows are written
  // in added_at order, as they would have accumulated, so one tag's rows are spread over the whole table.
  const primes = [1_000_003, 1_000_033, 1_000_037, 1_000_039, 1_000_081, 1_000_099, 1_000_117, 1_000_121, 1_000_133, 1_000_151, 1_000_159, 1_000_171];
  const coprime = primes.filter((p) => N % p !== 0);
  const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const branches = tags.map((tag) => {
    const a = coprime[tag.rank % coprime.length]!;
    const b = (tag.rank * 7_919 * 31) % N;
    const candidates = tag.bulkSource
      ? `(select n from (select ((i::bigint * ${a} + ${b}) % ${N}) + 1 as n, i from generate_series(0, ${Math.ceil(tag.count * 1.05) + 100}) i) c
          where not ${deletedMember('c.n')} order by i limit ${tag.count})`
      : `(select ((i::bigint * ${a} + ${b}) % ${N}) + 1 as n from generate_series(0, ${tag.count - 1}) i)`;
    const key = `(p.n * 64 + ${tag.rank})`;
    const campaign = tag.kind === 'campaign';
    const added = campaign ? `(${quote(now)}::timestamptz - interval '300 days' * ${r(key, 21)})` : `(p.joined + (${quote(now)}::timestamptz - p.joined) * ${r(key, 21)})`;
    const staff = `${r(key, 22)} < 0.4`;
    return `select ${quote(tag.id)}::uuid as tag_id, ${memberId(env, 'p.n')} as member_id, a.added as added_at,
                   ${campaign ? `'campaign'` : `case when ${staff} then 'staff' when ${r(key, 22)} < 0.7 then 'import' when ${r(key, 22)} < 0.9 then 'rule' else 'pms' end`} as source,
                   ${campaign ? `''` : `case when ${staff} then ${quote(env.adminId)} else '' end`} as source_ref,
                   ${campaign ? `''` : `case when ${staff} then ${quote(env.adminEmail)} else '' end`} as source_label,
                   ${campaign ? `a.added + interval '365 days'` : 'null::timestamptz'} as expires_at
            from (select c.n, to_timestamp(${joinedMs(env, 'c.n')} / 1000.0) as joined from ${candidates} c) p
            cross join lateral (select ${added} as added) a`;
  });
  const tagAssignments = () =>
    step(`tag assignments (${tags.length} tags)`, () =>
      exec(
        lanes[1],
        `insert into member_tags (tenant_id, tag_id, member_id, added_at, source, source_ref, source_label, expires_at)
         select $1::uuid, x.tag_id, x.member_id, x.added_at, x.source, x.source_ref, x.source_label, x.expires_at
         from (${branches.join('\n union all\n')}) x
         order by x.added_at`,
        [env.tenantId],
      ),
    );

  // History: who each member is and what they did. Types and actors as the app writes them.
  const campaigns = Array.from({ length: 20 }, () => crypto.randomUUID());
  const campaignArray = `array[${campaigns.map((c) => `'${c}'`).join(', ')}]::uuid[]`;
  const memberNo = `substr(m.member_no, 2)::bigint`;
  const historyCreated = () =>
    step('history: created / imported', () =>
    exec(
      lanes[0],
      `insert into member_interactions (tenant_id, id, member_id, occurred_at, type, actor_type, actor_ref, actor_label, details)
       select m.tenant_id, ${uuid7(msOf('m.joined_at'), `'ic' || m.member_no`)}, m.id, m.joined_at,
              case when x.u < 0.3 then 'imported' else 'created' end,
              case when x.u < 0.3 then 'import' when x.u < 0.8 then 'line' else 'staff' end,
              case when x.u < 0.3 then 'import' when x.u < 0.8 then 'line' else $2 end,
              case when x.u < 0.3 then 'import' when x.u < 0.8 then 'line' else $3 end,
              jsonb_build_object('source', case when x.u < 0.3 then 'import' when x.u < 0.8 then 'line' else 'staff' end)
       from members m cross join lateral (select ${r(memberNo, 40)} as u) x
       where m.tenant_id = $1`,
      [env.tenantId, env.adminId, env.adminEmail],
    ),
  );
  const historyGuest = () =>
    step('history: guest interactions', () =>
    exec(
      lanes[0],
      `insert into member_interactions (tenant_id, id, member_id, occurred_at, type, actor_type, campaign_id, details)
       select m.tenant_id, ${uuid7(msOf('e.at'), `'ig' || m.member_no || ':' || k`)}, m.id, e.at, e.type, 'guest',
              case when e.type in ('clicked', 'opened') and e.u < 0.6 then (${campaignArray})[1 + floor(e.u / 0.6 * 20)::int] end,
              case when e.type = 'message_received' then '{"text":"請問有停車位嗎？"}'::jsonb else '{}'::jsonb end
       from (select m.*, ${memberNo} as n from members m where m.tenant_id = $1 and m.last_interaction_at is not null offset 0) m
       cross join lateral generate_series(0, floor(${r('m.n', 41)} * 4)::int) k
       cross join lateral (
         select case when k = 0 then m.last_interaction_at else m.joined_at + (m.last_interaction_at - m.joined_at) * ${r('m.n * 8 + k', 42)} end as at,
                case when ${r('m.n * 8 + k', 43)} < 0.4 then 'message_received' when ${r('m.n * 8 + k', 43)} < 0.7 then 'clicked'
                     when ${r('m.n * 8 + k', 43)} < 0.95 then 'opened' else 'followed' end as type,
                ${r('m.n * 8 + k', 44)} as u
       ) e`,
      [env.tenantId],
    ),
  );
  const historyCampaign = () =>
    step('history: campaign messages', () =>
    exec(
      lanes[0],
      `insert into member_interactions (tenant_id, id, member_id, occurred_at, type, actor_type, actor_ref, actor_label, campaign_id, action_id, details)
       select m.tenant_id, ${uuid7(msOf('e.at'), `'is' || m.member_no || ':' || k`)}, m.id, e.at, 'message_sent', 'campaign', 'campaign', 'campaign', e.campaign, 'a1', '{}'::jsonb
       from (select m.*, ${memberNo} as n from members m where m.tenant_id = $1 and m.line_status = 'following' offset 0) m
       cross join lateral generate_series(1, floor(${r('m.n', 45)} * 3)::int) k
       cross join lateral (
         select m.joined_at + ($2::timestamptz - m.joined_at) * ${r('m.n * 8 + k', 46)} as at,
                (${campaignArray})[1 + floor(${r('m.n * 8 + k', 47)} * 20)::int] as campaign
       ) e`,
      [env.tenantId, now],
    ),
  );

  await step('load (two connections side by side)', async () => {
    await Promise.all([
      (async () => {
        await members();
        await counter();
        await historyCreated();
        await historyGuest();
        await historyCampaign();
      })(),
      (async () => {
        await stays();
        await tagAssignments();
      })(),
    ]);
  });

  for (const client of lanes) await client.query(`reset session_replication_role`);
  if (replica) {
    // The stay-dates triggers (migrations 0006, 0009) were skipped with the foreign keys: derive the columns as they would.
    await step('members: stay dates and stay properties from their stays', () =>
      exec(
        lanes[0],
        `update members m set stay_dates = s.dates, stay_property_ids = s.property_ids
           from (select tenant_id, member_id, case when count(*) > 100 then null else range_agg(daterange(check_in, check_out, '[]')) end as dates,
                        array_agg(distinct property_id) as property_ids
                   from member_stays where status not in ('cancelled', 'no_show') group by tenant_id, member_id) s
          where m.tenant_id = s.tenant_id and m.id = s.member_id`,
      ),
    );
  }
  const tableOf = (statement: string) => (/^alter table (\w+)/.exec(statement) ?? / ON (?:public\.)?(\w+) /.exec(statement))?.[1];
  const onFirstLane = (statement: string) => ['members', 'member_interactions'].includes(tableOf(statement) ?? '');
  await step(`rebuild ${rebuild.length} indexes and keys`, async () => {
    await Promise.all(
      lanes.map(async (client, lane) => {
        for (const statement of rebuild.filter((st) => onFirstLane(st) === (lane === 0))) await client.query(statement);
      }),
    );
  });
  await step('vacuum analyze', async () => {
    await Promise.all([
      lanes[0].query(`vacuum (analyze) members, member_interactions, tags, tenant_counters`),
      lanes[1].query(`vacuum (analyze) member_stays, member_tags`),
    ]);
  });
  // The load leaves gigabytes of dirty pages; written out now, they do not compete with the timed runs.
  await step('checkpoint', async () => {
    try {
      await lanes[0].query('checkpoint');
    } catch {
      console.log('  (checkpoint needs a superuser or pg_checkpoint: the first timed runs may share the disk with it)');
    }
  });
  for (const client of lanes) await client.query(`reset all`);
}
