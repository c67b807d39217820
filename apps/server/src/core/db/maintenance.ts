import type { Database } from './database.ts';

/**
 * Refreshes planner statistics (ANALYZE needs the table owner). Modules may not open owner transactions themselves
 * (scripts/check-boundaries.ts); this is the one maintenance statement they need, after a bulk load.
 */
export async function refreshStatistics(db: Database, tables: readonly string[]): Promise<void> {
  for (const table of tables) if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`Not a table name: ${table}`);
  await db.ownerTransaction((owner) => owner.exec(`analyze ${tables.join(', ')}`));
}
