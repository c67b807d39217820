import { ApiError, parseErrorBody, type ClientErrorCode } from './api-error.ts';
import { i18n } from './i18n.ts';
import { forgetIdentity, markSessionChanged, maySend, sessionChanged, untilMaySend } from './session-identity.ts';

type QueryValue = string | number | boolean | undefined | null;

export type RequestOptions = {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Set false where a 401 is an expected answer (the sign-in pages), so it does not trigger the sign-in redirect. */
  redirectOnSessionEnd?: boolean;
  /** The question whose the session is (GET /api/auth/session): the one read a tab that lost its session still sends. */
  identityProbe?: boolean;
};

type SessionEndedHandler = (error: ApiError) => void;

let csrfToken: string | undefined;
let sessionEndedHandler: SessionEndedHandler | undefined;

/** The token for the x-csrf-token header; it comes from the login response, /api/auth/pending or /api/auth/me. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
  // Cleared when the tab signs out or its session ends: whoever signs in next in it is its own.
  if (token === undefined) forgetIdentity();
}

/** The session's token as the app has it now (undefined once signed out). */
export function currentCsrfToken(): string | undefined {
  return csrfToken;
}

/** The app decides where to go when the session ends (it owns the router); returns an unsubscribe function. */
export function onSessionEnded(handler: SessionEndedHandler): () => void {
  sessionEndedHandler = handler;
  return () => {
    if (sessionEndedHandler === handler) sessionEndedHandler = undefined;
  };
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** `reads`: a GET, or a POST that only reads (api.query). */
async function request<T>(method: string, path: string, options: RequestOptions = {}, reads = method === 'GET'): Promise<T> {
  // The browser's session became another account's (session-identity.ts): nothing this tab changes may go under it.
  if (!reads) {
    if (sessionChanged()) throw clientError(0, 'client.session_changed');
    return answer<T>(await send(method, path, options), options);
  }
  // Nor may it read under it: the other account's answers would replace what this tab shows (or 403s would). A read
  // waits, unsent, until the tab is its own again (its own account signed in again; a reload ends the wait too), so
  // lists, polls and estimates keep what they show and their polling stops (a poll's next turn finds its read still
  // waiting). An answer that comes back after the tab lost its session is dropped unread and asked again later.
  for (;;) {
    await untilMaySend(options.identityProbe, options.signal);
    const response = await send(method, path, options);
    if (maySend(options.identityProbe)) return answer<T>(response, options);
    void response.body?.cancel().catch(() => undefined);
  }
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': i18n.language };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  // A form (a file upload) goes as multipart: the browser writes its content type with the boundary.
  const form = options.body instanceof FormData ? options.body : undefined;
  if (options.body !== undefined && !form) headers['content-type'] = 'application/json';

  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: form ?? JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw clientError(0, 'client.network');
  }
}

/** The response's body, or the error it carries (as every request of `api` reads it). */
async function answer<T>(response: Response, options: Pick<RequestOptions, 'redirectOnSessionEnd'> = {}): Promise<T> {
  const body = await readJson(response);
  if (response.ok) return body as T;

  const error = parseErrorBody(response.status, body) ?? clientError(response.status, 'client.unexpected_response');
  if (error.isSessionEnded && options.redirectOnSessionEnd !== false) sessionEndedHandler?.(error);
  // The token this tab holds is not the session's: the cookie is another sign-in's (another tab's, most likely).
  else if (error.code === 'auth.csrf_invalid') markSessionChanged('csrf');
  throw error;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const CLIENT_MESSAGES = { 'client.network': 'errors.network', 'client.unexpected_response': 'errors.unexpectedResponse', 'client.session_changed': 'errors.sessionChanged' } as const satisfies Record<ClientErrorCode, string>;

/** An error the client itself found (no answer, an unreadable one, a tab whose session changed), in the page's language. */
export function clientError(status: number, code: ClientErrorCode): ApiError {
  return new ApiError(status, code, i18n.t(CLIENT_MESSAGES[code]));
}

/** Each file under its field name (a field left undefined is not sent). */
function formOf(files: Record<string, File | undefined>): FormData {
  const form = new FormData();
  for (const [field, file] of Object.entries(files)) if (file) form.append(field, file, file.name);
  return form;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body: body ?? {} }),
  /** A POST that only reads (a search, a count, an estimate: a question too large for a URL): it waits as a GET does. */
  query: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }, true),
  /** POST of files as multipart/form-data (the upload routes), with the same headers, errors and session handling. */
  upload: <T>(path: string, files: Record<string, File | undefined>, options?: RequestOptions) => request<T>('POST', path, { ...options, body: formOf(files) }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
  /** A request already sent (lib/early-requests.ts), read as the others are: its body, or the error it carries. */
  read: async <T>(sent: Promise<Response>, options?: Pick<RequestOptions, 'redirectOnSessionEnd'>): Promise<T> => {
    let response: Response;
    try {
      response = await sent;
    } catch {
      throw clientError(0, 'client.network');
    }
    return answer<T>(response, options);
  },
};
