import { eq, is, sql, TransactionRollbackError } from 'drizzle-orm';
import { integer, PgTransaction, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/database.ts';
import { isUniqueViolation } from '../../errors.ts';
import type { TenantId } from '../../ids.ts';
import { queryRows, type Database } from '../database.ts';

/**
 * On PostgreSQL, database.ts opens each transaction itself (BEGIN and the scope in one round trip) and hands drizzle
 * the connection through NodePgSession and NodePgTransaction, classes drizzle exports but does not document
 * (drizzleTransactionOn). These are the properties the server relies on; a drizzle upgrade that changes any fails here.
 */
const probes = pgTable('transaction_probes', {
  id: integer('id').primaryKey(),
  label: text('label').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
const TENANT = '01900000-0000-7000-8000-0000000000aa' as TenantId;

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
  // A table of the test's own that the app role may write (no tenant column: row-level security is not the subject).
  await db.ownerTransaction((owner) =>
    owner.exec(`create table transaction_probes (id int primary key, label text not null, created_at timestamptz not null);
                grant select, insert, update, delete on transaction_probes to innkeeper_app`),
  );
});
afterAll(() => db?.close());

const labels = () => db.withTenant(TENANT, (tx) => queryRows<{ id: number; label: string }>(tx, sql`select id, label from transaction_probes order by id`));
const clear = () => db.withTenant(TENANT, (tx) => tx.execute(sql`delete from transaction_probes`));

describe('a node-postgres transaction opened by database.ts', () => {
  it('is drizzle’s PgTransaction, and runs every statement, its savepoints’ too, on the connection it began on, in its scope', async () => {
    const seen = await db.withTenant(TENANT, async (tx) => {
      expect(is(tx, PgTransaction)).toBe(true);
      const first = await queryRows<{ pid: number; xid: string; tenant: string; role: string }>(
        tx,
        sql`select pg_backend_pid() as pid, txid_current()::text as xid, current_setting('app.tenant_id') as tenant, current_user::text as role`,
      );
      const inSavepoint = await tx.transaction((savepoint) => queryRows<{ pid: number; xid: string }>(savepoint, sql`select pg_backend_pid() as pid, txid_current()::text as xid`));
      const last = await queryRows<{ pid: number; xid: string }>(tx, sql`select pg_backend_pid() as pid, txid_current()::text as xid`);
      return { first: first[0]!, inSavepoint: inSavepoint[0]!, last: last[0]! };
    });
    expect(seen.first).toMatchObject({ tenant: TENANT, role: 'innkeeper_app' });
    // One backend and one transaction id throughout: nothing went to another pooled connection or out of the transaction.
    expect(seen.inSavepoint).toEqual({ pid: seen.first.pid, xid: seen.first.xid });
    expect(seen.last).toEqual({ pid: seen.first.pid, xid: seen.first.xid });
  });

  it('maps query-builder rows to the table’s field names and types, and commits them', async () => {
    const at = new Date('2026-12-01T09:30:00.000Z');
    const written = await db.withTenant(TENANT, async (tx) => {
      const returned = await tx.insert(probes).values({ id: 1, label: '入住', createdAt: at }).returning();
      const selected = await tx.select().from(probes).where(eq(probes.id, 1));
      return { returned, selected };
    });
    expect(written.returned).toEqual([{ id: 1, label: '入住', createdAt: at }]);
    expect(written.selected).toEqual([{ id: 1, label: '入住', createdAt: at }]);
    expect(written.selected[0]!.createdAt).toBeInstanceOf(Date);
    expect(await labels()).toEqual([{ id: 1, label: '入住' }]);
    await clear();
  });

  it('a failed savepoint undoes only its own writes; the transaction goes on and commits the rest', async () => {
    const at = new Date();
    await db.withTenant(TENANT, async (tx) => {
      await tx.insert(probes).values({ id: 1, label: 'kept', createdAt: at });
      const failed = await tx
        .transaction(async (savepoint) => {
          await savepoint.insert(probes).values({ id: 2, label: 'undone', createdAt: at });
          await savepoint.insert(probes).values({ id: 1, label: 'duplicate', createdAt: at });
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      // The database's own error is still found in drizzle's wrapping (core/errors.ts relies on it).
      expect(isUniqueViolation(failed, 'transaction_probes_pkey')).toBe(true);
      await tx.insert(probes).values({ id: 3, label: 'after', createdAt: at });
    });
    expect(await labels()).toEqual([
      { id: 1, label: 'kept' },
      { id: 3, label: 'after' },
    ]);
    await clear();
  });

  it('tx.rollback() rejects with drizzle’s TransactionRollbackError and keeps nothing; the connections stay usable', async () => {
    const rolledBack = db.withTenant(TENANT, async (tx) => {
      await tx.insert(probes).values({ id: 1, label: 'never', createdAt: new Date() });
      tx.rollback();
    });
    await expect(rolledBack).rejects.toBeInstanceOf(TransactionRollbackError);
    // A failed statement leaves its connection in an aborted transaction until the rollback: every pooled connection
    // (five in tests) is used again here, and each must have been rolled back.
    const failures = await Promise.all(Array.from({ length: 5 }, () => db.withTenant(TENANT, (tx) => tx.execute(sql`select 1 / 0`)).then(() => null, (error: unknown) => error)));
    expect(failures.every((error) => error instanceof Error)).toBe(true);
    const answers = await Promise.all(Array.from({ length: 10 }, () => db.withTenant(TENANT, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from transaction_probes`))));
    expect(answers.map((rows) => rows[0]!.n)).toEqual(Array.from({ length: 10 }, () => 0));
  });
});
