import type { Locale, Permission } from '@innkeeper/contracts';
import type { Tx } from './db/database.ts';
import { AppError } from './errors.ts';
import type { TenantId } from './ids.ts';

/** Who did something: a signed-in staff account, or the system itself (a job, a webhook, a sync). */
export type Actor = { kind: 'account'; accountId: string; email: string } | { kind: 'system'; name: string };

/**
 * Which of the tenant's properties the work may see: all of them (group-level accounts and system work), or the
 * listed ones (an account limited to some properties). Stated on every context, never inferred from its shape.
 */
export type PropertyScope = { kind: 'all' } | { kind: 'properties'; ids: readonly string[] };

export const ALL_PROPERTIES: PropertyScope = Object.freeze({ kind: 'all' });

/** An account's properties as its grants store them (`'all'` or a list), as a scope. */
export function propertyScope(propertyIds: readonly string[] | 'all'): PropertyScope {
  return propertyIds === 'all' ? ALL_PROPERTIES : { kind: 'properties', ids: propertyIds };
}

/**
 * What every service call receives first: the tenant, the transaction already scoped to it, and who is acting.
 * Code below a service cannot reach another tenant's rows: the transaction runs under row-level security.
 */
export type TenantContext = {
  /** A staff request (signed in, with permissions: RequestContext) or system work (systemContext). */
  kind: 'request' | 'system';
  tenantId: TenantId;
  db: Tx;
  actor: Actor;
  /** The properties this work may see (decision 0006): a request's are its account's; system work says 'all'. */
  propertyScope: PropertyScope;
  ip: string;
  requestId: string;
  /** Work to do only once the transaction has committed (e.g. sending a mail). */
  afterCommit(task: () => Promise<void>): void;
};

export type RequestContext = TenantContext & {
  kind: 'request';
  actor: Extract<Actor, { kind: 'account' }>;
  accountId: string;
  sessionId: string;
  /** Echoed to the web app, which sends it back in the x-csrf-token header on every change. */
  csrfToken: string;
  permissions: ReadonlySet<Permission>;
  locale: Locale;
  timezone: string;
};

/**
 * The one way to make a context for system work (a job, a webhook batch, a LIFF call, a sign-in step): the actor is
 * the system under `name`, the scope is every property, and `afterCommit` tasks are dropped unless the caller collects
 * them (pass its collector when the work queues mail or pushes after commit).
 */
export function systemContext(
  tx: Tx,
  tenantId: TenantId,
  name: string,
  options: { requestId?: string; ip?: string; afterCommit?: TenantContext['afterCommit'] } = {},
): TenantContext {
  return {
    kind: 'system',
    tenantId,
    db: tx,
    actor: { kind: 'system', name },
    propertyScope: ALL_PROPERTIES,
    ip: options.ip ?? '',
    requestId: options.requestId ?? name,
    afterCommit: options.afterCommit ?? (() => undefined),
  };
}

/** A staff request's context (an account with permissions and properties), as opposed to system work. */
export function isRequestContext(ctx: TenantContext): ctx is RequestContext {
  return ctx.kind === 'request';
}

export function can(ctx: RequestContext, permission: Permission): boolean {
  return ctx.permissions.has(permission);
}

export function assertCan(ctx: RequestContext, permission: Permission): void {
  if (!can(ctx, permission)) throw new AppError('auth.forbidden', { permission });
}
