import { ERROR_CATALOG, errorMessage, pickLocale, type ApiErrorBody, type ErrorCode, type FieldIssue, type Locale } from '@innkeeper/contracts';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { FIELD_MESSAGES, type FieldMessages } from '../validation-messages.ts';
import { clearSessionCookie } from './session-cookie.ts';

const zodLocales: Record<Locale, ReturnType<typeof z.locales.en>> = { 'zh-TW': z.locales.zhTW(), en: z.locales.en() };

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'request.malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request.malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request.too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request.bad_request',
  FST_ERR_RATE_LIMITED: 'request.rate_limited',
  FST_ERR_BAD_URL: 'request.bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'request.uri_too_long',
};

export function localeOf(req: FastifyRequest): Locale {
  const ctx = (req as FastifyRequest & { _ctx?: { locale: Locale } })._ctx;
  return ctx?.locale ?? pickLocale(req.headers['accept-language']);
}

export function sendError(reply: FastifyReply, req: FastifyRequest, code: ErrorCode, details?: unknown): FastifyReply {
  const body: ApiErrorBody = { error: { code, message: errorMessage(code, localeOf(req), details), ...(details === undefined ? {} : { details }) } };
  if (code === 'auth.unauthenticated' || code === 'auth.session_expired') clearSessionCookie(reply);
  return reply.code(ERROR_CATALOG[code].status).type('application/json').send(body);
}

/**
 * One error shape for every failure. Known errors keep their code; anything unexpected is logged with the request id
 * and answered as `internal` with no stack trace or SQL text.
 */
export function registerErrorHandling(app: FastifyInstance, moduleMessages: FieldMessages = {}): void {
  const fieldMessages: FieldMessages = { ...FIELD_MESSAGES, ...moduleMessages };
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof AppError) {
      if (error.code === 'request.validation') return sendError(reply, req, error.code, localizeDetails(fieldMessages, error.details, localeOf(req)));
      return sendError(reply, req, error.code, error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const locale = localeOf(req);
      const issues: FieldIssue[] = error.validation.map((v) => ({
        path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        code: v.keyword,
        message: localizeIssue(fieldMessages, v.keyword, v.message ?? '', v.params, locale),
      }));
      return sendError(reply, req, 'request.validation', { in: error.validationContext, issues });
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return sendError(reply, req, mapped);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      req.log.info({ err: error }, 'client error');
      return sendError(reply, req, error.statusCode === 404 ? 'route.not_found' : 'request.bad_request');
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendError(reply, req, 'internal');
  });
}

/** A service's field errors (see fieldErrors) carry message keys; they are shown like a schema's. */
function localizeDetails(fieldMessages: FieldMessages, details: unknown, locale: Locale): unknown {
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return details;
  return { ...(details as object), issues: issues.map((issue: FieldIssue) => ({ ...issue, message: fieldMessages[issue.message]?.[locale] ?? issue.message })) };
}

/** Schema-level custom messages are keys into FIELD_MESSAGES; everything else gets zod's own message in the caller's language. */
function localizeIssue(fieldMessages: FieldMessages, code: string, message: string, params: Record<string, unknown>, locale: Locale): string {
  const custom = fieldMessages[message];
  if (custom) return custom[locale];
  const localized = zodLocales[locale].localeError({ code, ...params } as never);
  if (typeof localized === 'string') return localized;
  return localized?.message ?? message;
}

/**
 * Errors Fastify raises before routing (a malformed percent-encoding, an over-long path parameter): answered in
 * our shape rather than Fastify's. Passed as the `frameworkErrors` option.
 */
export function frameworkErrors(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  sendError(reply, req, (error.code ? FASTIFY_CODES[error.code] : undefined) ?? 'request.bad_request');
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a URL or headers over 16 KB, a timeout, garbage):
 * answered in our shape on the raw socket. The headers were not read, so the message is in the default language.
 * Passed as the `clientErrorHandler` option.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode = error.code === 'HPE_HEADER_OVERFLOW' ? 'request.headers_too_large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'request.timeout' : 'request.bad_request';
  const { status } = ERROR_CATALOG[code];
  const body = JSON.stringify({ error: { code, message: errorMessage(code, 'zh-TW') } } satisfies ApiErrorBody);
  this.log.debug({ err: error }, 'client error before routing');
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };
