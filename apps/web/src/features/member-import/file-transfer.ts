import { clientError } from '../../lib/api-client.ts';
import { parseErrorBody, type ApiError } from '../../lib/api-error.ts';
import { i18n } from '../../lib/i18n.ts';
import { maySend } from '../../lib/session-identity.ts';

/**
 * File uploads and downloads, which the JSON api client does not do: the same headers (CSRF token, language) and the
 * same ApiError on failure, but multipart bodies in and binary bodies out.
 */

type Options = { csrfToken: string; signal?: AbortSignal | undefined };

function headers(csrfToken: string, method: string): Record<string, string> {
  return { 'accept-language': i18n.language, ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }) };
}

const networkError = () => clientError(0, 'client.network');
/** The browser's session became another account's (lib/session-identity.ts): no file goes or comes under it. */
const sessionChangedError = () => clientError(0, 'client.session_changed');

function errorOf(status: number, text: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = undefined;
  }
  return parseErrorBody(status, body) ?? clientError(status, 'client.unexpected_response');
}

/** The file name from Content-Disposition, preferring the UTF-8 form (會員名單.xlsx) over the ASCII fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const utf8 = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (utf8) {
    try {
      return decodeURIComponent(utf8.trim());
    } catch {
      // Fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1];
  return plain?.trim() || fallback;
}

export type DownloadedFile = { blob: Blob; fileName: string };

/** Calls an endpoint that answers with a file (JSON body in, attachment out). */
export async function fetchFile(method: 'GET' | 'POST', path: string, body: unknown, options: Options & { fallbackName: string }): Promise<DownloadedFile> {
  if (!maySend()) throw sessionChangedError();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { ...headers(options.csrfToken, method), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw networkError();
  }
  // The tab lost its session while the file came: what came may be the other account's.
  if (!maySend()) throw sessionChangedError();
  if (!response.ok) throw errorOf(response.status, await response.text());
  return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('content-disposition'), options.fallbackName) };
}

/** Uploads one file as multipart field "file", reporting progress (0–100); resolves with the JSON answer. */
export function uploadFile<T>(path: string, file: File, options: Options & { onProgress?: (percent: number) => void }): Promise<T> {
  if (!maySend()) return Promise.reject(sessionChangedError());
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.withCredentials = true;
    request.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(headers(options.csrfToken, 'POST'))) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(Math.round((event.loaded * 100) / event.total));
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        try {
          resolve(JSON.parse(request.responseText) as T);
        } catch {
          reject(clientError(request.status, 'client.unexpected_response'));
        }
      } else {
        reject(errorOf(request.status, request.responseText));
      }
    };
    request.onerror = () => reject(networkError());
    request.onabort = () => reject(new DOMException('Upload aborted', 'AbortError'));
    options.signal?.addEventListener('abort', () => request.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

/** Hands a downloaded file to the browser. */
export function saveFile({ blob, fileName }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
