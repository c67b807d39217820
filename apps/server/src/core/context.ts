import type { Locale, Permission } from '@innkeeper/contracts';
import type { Tx } from './db/database.ts';
import { AppError } from './errors.ts';
import type { TenantId } from './ids.ts';

/** Who did something: a signed-in staff account, or the system itself (a job, a webhook, a sync). */
export type Actor = { kind: 'account'; accountId: string; email: string } | { kind: 'system'; name: string };

/**
 * What every service call receives first: the tenant, the transaction already scoped to it, and who is acting.
 * Code below a service cannot reach another tenant's rows: the transaction runs under row-level security.
 */
export type TenantContext = {
  tenantId: TenantId;
  db: Tx;
  actor: Actor;
  ip: string;
  requestId: string;
  /** Work to do only once the transaction has committed (e.g. sending a mail). */
  afterCommit(task: () => Promise<void>): void;
};

export type RequestContext = TenantContext & {
  actor: Extract<Actor, { kind: 'account' }>;
  accountId: string;
  sessionId: string;
  /** Echoed to the web app, which sends it back in the x-csrf-token header on every change. */
  csrfToken: string;
  permissions: ReadonlySet<Permission>;
  /** Properties this account may work with, or 'all'. */
  propertyIds: readonly string[] | 'all';
  locale: Locale;
  timezone: string;
};

/** A staff request's context (an account with permissions and properties), as opposed to system work. */
export function isRequestContext(ctx: TenantContext): ctx is RequestContext {
  return 'permissions' in ctx;
}

export function can(ctx: RequestContext, permission: Permission): boolean {
  return ctx.permissions.has(permission);
}

export function assertCan(ctx: RequestContext, permission: Permission): void {
  if (!can(ctx, permission)) throw new AppError('auth.forbidden', { permission });
}
