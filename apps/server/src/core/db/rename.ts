import { isTransientDatabaseError, withUniqueErrors, type AppError } from '../errors.ts';
import type { Tx } from './database.ts';

/**
 * A write on a savepoint of the request's transaction, tried once more when PostgreSQL ends it as a deadlock (or a
 * serialization failure). Renames need it: two rows swapping unique names at once (A → b while B → a) can each wait on
 * the other's old name in the unique index, and PostgreSQL ends one of them (CI on PostgreSQL met it with tags: a 500).
 * Rolling back to the savepoint lets go of what the write locked, so the other finishes and the second try waits for
 * it. Once only: a second deadlock in a row is reported, not looped on.
 */
export async function retryingDeadlockOnce<T>(db: Tx, write: (savepoint: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction((savepoint) => write(savepoint as Tx));
  } catch (error) {
    if (!isTransientDatabaseError(error)) throw error;
    return db.transaction((savepoint) => write(savepoint as Tx));
  }
}

/**
 * A write that sets a name unique in the hotel group (a segment's, a role's, an automation rule's, a saved mapping's):
 * a name taken is the field's error (byConstraint), a swap's deadlock is tried once more (retryingDeadlockOnce).
 */
export function writeUniqueName<T>(db: Tx, write: (savepoint: Tx) => Promise<T>, byConstraint: Record<string, () => AppError>): Promise<T> {
  return withUniqueErrors(() => retryingDeadlockOnce(db, write), byConstraint);
}
