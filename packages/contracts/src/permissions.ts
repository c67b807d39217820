/**
 * Permissions a role can grant. The server checks them on every route; the web app hides what an account cannot do.
 * `platform.tenants` exists only in the platform tenant (the SaaS operator) and cannot be granted to a hotel role.
 */
export const TENANT_PERMISSIONS = [
  'members.read',
  'members.edit',
  'tags.edit',
  'personal_data.unmasked',
  'campaigns.edit',
  'campaigns.push',
  'reports.download',
  'settings.manage',
  'accounts.manage',
  'audit.read',
  'pms.view',
  'pms.manage',
] as const;

export const PLATFORM_PERMISSIONS = ['platform.tenants'] as const;

export type TenantPermission = (typeof TENANT_PERMISSIONS)[number];
export type PlatformPermission = (typeof PLATFORM_PERMISSIONS)[number];
export type Permission = TenantPermission | PlatformPermission;

export const BUILTIN_ROLE_KEYS = ['customer_service', 'marketing', 'management', 'administrator'] as const;
export type BuiltinRoleKey = (typeof BUILTIN_ROLE_KEYS)[number] | 'operator';

/** The built-in roles whose holders are a tenant's administrators (管理員; 平台營運 in the platform tenant). */
export const ADMINISTRATOR_ROLE_KEYS: readonly BuiltinRoleKey[] = ['administrator', 'operator'];

/** Whether a role makes its holders administrators: only they assign it or change its holders (server and screens). */
export function isAdministratorRole(role: { builtinKey: string | null }): boolean {
  return role.builtinKey !== null && (ADMINISTRATOR_ROLE_KEYS as readonly string[]).includes(role.builtinKey);
}

/** The four roles every hotel tenant starts with (客服 / 行銷 / 管理層 / 管理員). Built-in roles cannot be edited or deleted. */
export const BUILTIN_ROLES: Record<(typeof BUILTIN_ROLE_KEYS)[number], { name: string; permissions: readonly TenantPermission[] }> = {
  customer_service: { name: '客服', permissions: ['members.read', 'members.edit', 'tags.edit'] },
  marketing: { name: '行銷', permissions: ['members.read', 'tags.edit', 'campaigns.edit', 'campaigns.push', 'reports.download'] },
  management: { name: '管理層', permissions: ['members.read', 'reports.download', 'audit.read'] },
  administrator: { name: '管理員', permissions: TENANT_PERMISSIONS },
};

/** The platform tenant's role: manage hotel tenants, its own operator accounts and read its own audit log. */
export const OPERATOR_ROLE: { name: string; permissions: readonly Permission[] } = {
  name: '平台營運',
  permissions: ['platform.tenants', 'accounts.manage', 'audit.read'],
};

export function isTenantPermission(value: string): value is TenantPermission {
  return (TENANT_PERMISSIONS as readonly string[]).includes(value);
}
