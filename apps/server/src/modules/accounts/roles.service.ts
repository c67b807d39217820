import { BUILTIN_ROLE_KEYS, BUILTIN_ROLES, OPERATOR_ROLE, type BuiltinRoleKey, type TenantPermission } from '@innkeeper/contracts';
import type { RequestContext, TenantContext } from '../../core/context.ts';
import type { Tx } from '../../core/db/database.ts';
import { writeUniqueName } from '../../core/db/rename.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { getCurrentTenant } from '../tenants/index.ts';
import * as repo from './accounts.repository.ts';
import type { RoleRow } from './accounts.repository.ts';
import { actingManager, assertMayChangeHoldersOf, assertMayEditRole } from './grants.ts';

export type RoleInput = { name: string; description?: string | undefined; permissions: TenantPermission[] };

export async function listRoles(ctx: TenantContext) {
  const rows = await repo.findRoles(ctx.db, ctx.tenantId);
  return rows.map(({ role, accountCount }) => ({ ...toRoleDto(role), accountCount }));
}

/** The platform tenant has only its operator role: hotel permissions mean nothing there. */
async function assertHotelTenant(ctx: TenantContext): Promise<void> {
  if ((await getCurrentTenant(ctx)).kind === 'platform') throw new AppError('role.platform_fixed');
}

export async function createRole(ctx: RequestContext, input: RoleInput) {
  await assertHotelTenant(ctx);
  assertMayEditRole(await actingManager(ctx), undefined, input.permissions);
  const role = await withNameCheck(ctx, (tx) =>
    repo.insertRole(tx, { tenantId: ctx.tenantId, id: newId(), name: input.name, description: input.description ?? '', permissions: unique(input.permissions) }),
  );
  await recordAudit(ctx, { action: 'role.created', targetType: 'role', targetId: role.id, details: { name: role.name, permissions: role.permissions } });
  return toRoleDto(role);
}

export async function updateRole(ctx: RequestContext, id: string, input: Partial<RoleInput>) {
  await assertHotelTenant(ctx);
  const manager = await actingManager(ctx);
  const before = await requireEditableRole(ctx, id);
  assertMayEditRole(manager, before, input.permissions);
  if (input.permissions && !samePermissions(before.permissions, input.permissions)) await assertMayChangeHoldersOf(ctx, manager, id);
  const patch = { ...input, ...(input.permissions ? { permissions: unique(input.permissions) } : {}) };
  const after = await withNameCheck(ctx, (tx) => repo.updateRole(tx, ctx.tenantId, id, patch));
  if (!after) throw new AppError('role.not_found');
  await recordAudit(ctx, {
    action: 'role.updated',
    targetType: 'role',
    targetId: id,
    details: { before: { name: before.name, permissions: before.permissions }, after: { name: after.name, permissions: after.permissions } },
  });
  return toRoleDto(after);
}

export async function deleteRole(ctx: RequestContext, id: string): Promise<void> {
  const manager = await actingManager(ctx);
  const role = await requireEditableRole(ctx, id);
  assertMayEditRole(manager, role, undefined);
  if ((await repo.countAccountsWithRole(ctx.db, ctx.tenantId, id)) > 0) throw new AppError('role.in_use');
  await repo.deleteRole(ctx.db, ctx.tenantId, id);
  await recordAudit(ctx, { action: 'role.deleted', targetType: 'role', targetId: id, details: { name: role.name } });
}

/** Creates the built-in roles of a new tenant (the platform tenant gets only the operator role). */
export async function createBuiltinRoles(ctx: TenantContext, kind: 'hotel' | 'platform'): Promise<Map<BuiltinRoleKey, RoleRow>> {
  const created = new Map<BuiltinRoleKey, RoleRow>();
  const definitions: Array<[BuiltinRoleKey, { name: string; permissions: readonly string[] }]> =
    kind === 'platform' ? [['operator', OPERATOR_ROLE]] : BUILTIN_ROLE_KEYS.map((key) => [key, BUILTIN_ROLES[key]]);
  for (const [key, definition] of definitions) {
    created.set(key, await repo.insertRole(ctx.db, { tenantId: ctx.tenantId, id: newId(), builtinKey: key, name: definition.name, permissions: [...definition.permissions] }));
  }
  return created;
}

export async function requireRole(ctx: TenantContext, id: string): Promise<RoleRow> {
  const role = await repo.findRole(ctx.db, ctx.tenantId, id);
  if (!role) throw new AppError('role.not_found', { field: 'roleId' });
  return role;
}

async function requireEditableRole(ctx: TenantContext, id: string): Promise<RoleRow> {
  const role = await requireRole(ctx, id);
  if (role.builtinKey) throw new AppError('role.builtin_readonly');
  return role;
}

function withNameCheck<T>(ctx: TenantContext, write: (tx: Tx) => Promise<T>): Promise<T> {
  return writeUniqueName(ctx.db, write, { roles_name_key: () => new AppError('role.name_taken', { field: 'name' }) });
}

function samePermissions(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((p) => right.has(p));
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

export function toRoleDto(role: RoleRow) {
  return {
    id: role.id,
    name: role.name,
    builtinKey: role.builtinKey,
    description: role.description,
    permissions: role.permissions,
    createdAt: role.createdAt,
    updatedAt: role.updatedAt,
  };
}

/** Audit-log labels for roles: their names (no secret: the entries for a role name it in their details already). */
export function labelRolesForAudit(ctx: TenantContext, ids: readonly string[]): Promise<Map<string, string>> {
  return repo.findRoleNames(ctx.db, ctx.tenantId, ids);
}
