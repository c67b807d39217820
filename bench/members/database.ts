import pg from 'pg';

/** Where the benchmark runs: DATABASE_URL's server, in a database of its own. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export function freshDatabaseName(now = new Date()): string {
  return `innkeeper_bench_${now.toISOString().replace(/\D/g, '').slice(0, 14)}`;
}

/** What a finished generation leaves behind, so BENCH_REUSE=1 can skip it. */
export type BenchMeta = {
  scale: number;
  generatedAt: string;
  generationMs: number;
  tenantId: string;
  adminId: string;
  adminEmail: string;
  propertyIds: [string, string];
  tagIds: string[];
  segmentTagId: string;
  bulkSourceTagId: string;
};

export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

export async function readMeta(client: pg.Client): Promise<BenchMeta | undefined> {
  const { rows } = await client.query<{ exists: boolean }>(`select to_regclass('public.bench_meta') is not null as exists`);
  if (!rows[0]?.exists) return undefined;
  const meta = await client.query<{ data: BenchMeta }>(`select data from bench_meta where id = 1`);
  return meta.rows[0]?.data;
}

export async function writeMeta(client: pg.Client, meta: BenchMeta): Promise<void> {
  await client.query(`create table if not exists bench_meta (id int primary key, data jsonb not null)`);
  await client.query(`insert into bench_meta (id, data) values (1, $1) on conflict (id) do update set data = excluded.data`, [JSON.stringify(meta)]);
}

/** The newest benchmark database with a finished generation (or the one named), for BENCH_REUSE. */
export async function findReusable(admin: pg.Client, url: string, wanted: string): Promise<string | undefined> {
  const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'innkeeper_bench_%' order by datname desc`);
  for (const { datname } of rows) {
    if (wanted !== '1' && wanted !== 'true' && datname !== wanted) continue;
    const client = await connect(withDatabaseName(url, datname));
    try {
      if (await readMeta(client)) return datname;
    } finally {
      await client.end();
    }
  }
  return undefined;
}
