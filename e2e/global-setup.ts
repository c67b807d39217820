import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../apps/server/src/core/db/database.ts';
import { migrate } from '../apps/server/src/core/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory whose embedded database has every migration applied and nothing else (no operator, no demo). */
    e2eMigratedDataDir: string;
  }
}

/**
 * Each journey file starts its own server on a fresh data directory; creating the embedded database there and applying
 * every migration was most of the ~14 s each start took (11 files, 2 cores). Done once here: each server starts on a
 * copy, and still runs its migrate() (nothing left to apply), seeds the demo and connects the simulators itself, as
 * `npm start` does on a fresh directory. CI's own "npm start on a fresh clone" step keeps the first start's migrations.
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'innkeeper-e2e-migrated-'));
  const db = await openDatabase({ engine: 'pglite', dataDir: dir });
  await migrate(db);
  await db.close();
  project.provide('e2eMigratedDataDir', dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
