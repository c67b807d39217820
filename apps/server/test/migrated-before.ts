import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../src/core/db/database.ts';
import { migrate, MIGRATIONS_DIR } from '../src/core/db/migrate.ts';

/** An embedded database migrated up to (not including) the migration `prefix`, and the means to apply the rest. */
export type PartlyMigrated = {
  db: Database;
  /** Applies every migration from `prefix` on; the names applied. */
  migrateRest(): Promise<string[]>;
  close(): Promise<void>;
};

/**
 * For a migration's test on data the database may hold before it: runs on the embedded engine, where the migrations
 * can be stopped before one (the PostgreSQL test template is migrated to the end).
 */
export async function migratedBefore(prefix: string): Promise<PartlyMigrated> {
  const db = await openDatabase({ engine: 'pglite', dataDir: undefined });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innkeeper-migrations-'));
  const copy = (wanted: (file: string) => boolean) => {
    for (const file of fs.readdirSync(MIGRATIONS_DIR).filter(wanted)) fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
  };
  copy((file) => file < prefix);
  await migrate(db, dir);
  return {
    db,
    migrateRest: () => {
      copy((file) => file >= prefix);
      return migrate(db, dir);
    },
    close: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
