import type { FastifyReply, FastifyRequest } from 'fastify';
import { asTenantId, type TenantId } from '../ids.ts';

export const SESSION_COOKIE = 'ik_session';
export const CSRF_HEADER = 'x-csrf-token';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cookie holds `<tenant id>.<secret>`: the tenant picks the row-level-security scope before the session is read. */
export function readSessionCookie(req: FastifyRequest): { tenantId: TenantId; secret: string } | undefined {
  const value = req.cookies[SESSION_COOKIE];
  if (!value) return undefined;
  const dot = value.indexOf('.');
  const tenantId = value.slice(0, dot);
  const secret = value.slice(dot + 1);
  if (dot < 0 || !UUID.test(tenantId) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { tenantId: asTenantId(tenantId), secret };
}

export function writeSessionCookie(reply: FastifyReply, tenantId: string, secret: string, options: { secure: boolean; maxAgeSeconds: number }): void {
  reply.setCookie(SESSION_COOKIE, `${tenantId}.${secret}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    maxAge: options.maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
