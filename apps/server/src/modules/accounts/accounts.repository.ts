import { and, asc, count, eq, ilike, inArray, ne, or, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';
import { escapeLike } from '../../core/db/like.ts';
import type { TenantId } from '../../core/ids.ts';
import { ADMINISTRATOR_ROLE_KEYS } from '@innkeeper/contracts';
import { accountProperties, accounts, loginDirectory, roles } from './accounts.tables.ts';

export type AccountRow = typeof accounts.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;

// Roles

export function findRoles(tx: Tx, tenantId: TenantId) {
  return tx
    .select({ role: roles, accountCount: sql<number>`(select count(*)::int from accounts a where a.tenant_id = "roles"."tenant_id" and a.role_id = "roles"."id")` })
    .from(roles)
    .where(eq(roles.tenantId, tenantId))
    .orderBy(sql`${roles.builtinKey} is null`, asc(roles.createdAt));
}

export async function findRole(tx: Tx, tenantId: TenantId, id: string): Promise<RoleRow | undefined> {
  const [row] = await tx.select().from(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)));
  return row;
}

export async function insertRole(tx: Tx, row: typeof roles.$inferInsert): Promise<RoleRow> {
  const [created] = await tx.insert(roles).values(row).returning();
  if (!created) throw new Error('insert returned no role');
  return created;
}

export async function updateRole(tx: Tx, tenantId: TenantId, id: string, patch: Partial<Pick<RoleRow, 'name' | 'description' | 'permissions'>>): Promise<RoleRow | undefined> {
  const [row] = await tx.update(roles).set({ ...patch, updatedAt: new Date() }).where(and(eq(roles.tenantId, tenantId), eq(roles.id, id))).returning();
  return row;
}

export async function deleteRole(tx: Tx, tenantId: TenantId, id: string): Promise<void> {
  await tx.delete(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)));
}

export async function countAccountsWithRole(tx: Tx, tenantId: TenantId, roleId: string): Promise<number> {
  const [row] = await tx.select({ value: count() }).from(accounts).where(and(eq(accounts.tenantId, tenantId), eq(accounts.roleId, roleId)));
  return row?.value ?? 0;
}

/** The accounts a role is assigned to, with whether they hold every property (their property lists: findAccountPropertyIds). */
export async function findAccountsWithRole(tx: Tx, tenantId: TenantId, roleId: string): Promise<Array<{ id: string; allProperties: boolean }>> {
  return tx.select({ id: accounts.id, allProperties: accounts.allProperties }).from(accounts).where(and(eq(accounts.tenantId, tenantId), eq(accounts.roleId, roleId)));
}

// Accounts

export type AccountListFilter = { search?: string | undefined; status?: 'active' | 'disabled' | undefined; roleId?: string | undefined };

export async function findAccounts(tx: Tx, tenantId: TenantId, filter: AccountListFilter, page: { offset: number; limit: number }) {
  const where = and(
    eq(accounts.tenantId, tenantId),
    filter.status ? eq(accounts.status, filter.status) : undefined,
    filter.roleId ? eq(accounts.roleId, filter.roleId) : undefined,
    filter.search ? or(ilike(accounts.email, `%${escapeLike(filter.search)}%`), ilike(accounts.displayName, `%${escapeLike(filter.search)}%`)) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    tx.select().from(accounts).where(where).orderBy(asc(accounts.createdAt)).offset(page.offset).limit(page.limit),
    tx.select({ value: count() }).from(accounts).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}

export async function findAccount(tx: Tx, tenantId: TenantId, id: string): Promise<AccountRow | undefined> {
  const [row] = await tx.select().from(accounts).where(and(eq(accounts.tenantId, tenantId), eq(accounts.id, id)));
  return row;
}

export async function insertAccount(tx: Tx, row: typeof accounts.$inferInsert): Promise<AccountRow> {
  const [created] = await tx.insert(accounts).values(row).returning();
  if (!created) throw new Error('insert returned no account');
  return created;
}

export async function updateAccount(tx: Tx, tenantId: TenantId, id: string, patch: Partial<typeof accounts.$inferInsert>): Promise<AccountRow | undefined> {
  const [row] = await tx.update(accounts).set({ ...patch, updatedAt: new Date() }).where(and(eq(accounts.tenantId, tenantId), eq(accounts.id, id))).returning();
  return row;
}

export async function findAccountPropertyIds(tx: Tx, tenantId: TenantId, accountIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (accountIds.length === 0) return result;
  const rows = await tx.select().from(accountProperties).where(and(eq(accountProperties.tenantId, tenantId), inArray(accountProperties.accountId, accountIds)));
  for (const row of rows) result.set(row.accountId, [...(result.get(row.accountId) ?? []), row.propertyId]);
  return result;
}

export async function replaceAccountProperties(tx: Tx, tenantId: TenantId, accountId: string, propertyIds: readonly string[]): Promise<void> {
  await tx.delete(accountProperties).where(and(eq(accountProperties.tenantId, tenantId), eq(accountProperties.accountId, accountId)));
  if (propertyIds.length > 0) {
    await tx.insert(accountProperties).values(propertyIds.map((propertyId) => ({ tenantId, accountId, propertyId })));
  }
}

/** The tenant's turn at changing accounts and roles (transaction-scoped; see grants.ts actingManager). */
export async function lockAccountManagement(tx: Tx, tenantId: TenantId): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(727274010, hashtext(${tenantId}))`);
}

/** Active administrators (holders of the built-in administrator or operator role) other than `exceptId`. */
export async function countOtherActiveAdministrators(tx: Tx, tenantId: TenantId, exceptId: string): Promise<number> {
  const [row] = await tx
    .select({ value: count() })
    .from(accounts)
    .innerJoin(roles, and(eq(roles.tenantId, accounts.tenantId), eq(roles.id, accounts.roleId)))
    .where(and(eq(accounts.tenantId, tenantId), eq(accounts.status, 'active'), ne(accounts.id, exceptId), inArray(roles.builtinKey, [...ADMINISTRATOR_ROLE_KEYS])));
  return row?.value ?? 0;
}

/**
 * Counts one failed password from any address in one statement (requests at once each count). The count runs in a
 * window of `windowMinutes` from its first failure; at `maxFailures` the account is locked until the window ends.
 */
export async function countAccountFailure(tx: Tx, tenantId: TenantId, accountId: string, policy: { now: Date; maxFailures: number; windowMinutes: number }) {
  const now = policy.now.toISOString();
  const fresh = sql`(failed_logins_window_ends_at is null or failed_logins_window_ends_at <= ${now})`;
  const failures = sql`case when ${fresh} then 1 else failed_logins + 1 end`;
  const windowEnds = sql`case when ${fresh} then ${new Date(policy.now.getTime() + policy.windowMinutes * 60_000).toISOString()}::timestamptz else failed_logins_window_ends_at end`;
  const [row] = await queryRows<{ failed_logins: number; locked_until: Date | string | null }>(
    tx,
    sql`update accounts set
          failed_logins = ${failures},
          failed_logins_window_ends_at = ${windowEnds},
          locked_until = case when ${failures} >= ${policy.maxFailures} then ${windowEnds} else locked_until end,
          updated_at = ${now}
        where tenant_id = ${tenantId} and id = ${accountId}
        returning failed_logins, locked_until`,
  );
  if (!row) throw new Error('account failure update returned no row');
  return { failures: row.failed_logins, lockedUntil: row.locked_until === null ? null : new Date(row.locked_until) };
}

// Login directory (email → tenant). Lookups by email run in the platform scope; writes run in the tenant's scope.

export async function findLoginEntry(tx: Tx, email: string): Promise<{ tenantId: string; accountId: string } | undefined> {
  const [row] = await tx.select({ tenantId: loginDirectory.tenantId, accountId: loginDirectory.accountId }).from(loginDirectory).where(eq(loginDirectory.email, email));
  return row;
}

export async function insertLoginEntry(tx: Tx, entry: typeof loginDirectory.$inferInsert): Promise<void> {
  await tx.insert(loginDirectory).values(entry);
}

/** Everything a request needs to know about its account, in one query (runs on every authenticated request). */
export async function findAccountAccess(tx: Tx, tenantId: TenantId, accountId: string) {
  const [row] = await queryRows<{
    email: string;
    display_name: string;
    status: 'active' | 'disabled';
    locale: 'zh-TW' | 'en';
    permissions: string[];
    role_id: string;
    role_name: string;
    role_builtin_key: string | null;
    all_properties: boolean;
    property_ids: string[];
    tenant_status: 'active' | 'suspended';
    timezone: string;
  }>(
    tx,
    sql`select a.email, a.display_name, a.status, a.locale, r.permissions, r.id::text as role_id, r.name as role_name, r.builtin_key as role_builtin_key, a.all_properties, t.status as tenant_status, t.timezone,
               coalesce(array(select ap.property_id::text from account_properties ap where ap.tenant_id = a.tenant_id and ap.account_id = a.id), '{}') as property_ids
        from accounts a
        join roles r on r.tenant_id = a.tenant_id and r.id = a.role_id
        join tenants t on t.id = a.tenant_id
        where a.tenant_id = ${tenantId} and a.id = ${accountId}`,
  );
  return row;
}


/** id → email of the given accounts (the audit log names its targets). */
export async function findAccountEmails(tx: Tx, tenantId: TenantId, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.select({ id: accounts.id, email: accounts.email }).from(accounts).where(and(eq(accounts.tenantId, tenantId), inArray(accounts.id, [...ids])));
  return new Map(rows.map((r) => [r.id, r.email]));
}

export async function findRoleNames(tx: Tx, tenantId: TenantId, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.tenantId, tenantId), inArray(roles.id, [...ids])));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function findAccountDisplayNames(tx: Tx, tenantId: TenantId, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ id: accounts.id, displayName: accounts.displayName }).from(accounts).where(and(eq(accounts.tenantId, tenantId), inArray(accounts.id, [...ids])));
  return new Map(rows.map((r) => [r.id, r.displayName]));
}

/** Takes a TOTP time step for the account if it is later than the last one taken (compare-and-set): true once per step. */
export async function claimTotpStep(tx: Tx, tenantId: TenantId, id: string, step: number): Promise<boolean> {
  const claimed = await tx
    .update(accounts)
    .set({ totpLastStep: step })
    .where(and(eq(accounts.tenantId, tenantId), eq(accounts.id, id), sql`(${accounts.totpLastStep} is null or ${accounts.totpLastStep} < ${step})`))
    .returning({ id: accounts.id });
  return claimed.length === 1;
}
