import { isAdministratorRole } from '@innkeeper/contracts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import * as repo from './accounts.repository.ts';
import type { AccountRow, RoleRow } from './accounts.repository.ts';

/**
 * Who may hand out what (README, "Hotel groups, accounts and roles"):
 * - nobody grants a permission or a property they do not hold themselves (roles, role assignments, invitations);
 * - nobody edits the role they are assigned;
 * - only administrators (the built-in 管理員 role; 平台營運 in the platform tenant) change administrators or assign
 *   that role, and nobody changes an account that holds a permission or property they lack (nor, through its role,
 *   the permissions of such an account);
 * - the last active administrator cannot be disabled or demoted.
 */

/** The account making a change to accounts or roles, as it is now (read after the tenant's lock, see actingManager). */
export type Manager = {
  accountId: string;
  roleId: string;
  permissions: ReadonlySet<string>;
  isAdministrator: boolean;
  propertyIds: readonly string[] | 'all';
};

/**
 * Takes the tenant's account-management lock, then reads the caller again. Every change to accounts or roles takes
 * this turn, so two administrators removing each other at once are decided one after the other (the second sees
 * the first's change and is refused), and a caller who was just disabled or demoted cannot act on what the session
 * said when the request began.
 */
export async function actingManager(ctx: RequestContext): Promise<Manager> {
  await repo.lockAccountManagement(ctx.db, ctx.tenantId);
  const account = await repo.findAccount(ctx.db, ctx.tenantId, ctx.accountId);
  if (!account || account.status !== 'active') throw new AppError('auth.account_disabled');
  const role = await repo.findRole(ctx.db, ctx.tenantId, account.roleId);
  if (!role?.permissions.includes('accounts.manage')) throw new AppError('auth.forbidden', { permission: 'accounts.manage' });
  return {
    accountId: account.id,
    roleId: role.id,
    permissions: new Set(role.permissions),
    isAdministrator: isAdministratorRole(role),
    propertyIds: await accountPropertyScope(ctx, account),
  };
}

export async function accountPropertyScope(ctx: RequestContext, account: AccountRow): Promise<readonly string[] | 'all'> {
  if (account.allProperties) return 'all';
  return (await repo.findAccountPropertyIds(ctx.db, ctx.tenantId, [account.id])).get(account.id) ?? [];
}

/** Refuses permissions the manager does not hold. */
export function assertHoldsPermissions(manager: Manager, permissions: readonly string[]): void {
  const missing = permissions.filter((p) => !manager.permissions.has(p));
  if (missing.length > 0) throw new AppError('role.permission_not_held', { field: 'permissions', permissions: missing });
}

function coversScope(manager: Manager, scope: readonly string[] | 'all'): boolean {
  const held = manager.propertyIds;
  return held === 'all' || (scope !== 'all' && scope.every((id) => held.includes(id)));
}

/** Refuses a property scope wider than the manager's own. */
export function assertHoldsProperties(manager: Manager, scope: readonly string[] | 'all'): void {
  if (!coversScope(manager, scope)) throw new AppError('account.property_not_held', { field: 'propertyIds' });
}

/** Giving an account this role (creating, inviting or changing it). */
export function assertMayAssignRole(manager: Manager, role: RoleRow): void {
  if (isAdministratorRole(role) && !manager.isAdministrator) throw new AppError('account.administrators_only', { field: 'roleId' });
  assertHoldsPermissions(manager, role.permissions);
}

/** Any change to an existing account: administrators only by administrators, nobody who outranks the manager. */
export function assertMayChangeAccount(manager: Manager, target: { role: RoleRow; propertyIds: readonly string[] | 'all' }): void {
  if (isAdministratorRole(target.role) && !manager.isAdministrator) throw new AppError('account.administrators_only');
  const outranks = target.role.permissions.some((p) => !manager.permissions.has(p)) || !coversScope(manager, target.propertyIds);
  if (outranks) throw new AppError('account.outranks_caller');
}

/**
 * Changing a role's permissions changes every account that holds it: the manager must be able to change each of them,
 * so a manager limited to some properties cannot hand a permission it holds there to an account that has them all.
 */
export async function assertMayChangeHoldersOf(ctx: RequestContext, manager: Manager, roleId: string): Promise<void> {
  if (manager.propertyIds === 'all') return;
  const holders = await repo.findAccountsWithRole(ctx.db, ctx.tenantId, roleId);
  const lists = await repo.findAccountPropertyIds(ctx.db, ctx.tenantId, holders.filter((h) => !h.allProperties).map((h) => h.id));
  const outranked = holders.some((h) => !coversScope(manager, h.allProperties ? 'all' : (lists.get(h.id) ?? [])));
  if (outranked) throw new AppError('account.outranks_caller');
}

/** Creating, editing or deleting a role: never one's own, never one that holds (or would hold) more than oneself. */
export function assertMayEditRole(manager: Manager, role: RoleRow | undefined, permissions: readonly string[] | undefined): void {
  if (role && role.id === manager.roleId) throw new AppError('role.own_role');
  if (role) assertHoldsPermissions(manager, role.permissions);
  if (permissions) assertHoldsPermissions(manager, permissions);
}
