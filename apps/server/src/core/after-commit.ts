import { AppError } from './errors.ts';

/**
 * Runs the work a transaction queued for after its commit (TenantContext.afterCommit), in order, every task even when
 * an earlier one failed: the change is committed, so each of its follow-ups deserves its try. The first coded failure
 * (an AppError, e.g. a sign-in mail that could not be sent) then reaches the caller. Any other failure is handed to
 * `unexpected` when the caller has a place to report it (a request's log), and otherwise thrown after the rest ran
 * (a job then fails and is retried).
 */
export async function runAfterCommit(tasks: ReadonlyArray<() => Promise<void>>, unexpected?: (error: unknown) => void): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (const task of tasks) {
    try {
      await task();
    } catch (error) {
      if (!(error instanceof AppError) && unexpected) unexpected(error);
      else failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
