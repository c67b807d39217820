import { isAdministratorRole, type Permission } from '@innkeeper/contracts';
import { useSession } from '../../session/session-context.ts';

/**
 * What the signed-in account may hand out, as the server decides it (README, "Hotel groups, accounts and roles";
 * accounts/grants.ts): nobody grants a permission or a property they do not hold, and only administrators assign the
 * administrator role or change an administrator. The screens use it to grey out what would only be refused on save.
 */
export type Granter = {
  isAdministrator: boolean;
  holds: (permission: string) => boolean;
  propertyIds: readonly string[] | 'all';
};

type RoleLike = { builtinKey: string | null; permissions: readonly string[] };
type AccountLike = { allProperties: boolean; propertyIds: readonly string[] };

/** Whether the granter may give this role to an account. */
export function canAssignRole(granter: Granter, role: RoleLike): boolean {
  if (isAdministratorRole(role)) return granter.isAdministrator;
  return role.permissions.every((permission) => granter.holds(permission));
}

/** Whether the granter may change (edit, disable, enable) an account that has this role and these properties. */
export function canChangeAccount(granter: Granter, role: RoleLike | undefined, account: AccountLike): boolean {
  if (!role || !canAssignRole(granter, role)) return false;
  if (granter.propertyIds === 'all') return true;
  const own = new Set(granter.propertyIds);
  return !account.allProperties && account.propertyIds.every((id) => own.has(id));
}

/** The signed-in account as a granter. */
export function useGranter(): Granter {
  const { me, can } = useSession();
  return { isAdministrator: isAdministratorRole(me.account.role), holds: (permission) => can(permission as Permission), propertyIds: me.propertyIds };
}
