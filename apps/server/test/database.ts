import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../src/core/db/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string | null;
    /** Without TEST_DATABASE_URL: the file holding the migrated PGlite database (global-setup.ts). */
    pgliteSnapshot: string | null;
  }
}

/** The login role test databases' request and job pools use on PostgreSQL: a member of the app and platform roles, owner of nothing. */
export const TEST_LOGIN_ROLE = 'innkeeper_test_login';

export function withUser(url: string, user: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = '';
  return parsed.toString();
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

let snapshot: Buffer | undefined;

/**
 * A fresh database for one test file: embedded PGlite in memory by default, loaded from the database global setup
 * migrated once, or, when TEST_DATABASE_URL is set, a new PostgreSQL database cloned from the template global setup
 * migrated once. Either way the runtime's own migrate() then finds nothing to apply.
 */
export async function openTestDatabase(): Promise<Database & { engineLabel: string }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const file = inject('pgliteSnapshot');
    if (!file) throw new Error('global setup made no migrated PGlite database');
    snapshot ??= fs.readFileSync(file);
    const db = await openDatabase({ engine: 'pglite', dataDir: undefined, loadDataDir: new Blob([snapshot]) });
    return { ...db, engineLabel: 'pglite' };
  }
  const template = inject('templateDatabase');
  if (!template) throw new Error('TEST_DATABASE_URL is set but global setup made no template database');
  const name = `innkeeper_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const db = await openDatabase({ engine: 'postgres', connectionString: withDatabaseName(url, name), appConnectionString: withUser(withDatabaseName(url, name), TEST_LOGIN_ROLE), poolSize: 5 });
  return {
    ...db,
    engineLabel: 'postgres',
    async close() {
      await db.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
