import { ALL_PROPERTIES, type Actor, type RequestContext, type TenantContext } from '../../core/context.ts';
import { enterPlatformScope, enterTenantScope, type Tx } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import { asTenantId } from '../../core/ids.ts';
import { createBuiltinRoles, createFirstAdministrator, storePasswordHash, type InviteAccount } from '../accounts/index.ts';
import { recordAudit } from '../audit/index.ts';
import { hashPassword } from '../auth/index.ts';
import {
  createProperty,
  createTenantInPlatformScope,
  listTenantsInPlatformScope,
  setTenantStatusInPlatformScope,
  type PropertyRow,
  type TenantRow,
} from '../tenants/index.ts';

export type ProvisionTenantInput = {
  kind: 'hotel' | 'platform';
  name: string;
  slug: string;
  timezone?: string | undefined;
  properties: Array<{ code: string; name: string }>;
  /** Without a password the administrator is emailed an invitation link. */
  administrator: { email: string; displayName: string; password?: string };
};

type Origin = { actor: Actor; ip: string; requestId: string; afterCommit: TenantContext['afterCommit'] };

/**
 * Creates a tenant with its built-in roles, properties and first administrator in one transaction. The transaction
 * moves between scopes: the tenant directory (platform scope), then the new tenant's own rows (its tenant scope).
 * It is left in the new tenant's scope.
 */
export async function provisionTenant(
  tx: Tx,
  input: ProvisionTenantInput,
  origin: Origin & { invite: InviteAccount; now: Date },
): Promise<{ tenant: TenantRow; properties: PropertyRow[]; administratorId: string }> {
  await enterPlatformScope(tx);
  const tenant = await createTenantInPlatformScope(tx, { kind: input.kind, name: input.name, slug: input.slug, timezone: input.timezone });
  const tenantId = asTenantId(tenant.id);
  await enterTenantScope(tx, tenantId);
  // A new tenant's set-up works on every property it creates.
  const ctx: TenantContext = { kind: 'system', tenantId, db: tx, propertyScope: ALL_PROPERTIES, ...origin };
  const roles = await createBuiltinRoles(ctx, input.kind);
  const properties: PropertyRow[] = [];
  for (const property of input.properties) properties.push(await createProperty(ctx, property));
  const adminRole = roles.get(input.kind === 'platform' ? 'operator' : 'administrator');
  if (!adminRole) throw new Error('built-in administrator role missing');
  const { password } = input.administrator;
  const noInvitation: InviteAccount = async () => undefined;
  const administrator = await createFirstAdministrator(ctx, {
    email: input.administrator.email,
    displayName: input.administrator.displayName,
    roleId: adminRole.id,
    invite: password ? noInvitation : origin.invite,
  });
  if (password) await storePasswordHash(ctx, administrator.id, await hashPassword(password), origin.now);
  await recordAudit(ctx, { action: 'tenant.provisioned', targetType: 'tenant', targetId: tenant.id, details: { name: tenant.name, slug: tenant.slug } });
  return { tenant, properties, administratorId: administrator.id };
}

/** The operator's view: every tenant. Runs in the platform scope, then returns to the operator's own scope. */
export async function listTenants(ctx: RequestContext): Promise<TenantRow[]> {
  await enterPlatformScope(ctx.db);
  try {
    return await listTenantsInPlatformScope(ctx.db);
  } finally {
    await enterTenantScope(ctx.db, ctx.tenantId);
  }
}

export async function provisionTenantAsOperator(ctx: RequestContext, input: Omit<ProvisionTenantInput, 'kind'>, invite: InviteAccount, now: Date): Promise<TenantRow> {
  const { tenant } = await provisionTenant(ctx.db, { ...input, kind: 'hotel' }, { actor: ctx.actor, ip: ctx.ip, requestId: ctx.requestId, afterCommit: ctx.afterCommit, invite, now });
  await enterTenantScope(ctx.db, ctx.tenantId);
  await recordAudit(ctx, { action: 'platform.tenant_created', targetType: 'tenant', targetId: tenant.id, details: { name: tenant.name, slug: tenant.slug, administrator: input.administrator.email } });
  return tenant;
}

export async function setTenantStatus(ctx: RequestContext, tenantId: string, status: TenantRow['status']): Promise<TenantRow> {
  if (tenantId === ctx.tenantId) throw new AppError('tenant.platform_locked');
  await enterPlatformScope(ctx.db);
  const tenant = await setTenantStatusInPlatformScope(ctx.db, tenantId, status).finally(() => enterTenantScope(ctx.db, ctx.tenantId));
  await recordAudit(ctx, { action: status === 'suspended' ? 'platform.tenant_suspended' : 'platform.tenant_reactivated', targetType: 'tenant', targetId: tenantId });
  return tenant;
}
