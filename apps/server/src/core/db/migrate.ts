import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../db/migrations');

type Migration = { version: string; name: string; sql: string; checksum: string };

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        sql,
        checksum: crypto.createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/**
 * Applies pending forward-only migrations, each in its own transaction.
 * An advisory lock lets several processes start at once against one PostgreSQL without racing.
 * An applied migration whose file changed is an error: migrations are history, not drafts.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir);
  const applied: string[] = [];
  for (const migration of migrations) {
    const didApply = await db.ownerTransaction(async (owner) => {
      await owner.exec(`
        select pg_advisory_xact_lock(727274001);
        create table if not exists schema_migrations (
          version text primary key,
          name text not null,
          checksum text not null,
          applied_at timestamptz not null default now()
        );`);
      const [existing] = await owner.query<{ checksum: string }>('select checksum from schema_migrations where version = $1', [migration.version]);
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new Error(`Migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead.`);
        }
        return false;
      }
      await owner.exec(migration.sql);
      await owner.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
      return true;
    });
    if (didApply) applied.push(`${migration.version}_${migration.name}`);
  }
  return applied;
}

export async function isMigrated(db: Database, dir = MIGRATIONS_DIR): Promise<boolean> {
  const latest = readMigrations(dir).at(-1);
  if (!latest) return true;
  try {
    const rows = await db.ownerTransaction((owner) => owner.query<{ version: string }>('select version from schema_migrations where version = $1', [latest.version]));
    return rows.length === 1;
  } catch {
    return false;
  }
}
