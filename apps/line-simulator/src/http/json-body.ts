import type { FastifyInstance } from 'fastify';
import { LineError, lineError } from './errors.ts';

// The SDK posts `Content-Type: application/json` with no body for calls such as linkRichMenuIdToUser,
// and LINE reports unparseable JSON with a line/column message, so Fastify's default parser won't do.
export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      const { line, column } = locate(text, err);
      done(lineError(400, `The request body could not be parsed as JSON (line: ${line}, column: ${column})`), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });
  // Rich menu images arrive as raw bytes.
  app.addContentTypeParser(/^image\//, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

function locate(text: string, err: unknown): { line: number; column: number } {
  const msg = err instanceof Error ? err.message : '';
  const lc = /line (\d+) column (\d+)/.exec(msg);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(msg);
  const p = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, p).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

export function isLineError(err: unknown): err is LineError {
  return err instanceof LineError;
}
