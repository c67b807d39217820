import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The process logger. Logs leave the database's protection (files, log services, support tickets), so nothing personal
 * goes in: a failed query is logged with its SQL text but never its parameters or the row PostgreSQL quotes back, and
 * a request is logged by its path with query values dropped (set-password tokens, searched mobiles).
 */
export function createLogger(options: { level: string; destination?: DestinationStream; pretty?: boolean }): Logger {
  const config = { level: options.level, serializers: { err: serializeError, req: serializeRequest } };
  if (options.destination) return pino(config, options.destination);
  return pino({ ...config, ...(options.pretty ? { transport: { target: 'pino-pretty' } } : {}) });
}

/** Error fields that describe the failure without quoting data; PostgreSQL's `detail` ("Key (mobile)=(…)") is not one. */
const SAFE_FIELDS = ['code', 'statusCode', 'severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine', 'validationContext'] as const;

function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: typeof error === 'string' ? redactMessage(error) : '[not an Error]' };
  const message = safeErrorMessage(error);
  const out: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message,
    stack: error.stack ? error.stack.replace(error.message, message) : undefined,
  };
  const fields = error as unknown as Record<string, unknown>;
  for (const key of SAFE_FIELDS) if (fields[key] !== undefined && typeof fields[key] !== 'object') out[key] = fields[key];
  // Drizzle's DrizzleQueryError: the statement text has placeholders only; its params are left out.
  if (typeof fields.query === 'string') out.query = fields.query;
  if (error.cause !== undefined && depth < 3) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/** An error's message without the values it quotes; also what the job queue stores as a failed job's output. */
export function safeErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return redactMessage(String(error));
  const query = (error as { query?: unknown }).query;
  if (typeof query === 'string' && 'params' in error) return `Failed query: ${query}`;
  return redactMessage(error.message);
}

/** PostgreSQL quotes the offending value in messages such as `invalid input syntax for type uuid: "…"`. */
function redactMessage(message: string): string {
  return message.replace(/\nparams: [\s\S]*$/, '').replace(/: "[^"]*"/g, ': "[redacted]"');
}

type LoggedRequest = { method: string; url: string; host?: string; hostname?: string; ip?: string; socket?: { remotePort?: number } };

function serializeRequest(req: LoggedRequest) {
  return { method: req.method, url: redactUrl(req.url), host: req.host ?? req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

/** `/set-password?token=abc&x=1` → `/set-password?token=…&x=…`: which parameters were sent, never their values. */
function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    // A name that is not a plain identifier may itself be data (`?0912345678`).
    .map((pair) => `${/^[A-Za-z_][\w.[\]-]{0,39}$/.test(pair.split('=')[0]!) ? pair.split('=')[0] : '…'}=…`);
  return `${url.slice(0, q)}?${names.join('&')}`;
}
