import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import { PgDialect, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { TenantId } from '../ids.ts';

/** A Drizzle transaction on either engine. Repositories take one of these and nothing wider. */
export type Tx = PgTransaction<PgQueryResultHKT>;

/** Database roles the migrations create. The app never touches tenant data as the table owner. */
export const APP_ROLE = 'innkeeper_app';
export const PLATFORM_ROLE = 'innkeeper_platform';
/** Writes the job queue's tables only: what enqueuing inside a tenant's transaction steps into (core/jobs/queue.ts). */
export const QUEUE_ROLE = 'innkeeper_queue';

export type Engine = 'pglite' | 'postgres';

export type Database = {
  engine: Engine;
  /**
   * Runs `fn` in one transaction as the restricted app role with the tenant set for the transaction only.
   * Row-level security then shows and accepts only this tenant's rows.
   */
  withTenant<T>(tenantId: TenantId, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** The few cross-tenant paths (login lookup, sessions, tenant administration) run as the platform role, which sees only those tables. */
  withPlatform<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs as the restricted app role with no tenant set: used by tests to prove a forgotten tenant sees nothing. */
  withoutTenant<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * One statement outside a transaction block: it is its own transaction, committed when this resolves. It runs as the
   * connection's login role with no role or tenant set, so it is only for the SQL functions that take their own scope
   * (line_inbox_receive, migration 0041; campaign_clicks_receive, 0049) and statements that read no table (an advisory lock): one round trip where a
   * transaction takes three (begin, statement, commit). scripts/check-boundaries.ts names the files that may use it.
   */
  statement<T>(query: SQL): Promise<T[]>;
  /** Owner-level access for migrations and maintenance: multi-statement SQL in one transaction. */
  ownerTransaction<T>(fn: (owner: OwnerSession) => Promise<T>): Promise<T>;
  /** What pg-boss needs to share this database. */
  jobStore: { kind: 'pglite'; pglite: PGlite } | { kind: 'postgres'; connectionString: string };
  close(): Promise<void>;
};

export type OwnerSession = {
  exec(text: string): Promise<void>;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
};

export type OpenDatabaseOptions =
  | {
      engine: 'postgres';
      /** The schema owner: migrations, the queue's schema and owner maintenance (ANALYZE) only. */
      connectionString: string;
      /**
       * A login role that owns nothing and is a (NOINHERIT) member of the app, platform and queue roles: every request and job
       * transaction runs on it. A transaction that forgot its scope can then read nothing, instead of everything as the
       * owner. Without it, the owner's pool serves them too (development; README, Configuration).
       */
      appConnectionString?: string | undefined;
      poolSize?: number;
    }
  | { engine: 'pglite'; dataDir: string | undefined; loadDataDir?: Blob };

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.engine === 'postgres'
    ? openPostgres(options.connectionString, options.appConnectionString, options.poolSize ?? 10)
    : openPglite(options.dataDir, options.loadDataDir);
}

/** Both drivers answer `execute` with `{ rows }`; this is the one place that relies on it. */
export async function queryRows<T>(tx: Tx, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Switches an open transaction to another scope. Only the platform layer uses this, for the few flows that must be
 * atomic across scopes (provisioning a tenant writes the tenant directory and the new tenant's rows together).
 */
export async function enterTenantScope(tx: Tx, tenantId: TenantId): Promise<void> {
  await tx.execute(sql`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${tenantId}, true)`);
}

export async function enterPlatformScope(tx: Tx): Promise<void> {
  await tx.execute(sql`select set_config('role', ${PLATFORM_ROLE}, true), set_config('app.tenant_id', '', true)`);
}

function scopedTransactions(
  transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>,
): Pick<Database, 'withTenant' | 'withPlatform' | 'withoutTenant'> {
  return {
    withTenant: (tenantId, fn) =>
      transaction(async (tx) => {
        // One round trip: switch role and set the tenant, both local to this transaction.
        await enterTenantScope(tx, tenantId);
        return fn(tx);
      }),
    withPlatform: (fn) =>
      transaction(async (tx) => {
        await enterPlatformScope(tx);
        return fn(tx);
      }),
    withoutTenant: (fn) =>
      transaction(async (tx) => {
        await tx.execute(sql`select set_config('role', ${APP_ROLE}, true)`);
        return fn(tx);
      }),
  };
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  let location = 'memory://';
  if (dataDir) {
    location = path.join(dataDir, 'pglite');
    fs.mkdirSync(location, { recursive: true });
  }
  // PGlite is loaded only by a process that runs on it: a worker on PostgreSQL would otherwise hold its modules.
  const [{ PGlite }, { btree_gin }, { pg_trgm }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gin'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
  ]);
  const pglite = await PGlite.create(location, { extensions: { pg_trgm, btree_gin }, ...(loadDataDir ? { loadDataDir } : {}) });
  const db = drizzlePglite(pglite);
  const dialect = new PgDialect();
  const transaction = <T>(fn: (tx: Tx) => Promise<T>) => db.transaction((tx) => fn(tx as unknown as Tx));
  return {
    engine: 'pglite',
    ...scopedTransactions(transaction),
    statement: async <T>(query: SQL) => {
      const { sql: text, params } = dialect.sqlToQuery(query);
      return (await pglite.query<T>(text, params)).rows;
    },
    ownerTransaction: (fn) =>
      pglite.transaction(async (tx) =>
        fn({
          exec: async (text) => {
            await tx.exec(text);
          },
          query: async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params)).rows,
        }),
      ),
    jobStore: { kind: 'pglite', pglite },
    close: () => pglite.close(),
  };
}

/** A tenant id that may be written into SQL text as it is (a UUID: hex digits and dashes, nothing else). */
const PLAIN_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Transactions on node-postgres whose BEGIN and scope go to PostgreSQL in one round trip: one simple-protocol query
 * `begin; select set_config(…)`, instead of drizzle's `begin` and then the scope as a statement of its own. Every
 * request and job opens a transaction, and on a busy endpoint (the LINE webhook, the tracked-link redirect) each round
 * trip is a wait for the database and work for both processes. A simple query carries no parameters, so the only value
 * written into it is a tenant id that is a plain UUID (checked here); any other goes the parameterised way.
 */
function postgresTransactions(appPool: pg.Pool): Pick<Database, 'withTenant' | 'withPlatform' | 'withoutTenant'> {
  const dialect = new PgDialect();
  async function transaction<T>(opening: string, scope: SQL | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await appPool.connect();
    const tx = drizzleTransactionOn(client, dialect);
    let broken: Error | undefined;
    try {
      await client.query(opening);
      if (scope) await tx.execute(scope);
      const result = await fn(tx);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch((lost: Error) => (broken = lost));
      throw error;
    } finally {
      // A connection that could not even roll back is closed rather than handed to the next transaction.
      client.release(broken);
    }
  }
  return {
    withTenant: (tenantId, fn) =>
      PLAIN_UUID.test(tenantId)
        ? transaction(`begin; select set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${tenantId}', true)`, undefined, fn)
        : transaction('begin', sql`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${tenantId}, true)`, fn),
    withPlatform: (fn) => transaction(`begin; select set_config('role', '${PLATFORM_ROLE}', true), set_config('app.tenant_id', '', true)`, undefined, fn),
    withoutTenant: (fn) => transaction(`begin; select set_config('role', '${APP_ROLE}', true)`, undefined, fn),
  };
}

/**
 * Drizzle's transaction object over a connection on which this module has already begun the transaction (above).
 *
 * Drizzle's documented way, `drizzle(pool).transaction(fn)`, sends its own `begin` first, and cannot be handed a
 * transaction already open; so this builds what its NodePgSession.transaction() builds, from the two classes
 * drizzle-orm/node-postgres exports: a NodePgSession on the one checked-out connection (no relational schema, as
 * `drizzle(pool)` has none here) and a NodePgTransaction on that session. These constructors are exported and typed, but
 * they are not drizzle's documented API, so what the rest of the server relies on is written down here and proved by
 * __tests__/postgres-transactions.postgres.integration.test.ts, which fails if a drizzle upgrade changes it:
 *   - every statement of the transaction object, and of its savepoints (`tx.transaction`), runs on `client`;
 *   - query-builder results are mapped to the tables' field names and types; `execute` answers `{ rows }` (queryRows);
 *   - `tx.rollback()` throws drizzle's TransactionRollbackError, and a failed statement keeps the SQLSTATE in its causes.
 * Only this function names the classes, and their constructors' argument lists are checked by the type checker.
 */
function drizzleTransactionOn(client: pg.PoolClient, dialect: PgDialect): Tx {
  const session = new NodePgSession<Record<string, never>, Record<string, never>>(client, dialect, undefined);
  return new NodePgTransaction<Record<string, never>, Record<string, never>>(dialect, session, undefined);
}

async function openPostgres(connectionString: string, appConnectionString: string | undefined, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: appConnectionString ? 2 : poolSize });
  const appPool = appConnectionString ? new pg.Pool({ connectionString: appConnectionString, max: poolSize }) : pool;
  const statementDialect = new PgDialect();
  for (const p of new Set([pool, appPool])) {
    p.on('error', () => {
      // An idle client lost its connection; the pool replaces it on next use.
    });
  }
  return {
    engine: 'postgres',
    ...postgresTransactions(appPool),
    statement: async <T>(query: SQL) => {
      const { sql: text, params } = statementDialect.sqlToQuery(query);
      return (await appPool.query(text, params)).rows as T[];
    },
    ownerTransaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          exec: async (text) => {
            await client.query(text);
          },
          query: async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[],
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    jobStore: { kind: 'postgres', connectionString },
    close: async () => {
      if (appPool !== pool) await appPool.end();
      await pool.end();
    },
  };
}
