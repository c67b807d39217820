import type { Locale, Permission } from '@innkeeper/contracts';
import type { ErrorCode } from '@innkeeper/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { runAfterCommit } from '../after-commit.ts';
import { propertyScope, type RequestContext } from '../context.ts';
import type { Database, Tx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { TenantId } from '../ids.ts';
import { CSRF_HEADER, readSessionCookie } from './session-cookie.ts';

/**
 * Who may call a route. Every route must say: 'public'; 'session' for any signed-in account (its own profile);
 * 'second_factor' for a password-verified session still finishing sign-in; or the permission it needs.
 */
export type Access = 'public' | 'session' | 'second_factor' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * Check the session, CSRF token and permission before the body is read (uploads): otherwise a stranger with any
     * cookie could make the server buffer a 20 MB file before being refused. Costs one more short transaction.
     */
    authenticateBeforeBody?: boolean;
  }
  interface FastifyRequest {
    /** Set for every non-public route before its handler runs. */
    ctx: RequestContext;
    /**
     * For a public route that answers a signed-in browser more (the session probe): runs `handler` in the tenant's
     * transaction with the context of this browser's active session, if it has one. Never refuses; a missing, ended or
     * half-finished session is reported as its stage.
     */
    withActiveSession<T>(handler: (ctx: RequestContext) => Promise<T>): Promise<SessionProbe<T>>;
  }
}

/** What `req.withActiveSession` found: no session (or one that ended), a sign-in still at its second step, or the handler's value. */
export type SessionProbe<T> = { stage: 'none' } | { stage: 'second_factor' } | { stage: 'active'; value: T };

export type AuthenticatedSession = {
  sessionId: string;
  accountId: string;
  email: string;
  stage: 'second_factor' | 'active';
  csrfToken: string;
  permissions: ReadonlySet<Permission>;
  propertyIds: readonly string[] | 'all';
  locale: Locale;
  timezone: string;
};

/** Looks the session up inside the tenant's transaction; supplied by the auth module. */
export type Authenticator = (tx: Tx, input: { tenantId: TenantId; secret: string }) => Promise<AuthenticatedSession | { error: ErrorCode }>;

type Outcome = { kind: 'ok'; value: unknown } | { kind: 'refused'; code: ErrorCode } | { kind: 'failed'; error: AppError };

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Wraps every non-public handler so that it runs inside one transaction scoped to the caller's tenant, after the
 * session, the CSRF token and the permission have been checked. Handlers therefore cannot forget the tenant.
 * Handlers return their result (never `reply.send` it), so nothing is answered before the transaction commits.
 */
export function registerAccessControl(app: FastifyInstance, deps: { db: Database; authenticate: Authenticator }): void {
  app.decorateRequest('ctx', {
    getter(this: FastifyRequest & { _ctx?: RequestContext }) {
      if (!this._ctx) throw new Error(`No request context on ${this.method} ${this.url}: the route is public`);
      return this._ctx;
    },
    setter(this: FastifyRequest & { _ctx?: RequestContext }, value: RequestContext) {
      this._ctx = value;
    },
  });

  app.decorateRequest('withActiveSession', async function withActiveSession<T>(this: FastifyRequest, handler: (ctx: RequestContext) => Promise<T>): Promise<SessionProbe<T>> {
    const cookie = readSessionCookie(this);
    if (!cookie) return { stage: 'none' };
    const afterCommit: Array<() => Promise<void>> = [];
    const probe = await deps.db.withTenant(cookie.tenantId, async (tx): Promise<SessionProbe<T>> => {
      const session = await deps.authenticate(tx, cookie);
      if ('error' in session) return { stage: 'none' };
      if (session.stage !== 'active') return { stage: 'second_factor' };
      return { stage: 'active', value: await handler(requestContext(this, tx, cookie.tenantId, session, afterCommit)) };
    });
    await runAfterCommit(afterCommit, (error) => this.log.error({ err: error }, 'after-commit task failed'));
    return probe;
  });

  app.addHook('onRoute', (route) => {
    const access = route.config?.access ?? (isPluginRoute(route.url) ? 'public' : undefined);
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} must declare config.access`);
    if (access === 'public') return;
    const checkFirst = route.config?.authenticateBeforeBody === true;
    // Without a session cookie there is nothing to check: refuse before the body is even parsed.
    route.onRequest = [...toArray(route.onRequest), async (req: FastifyRequest) => {
      const cookie = readSessionCookie(req);
      if (!cookie) throw new AppError('auth.unauthenticated');
      if (!checkFirst) return;
      const outcome = await deps.db.withTenant(cookie.tenantId, async (tx) => checkSession(tx, req, cookie, access, deps.authenticate));
      if ('code' in outcome) throw new AppError(outcome.code);
    }];
    route.handler = wrapHandler(route.handler as RouteHandlerMethod, access, deps);
  });
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Routes that plugins register (API docs, the web app's files) carry no data and are public. */
function isPluginRoute(url: string): boolean {
  return !url.startsWith('/api/') || url.startsWith('/api/docs');
}

function wrapHandler(handler: RouteHandlerMethod, access: Exclude<Access, 'public'>, deps: { db: Database; authenticate: Authenticator }): RouteHandlerMethod {
  return async function tenantScopedHandler(this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
    const cookie = readSessionCookie(req);
    if (!cookie) throw new AppError('auth.unauthenticated');
    const afterCommit: Array<() => Promise<void>> = [];
    const outcome = await deps.db.withTenant(cookie.tenantId, async (tx): Promise<Outcome> => {
      const checked = await checkSession(tx, req, cookie, access, deps.authenticate);
      if ('code' in checked) return { kind: 'refused', code: checked.code };
      req.ctx = requestContext(req, tx, cookie.tenantId, checked.session, afterCommit);
      try {
        return { kind: 'ok', value: await handler.call(this, req, reply) };
      } catch (error) {
        if (error instanceof AppError && error.keepChanges) return { kind: 'failed', error };
        throw error;
      }
    });
    if (outcome.kind === 'refused') throw new AppError(outcome.code);
    if (outcome.kind === 'failed') throw outcome.error;
    // A coded failure (e.g. mail could not be sent) still reaches the caller; anything else is logged.
    await runAfterCommit(afterCommit, (error) => req.log.error({ err: error }, 'after-commit task failed'));
    return outcome.value;
  };
}

function requestContext(req: FastifyRequest, tx: Tx, tenantId: TenantId, session: AuthenticatedSession, afterCommit: Array<() => Promise<void>>): RequestContext {
  return {
    kind: 'request',
    tenantId,
    db: tx,
    actor: { kind: 'account', accountId: session.accountId, email: session.email },
    accountId: session.accountId,
    sessionId: session.sessionId,
    csrfToken: session.csrfToken,
    permissions: session.permissions,
    propertyScope: propertyScope(session.propertyIds),
    locale: session.locale,
    timezone: session.timezone,
    ip: req.ip,
    requestId: String(req.id),
    afterCommit: (task) => afterCommit.push(task),
  };
}

/**
 * The session, its stage, the CSRF token and the permission. A refusal is returned, not thrown: an expired session
 * is deleted and that deletion must commit. A missing permission throws (nothing to keep).
 */
async function checkSession(
  tx: Tx,
  req: FastifyRequest,
  cookie: { tenantId: TenantId; secret: string },
  access: Exclude<Access, 'public'>,
  authenticate: Authenticator,
): Promise<{ session: AuthenticatedSession } | { code: ErrorCode }> {
  const session = await authenticate(tx, cookie);
  if ('error' in session) return { code: session.error };
  if (access === 'second_factor' ? session.stage !== 'second_factor' : session.stage !== 'active') {
    return { code: session.stage === 'second_factor' ? 'auth.second_factor_required' : 'auth.already_signed_in' };
  }
  if (UNSAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== session.csrfToken) return { code: 'auth.csrf_invalid' };
  if (access !== 'session' && access !== 'second_factor' && !session.permissions.has(access)) {
    throw new AppError('auth.forbidden', { permission: access });
  }
  return { session };
}

