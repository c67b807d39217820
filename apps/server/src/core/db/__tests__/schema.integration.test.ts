import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/database.ts';
import { queryRows, type Database } from '../database.ts';
import { migrate } from '../migrate.ts';

/** The Drizzle table definitions the code queries through must match what the SQL migrations built. */

const modulesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../modules');
let db: Database;

async function loadTables(): Promise<PgTable[]> {
  const files = fs.readdirSync(modulesDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tables.ts'));
  const tables: PgTable[] = [];
  for (const file of files) {
    const exports = (await import(path.join(modulesDir, file))) as Record<string, unknown>;
    for (const value of Object.values(exports)) if (value instanceof PgTable) tables.push(value);
  }
  return tables;
}

beforeAll(async () => {
  db = await openTestDatabase();
  await migrate(db);
});
afterAll(() => db.close());

describe('schema drift', () => {
  it('every column Drizzle knows exists in the database with the same nullability and type', async () => {
    const tables = await loadTables();
    expect(tables.length).toBeGreaterThanOrEqual(10);
    const columns = await db.ownerTransaction((owner) =>
      owner.query<{ table_name: string; column_name: string; is_nullable: string; udt_name: string }>(
        `select table_name, column_name, is_nullable, udt_name from information_schema.columns where table_schema = 'public'`,
      ),
    );
    const actual = new Map(columns.map((c) => [`${c.table_name}.${c.column_name}`, c]));
    const problems: string[] = [];
    for (const table of tables) {
      const config = getTableConfig(table);
      for (const column of config.columns) {
        const key = `${config.name}.${column.name}`;
        const found = actual.get(key);
        if (!found) {
          problems.push(`${key} is missing`);
          continue;
        }
        if ((found.is_nullable === 'NO') !== column.notNull) problems.push(`${key} nullability differs`);
        const expectedType = column.getSQLType().replace(/\[\]$/, '');
        const udt = found.udt_name.replace(/^_/, '');
        const same = { uuid: 'uuid', text: 'text', boolean: 'bool', integer: 'int4', smallint: 'int2', jsonb: 'jsonb', 'timestamp with time zone': 'timestamptz', bigint: 'int8', date: 'date', time: 'time' }[expectedType];
        if (same !== udt) problems.push(`${key} is ${found.udt_name}, Drizzle says ${column.getSQLType()}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has row-level security on every table that carries tenant_id, and reads views with the reader’s rights', async () => {
    const rows = await db.ownerTransaction((owner) =>
      owner.query<{ table_name: string; kind: string; rls: boolean; invoker: boolean }>(
        `select c.table_name, t.relkind as kind, t.relrowsecurity as rls, coalesce('security_invoker=true' = any(t.reloptions), false) as invoker
         from information_schema.columns c join pg_class t on t.relname = c.table_name and t.relnamespace = 'public'::regnamespace
         where c.table_schema = 'public' and c.column_name = 'tenant_id'`,
      ),
    );
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.kind !== 'v' && !r.rls).map((r) => r.table_name)).toEqual([]);
    // A view runs as its owner unless security_invoker is set, which would read past the tables' row-level security.
    const views = rows.filter((r) => r.kind === 'v');
    expect(views.map((r) => r.table_name)).toContain('campaign_recipient_outcomes');
    expect(views.filter((r) => !r.invoker).map((r) => r.table_name)).toEqual([]);
  });

  it('migrations are recorded and re-running them changes nothing', async () => {
    expect(await migrate(db)).toEqual([]);
    const [row] = await db.withPlatform((tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from tenants`));
    expect(row?.n).toBe(0);
  });
});
