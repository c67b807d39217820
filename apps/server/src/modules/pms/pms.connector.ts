import { resolvesInternal } from './pms.outbound.ts';
import type { DeanGuestRow, DeanStayRow } from './pms.dean.ts';

/**
 * What the sync needs of a PMS, whatever the transport (pms.md §3, trimmed to what is built): one page of changed
 * profiles or stays after a cursor, a health check, and push-back of CRM edits. The walk itself (following pages,
 * checkpointing, overlap) is the sync's, so every transport is resumed and checkpointed the same way.
 */
export type PullRequest = { since: string | null; cursor: string | null; limit: number };
export type PullPage<T> = { rows: T[]; nextCursor: string | null; hasMore: boolean; watermark: string | null };

export type HealthAnswer = { serverTime: string; hotels: Array<{ HOTEL_COD: string; HOTEL_NAM: string }>; writable: string[]; statusDialect: string; contractVersion: string };

export type PushChange = { gcustCod: string; baseUpdDat: string; set: Record<string, string | null>; idempotencyKey: string };
export type PushOutcome =
  | { status: 'applied'; updDat: string }
  | { status: 'noop' }
  | { status: 'conflict'; current: unknown }
  | { status: 'unsupported' }
  | { status: 'rejected'; code: string; message: string };

export interface PmsConnector {
  health(): Promise<HealthAnswer>;
  pullProfiles(request: PullRequest): Promise<PullPage<DeanGuestRow>>;
  pullStays(request: PullRequest): Promise<PullPage<DeanStayRow>>;
  pushBack(change: PushChange): Promise<PushOutcome>;
}

/** Contract §8's codes, plus what a client meets on the wire (a timeout, a refused connection, a body cut short). */
export type PmsErrorCode =
  | 'invalid_parameter'
  | 'unauthorized'
  | 'forbidden_hotel'
  | 'not_found'
  | 'conflict'
  | 'cursor_expired'
  | 'rate_limited'
  | 'internal'
  | 'writes_disabled'
  | 'unavailable'
  | 'timeout'
  | 'network'
  | 'bad_response'
  | 'internal_address'
  | 'response_too_large';

const RETRYABLE: ReadonlySet<PmsErrorCode> = new Set(['rate_limited', 'internal', 'unavailable', 'timeout', 'network', 'bad_response']);

export class PmsError extends Error {
  readonly code: PmsErrorCode;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  readonly details: Record<string, unknown>;
  constructor(code: PmsErrorCode, message: string, options: { status?: number | null; retryAfterMs?: number | null; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'PmsError';
    this.code = code;
    this.status = options.status ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.details = options.details ?? {};
  }
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export type HttpConnectorOptions = {
  baseUrl: string;
  apiKey: string;
  hotelCod?: string | null;
  /** Per request (contract §8: 30 s, a timeout counts as 503). */
  timeoutMs?: number;
  /** Attempts per request before the sync gives up on the run (retryable failures only). */
  attempts?: number;
  /** First backoff; doubles per attempt, capped at maxBackoffMs; a Retry-After is honoured up to the cap. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** At most this many requests per second (contract §8: 5). */
  maxRequestsPerSecond?: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Whether the PMS may be an address of Innkeeper's own network (pms.outbound.ts); off in production by default. */
  allowPrivateNetwork?: boolean;
  /** The largest answer read (a page of 1,000 profiles is about 2 MB); a larger one fails the request unread. */
  maxResponseBytes?: number;
  fetch?: typeof fetch;
};

/** 16 MB: eight times the contract's largest page, and small enough that a runaway answer cannot fill the worker. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

class TooLarge extends Error {}

/** The body as text, reading no more than `limit` bytes (a Content-Length over it is refused before reading). */
async function readBounded(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw new TooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const KNOWN_CODES = new Set<string>(['invalid_parameter', 'unauthorized', 'forbidden_hotel', 'not_found', 'conflict', 'cursor_expired', 'rate_limited', 'internal', 'writes_disabled', 'unavailable']);

function codeForStatus(status: number): PmsErrorCode {
  if (status === 400) return 'invalid_parameter';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden_hotel';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 410) return 'cursor_expired';
  if (status === 429) return 'rate_limited';
  if (status === 501) return 'writes_disabled';
  if (status === 503) return 'unavailable';
  return status >= 500 ? 'internal' : 'invalid_parameter';
}

function isPage(body: unknown): body is { data: unknown[]; page: { nextCursor: unknown; hasMore: unknown }; watermark?: unknown } {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  const page = b['page'] as Record<string, unknown> | undefined;
  return Array.isArray(b['data']) && !!page && typeof page === 'object' && typeof page['hasMore'] === 'boolean' && (page['nextCursor'] === null || typeof page['nextCursor'] === 'string');
}

/**
 * The 德安 HTTP connector (docs/pms-dean-contract.md §1–8) over real HTTP. Each call retries what the contract says is
 * retryable (429 and 5xx with backoff and Retry-After, a timeout like a 503, a body that does not parse), never
 * applies half a page, and paces itself to 5 requests a second. What it still cannot get is thrown as a PmsError.
 */
export function createDeanHttpConnector(options: HttpConnectorOptions): PmsConnector {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoffMs = options.backoffMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const interval = 1000 / (options.maxRequestsPerSecond ?? 5);
  const doFetch = options.fetch ?? fetch;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  let lastRequestAt = Number.NEGATIVE_INFINITY;

  async function pace(): Promise<void> {
    const wait = lastRequestAt + interval - options.now();
    if (wait > 0) await options.sleep(wait);
    lastRequestAt = options.now();
  }

  async function once(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    await pace();
    const h: Record<string, string> = { 'x-api-key': options.apiKey, accept: 'application/json', ...headers };
    if (options.hotelCod) h['x-hotel-cod'] = options.hotelCod;
    if (body !== undefined) h['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    if (!options.allowPrivateNetwork) {
      // Fails closed: a name that does not resolve is not called (fetch would look it up again, maybe differently).
      const internal = await resolvesInternal(base).catch((error: unknown) => {
        throw new PmsError('network', `The PMS address could not be looked up (${error instanceof Error ? error.message : 'DNS'}).`);
      });
      if (internal) throw new PmsError('internal_address', 'The PMS address points into Innkeeper\'s own network; it is not called.');
    }
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      // Redirects are refused: the key would travel to whatever host the answer names.
      response = await doFetch(`${base}${path}`, { method, headers: h, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal, redirect: 'error' });
      text = await readBounded(response, maxResponseBytes);
    } catch (error) {
      if (error instanceof TooLarge) {
        // Not retried: the same page would be as large again. Smaller pages (or a fix on the PMS side) are the way on.
        throw new PmsError('response_too_large', `The answer to ${method} ${path.split('?')[0]} is larger than ${Math.round(maxResponseBytes / 1024 / 1024)} MB; nothing of it was used.`);
      }
      if (signal.aborted) throw new PmsError('timeout', `No answer within ${timeoutMs} ms.`);
      throw new PmsError('network', error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : 'network error');
    }
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        // A body cut short (or not JSON at all): nothing of it is used.
        throw new PmsError('bad_response', `The answer to ${method} ${path.split('?')[0]} was not whole JSON (${text.length} bytes).`, { status: response.status });
      }
    }
    if (response.ok) return { status: response.status, body: parsed };
    const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    const code = typeof error?.code === 'string' && KNOWN_CODES.has(error.code) ? (error.code as PmsErrorCode) : codeForStatus(response.status);
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new PmsError(code, typeof error?.message === 'string' ? error.message.slice(0, 300) : `HTTP ${response.status}`, {
      status: response.status,
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
      details: error?.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : {},
    });
  }

  async function request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }> {
    let delay = backoffMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(method, path, body, headers);
      } catch (error) {
        if (!(error instanceof PmsError) || !error.retryable || attempt >= attempts) throw error;
        await options.sleep(Math.min(maxBackoffMs, Math.max(delay, error.retryAfterMs ?? 0)));
        delay = Math.min(maxBackoffMs, delay * 2);
      }
    }
  }

  async function pull<T>(path: '/guests' | '/stays', req: PullRequest): Promise<PullPage<T>> {
    const q = new URLSearchParams();
    if (req.since) q.set('since', req.since);
    if (req.cursor) q.set('cursor', req.cursor);
    q.set('limit', String(req.limit));
    const { body } = await request('GET', `${path}?${q}`);
    if (!isPage(body)) throw new PmsError('bad_response', `GET ${path} answered without data and page.`);
    const watermark = typeof body.watermark === 'string' ? body.watermark : null;
    return { rows: body.data as T[], nextCursor: (body.page.nextCursor as string | null) ?? null, hasMore: body.page.hasMore as boolean, watermark };
  }

  return {
    async health() {
      const { body } = await request('GET', '/health');
      const b = (body ?? {}) as Record<string, unknown>;
      if (b['status'] !== 'ok' || typeof b['serverTime'] !== 'string') throw new PmsError('bad_response', 'GET /health did not answer status ok.');
      return {
        serverTime: b['serverTime'],
        hotels: Array.isArray(b['hotels']) ? (b['hotels'] as HealthAnswer['hotels']) : [],
        writable: Array.isArray(b['writable']) ? (b['writable'] as string[]) : [],
        statusDialect: typeof b['statusDialect'] === 'string' ? b['statusDialect'] : 'CUSTOM',
        contractVersion: typeof b['contractVersion'] === 'string' ? b['contractVersion'] : '',
      };
    },
    pullProfiles: (req) => pull<DeanGuestRow>('/guests', req),
    pullStays: (req) => pull<DeanStayRow>('/stays', req),
    async pushBack(change) {
      try {
        const { body } = await request('PATCH', `/guests/${encodeURIComponent(change.gcustCod)}`, { baseUpdDat: change.baseUpdDat, set: change.set }, { 'idempotency-key': change.idempotencyKey });
        const b = (body ?? {}) as Record<string, unknown>;
        if (b['outcome'] === 'noop') return { status: 'noop' };
        return { status: 'applied', updDat: String(b['UPD_DAT'] ?? '') };
      } catch (error) {
        if (!(error instanceof PmsError)) throw error;
        if (error.code === 'writes_disabled') return { status: 'unsupported' };
        if (error.code === 'conflict') return { status: 'conflict', current: error.details['current'] ?? null };
        if (error.retryable) throw error;
        return { status: 'rejected', code: error.code, message: error.message };
      }
    },
  };
}
