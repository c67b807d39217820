import type { ErrorCode } from '@innkeeper/contracts';

/**
 * The one error type domain code throws. `code` is stable and decides the HTTP status (see ERROR_CATALOG);
 * the message shown to the caller is looked up by code in the caller's language, so domain code never writes UI text.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  /**
   * Commit what the transaction did before this error (e.g. counting a wrong code) instead of rolling it back.
   * Used sparingly: only where the failure itself must leave a trace.
   */
  readonly keepChanges: boolean;

  constructor(code: ErrorCode, details?: unknown, options: { keepChanges?: boolean } = {}) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.keepChanges = options.keepChanges ?? false;
  }
}

/**
 * A field-level refusal found past the schema (e.g. an id that is not the tenant's): the same 400 `request.validation`
 * a schema gives, with `message` a FIELD_MESSAGES key the error handler shows in the caller's language.
 */
export function fieldErrors(where: 'body' | 'querystring' | 'params', issues: Array<{ path: string; message: string }>): AppError {
  return new AppError('request.validation', { in: where, issues: issues.map((issue) => ({ ...issue, code: 'custom' })) });
}

/** Runs a write and turns a unique-constraint violation into the coded error that constraint stands for. */
export async function withUniqueErrors<T>(write: () => Promise<T>, byConstraint: Record<string, () => AppError>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    for (const [constraint, toError] of Object.entries(byConstraint)) {
      if (isUniqueViolation(error, constraint)) throw toError();
    }
    throw error;
  }
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const cause = databaseError(error);
  return cause?.code === '23505' && (constraint === undefined || cause.constraint === constraint);
}

/**
 * 40P01 deadlock, 40001 serialization failure: the database gave up on the statement, not on what it was asked; the
 * same work on a savepoint or in a new transaction may succeed.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = databaseError(error)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * The database's own error (SQLSTATE `code`, and the `constraint` it names) in an error or its causes: Drizzle wraps
 * the driver's error, so the code is found a level or two down.
 */
export function databaseError(error: unknown): { code: string; constraint?: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return { code: candidate.code, ...(typeof candidate.constraint === 'string' ? { constraint: candidate.constraint } : {}) };
    }
    current = candidate.cause;
  }
  return undefined;
}
