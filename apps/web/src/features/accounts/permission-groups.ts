import { TENANT_PERMISSIONS, type TenantPermission } from '@innkeeper/contracts';

export type PermissionGroupKey = 'members' | 'campaigns' | 'reports' | 'administration' | 'other';

const GROUPS: ReadonlyArray<{ key: Exclude<PermissionGroupKey, 'other'>; permissions: readonly TenantPermission[] }> = [
  { key: 'members', permissions: ['members.read', 'members.edit', 'tags.edit', 'personal_data.unmasked'] },
  { key: 'campaigns', permissions: ['campaigns.edit', 'campaigns.push'] },
  { key: 'reports', permissions: ['reports.download'] },
  { key: 'administration', permissions: ['settings.manage', 'accounts.manage', 'audit.read', 'pms.view', 'pms.manage'] },
];

/** Permissions a hotel role can grant, grouped by the work they belong to; anything new lands in "other". */
export function permissionGroups(): Array<{ key: PermissionGroupKey; permissions: TenantPermission[] }> {
  const grouped = new Set<TenantPermission>(GROUPS.flatMap((group) => group.permissions));
  const other = TENANT_PERMISSIONS.filter((permission) => !grouped.has(permission));
  return [...GROUPS.map((group) => ({ key: group.key, permissions: [...group.permissions] })), ...(other.length > 0 ? [{ key: 'other' as const, permissions: other }] : [])];
}
