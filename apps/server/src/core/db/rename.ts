import { setTimeout as sleep } from 'node:timers/promises';
import { isTransientDatabaseError, withUniqueErrors, type AppError } from '../errors.ts';
import type { Tx } from './database.ts';

/** Tries in all (the first and two more). */
const TRIES = 3;

/**
 * A write on a savepoint of the request's transaction, tried again when PostgreSQL ends it as a deadlock (or a
 * serialization failure). Renames need it: two rows swapping unique names at once (A → b while B → a) can each wait on
 * the other's old name in the unique index, and PostgreSQL ends one of them (CI on PostgreSQL met it with tags: a 500).
 * Rolling back to the savepoint lets go of what the write locked, so the other goes on and the next try waits for it.
 * The next try starts after a short, random pause: begun at once, it could take the row back before the other
 * transaction, woken, had taken it, and meet the same deadlock again (the attack review staged it: a 500 in about 1 of
 * 12). At most TRIES in all: a deadlock that keeps coming back is reported, not looped on.
 */
export async function retryingDeadlock<T>(db: Tx, write: (savepoint: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction((savepoint) => write(savepoint as Tx));
    } catch (error) {
      if (attempt === TRIES || !isTransientDatabaseError(error)) throw error;
      await sleep(20 + Math.random() * 60 * attempt);
    }
  }
}

/**
 * A write that sets a name unique in the hotel group (a segment's, a role's, an automation rule's, a saved mapping's):
 * a name taken is the field's error (byConstraint), a swap's deadlock is tried again (retryingDeadlock).
 */
export function writeUniqueName<T>(db: Tx, write: (savepoint: Tx) => Promise<T>, byConstraint: Record<string, () => AppError>): Promise<T> {
  return withUniqueErrors(() => retryingDeadlock(db, write), byConstraint);
}
