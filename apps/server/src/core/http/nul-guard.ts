import type { FastifyInstance } from 'fastify';
import { containsNul } from '../validation.ts';
import { FIELD_MESSAGES } from '../validation-messages.ts';
import { localeOf, sendError } from './error-handler.ts';

type Part = 'params' | 'querystring' | 'body';

/**
 * Refuses a NUL character (U+0000) anywhere in the path parameters, the query or a JSON body, names included, with a
 * 400 and the field it is in. PostgreSQL text and jsonb cannot hold it, so every module's strings would otherwise
 * reach the database and fail there as a 500; one check at the edge covers every route, present and future.
 * Raw bodies (the LINE webhook, uploads) are Buffers and are not looked into here.
 */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req, reply) => {
    const parts: Array<[Part, unknown]> = [['params', req.params], ['querystring', req.query], ['body', req.body]];
    for (const [part, value] of parts) {
      const path = pathOfNul(value);
      if (path === undefined) continue;
      const message = FIELD_MESSAGES['field.no_nul']![localeOf(req)];
      return sendError(reply, req, 'request.validation', { in: part, issues: [{ path, code: 'invalid_string', message }] });
    }
    return undefined;
  });
}

/** The dotted path of the first string (value or key) holding a NUL; iterative, since a JSON body may nest deeply. */
function pathOfNul(root: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[root, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (containsNul(value)) return path;
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push([item, join(path, String(index))]));
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (containsNul(key)) return join(path, key.replaceAll('\u0000', '\\0'));
        stack.push([item, join(path, key)]);
      }
    }
  }
  return undefined;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
