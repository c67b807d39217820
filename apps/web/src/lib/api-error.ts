/** A field-level problem from a `request.validation` error (`details.issues`). */
export type FieldIssue = { path: string; code: string; message: string };

/** Codes the client produces itself when no server answer could be read. */
export type ClientErrorCode = 'client.network' | 'client.unexpected_response' | 'client.session_changed';

// A disabled account or suspended tenant loses its sessions on the server, so they end the session here too.
const SESSION_ENDED_CODES = new Set(['auth.unauthenticated', 'auth.session_expired', 'auth.account_disabled', 'auth.tenant_suspended']);

/** Every failed API call rejects with this: the server's `{ error: { code, message, details } }` or a client-side failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Field issues of a validation error; empty for every other error. */
  get issues(): FieldIssue[] {
    const issues = detailValue(this.details, 'issues');
    return Array.isArray(issues) ? issues.filter(isFieldIssue) : [];
  }

  /** The field a domain error points at (`details.field`), e.g. `email` for `account.email_taken`. */
  get field(): string | undefined {
    const field = detailValue(this.details, 'field');
    return typeof field === 'string' ? field : undefined;
  }

  /** A numeric detail such as `attemptsLeft` or `retryAfterSeconds`. */
  numberDetail(key: string): number | undefined {
    const value = detailValue(this.details, key);
    return typeof value === 'number' ? value : undefined;
  }

  /** The server ended (or never had) the session: the only way on is signing in again. */
  get isSessionEnded(): boolean {
    return SESSION_ENDED_CODES.has(this.code);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Reads `{ error: { code, message, details } }` from a parsed body; undefined when the body has another shape. */
export function parseErrorBody(status: number, body: unknown): ApiError | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { code, message, details } = body.error;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return new ApiError(status, code, message, details);
}

function detailValue(details: unknown, key: string): unknown {
  return isRecord(details) ? details[key] : undefined;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return isRecord(value) && typeof value.path === 'string' && typeof value.message === 'string';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
