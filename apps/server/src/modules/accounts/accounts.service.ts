import { isAdministratorRole, type Locale, type Permission } from '@innkeeper/contracts';
import type { RequestContext, TenantContext } from '../../core/context.ts';
import type { Tx } from '../../core/db/database.ts';
import { AppError, isUniqueViolation } from '../../core/errors.ts';
import { newId, type TenantId } from '../../core/ids.ts';
import type { Page } from '../../core/http/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { assertPropertiesExist } from '../tenants/index.ts';
import * as repo from './accounts.repository.ts';
import type { AccountListFilter, AccountRow } from './accounts.repository.ts';
import { accountPropertyScope, actingManager, assertHoldsProperties, assertMayAssignRole, assertMayChangeAccount, type Manager } from './grants.ts';
import { requireRole } from './roles.service.ts';

export type AccountDto = ReturnType<typeof toAccountDto>;

export type CreateAccountInput = {
  email: string;
  displayName: string;
  roleId: string;
  allProperties: boolean;
  propertyIds: string[];
  locale?: Locale | undefined;
};

export type UpdateAccountInput = Partial<Omit<CreateAccountInput, 'email'>>;

/** Sends the new account a link to choose its password; supplied by the auth module, which owns one-time links. */
export type InviteAccount = (ctx: TenantContext, account: { id: string; email: string; displayName: string; locale: Locale }) => Promise<void>;

export async function listAccounts(ctx: TenantContext, query: AccountListFilter & { page: number; pageSize: number }): Promise<Page<AccountDto>> {
  const { rows, total } = await repo.findAccounts(ctx.db, ctx.tenantId, query, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
  const properties = await repo.findAccountPropertyIds(ctx.db, ctx.tenantId, rows.map((r) => r.id));
  return { data: rows.map((row) => toAccountDto(row, properties.get(row.id) ?? [])), total, page: query.page, pageSize: query.pageSize };
}

export async function getAccount(ctx: TenantContext, id: string): Promise<AccountDto> {
  const row = await requireAccount(ctx, id);
  const properties = await repo.findAccountPropertyIds(ctx.db, ctx.tenantId, [id]);
  return toAccountDto(row, properties.get(id) ?? []);
}

/** An account manager invites someone: the role and properties must be ones the manager may grant. */
export async function createAccount(ctx: RequestContext, input: CreateAccountInput, invite: InviteAccount): Promise<AccountDto> {
  const manager = await actingManager(ctx);
  assertMayAssignRole(manager, await requireRole(ctx, input.roleId));
  assertHoldsProperties(manager, input.allProperties ? 'all' : input.propertyIds);
  return insertNewAccount(ctx, input, invite);
}

async function insertNewAccount(ctx: TenantContext, input: CreateAccountInput, invite: InviteAccount): Promise<AccountDto> {
  await requireRole(ctx, input.roleId);
  const propertyIds = input.allProperties ? [] : input.propertyIds;
  await assertPropertiesExist(ctx, propertyIds);
  const email = input.email.toLowerCase();
  let account: AccountRow;
  try {
    account = await repo.insertAccount(ctx.db, {
      tenantId: ctx.tenantId,
      id: newId(),
      email,
      displayName: input.displayName,
      roleId: input.roleId,
      allProperties: input.allProperties,
      locale: input.locale ?? 'zh-TW',
    });
    await repo.insertLoginEntry(ctx.db, { email, tenantId: ctx.tenantId, accountId: account.id });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('account.email_taken', { field: 'email' });
    throw error;
  }
  await repo.replaceAccountProperties(ctx.db, ctx.tenantId, account.id, propertyIds);
  await recordAudit(ctx, {
    action: 'account.created',
    targetType: 'account',
    targetId: account.id,
    details: { email, roleId: input.roleId, allProperties: input.allProperties, propertyIds },
  });
  await invite(ctx, { id: account.id, email, displayName: account.displayName, locale: account.locale });
  return toAccountDto(account, propertyIds);
}

export async function updateAccount(ctx: RequestContext, id: string, input: UpdateAccountInput): Promise<AccountDto> {
  const manager = await actingManager(ctx);
  const { account: before, role: beforeRole, propertyIds: beforeScope } = await requireChangeableAccount(ctx, manager, id);
  const roleChanges = input.roleId !== undefined && input.roleId !== before.roleId;
  if (roleChanges) {
    if (id === ctx.accountId) throw new AppError('account.cannot_change_self');
    const role = await requireRole(ctx, input.roleId!);
    assertMayAssignRole(manager, role);
    if (isAdministratorRole(beforeRole) && !isAdministratorRole(role)) await assertAnotherAdministrator(ctx, before.id);
  }
  const allProperties = input.allProperties ?? before.allProperties;
  const propertyIds = input.propertyIds ?? (beforeScope === 'all' ? [] : [...beforeScope]);
  if (input.allProperties !== undefined || input.propertyIds !== undefined) assertHoldsProperties(manager, allProperties ? 'all' : propertyIds);
  await assertPropertiesExist(ctx, allProperties ? [] : propertyIds);
  const after = await repo.updateAccount(ctx.db, ctx.tenantId, id, {
    ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
    ...(input.roleId !== undefined ? { roleId: input.roleId } : {}),
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
    allProperties,
  });
  if (!after) throw new AppError('account.not_found');
  await repo.replaceAccountProperties(ctx.db, ctx.tenantId, id, allProperties ? [] : propertyIds);
  await recordAudit(ctx, {
    action: roleChanges ? 'account.role_changed' : 'account.updated',
    targetType: 'account',
    targetId: id,
    details: { changes: input, before: { roleId: before.roleId, displayName: before.displayName, allProperties: before.allProperties } },
  });
  return toAccountDto(after, allProperties ? [] : propertyIds);
}

export async function setAccountStatus(ctx: RequestContext, id: string, status: 'active' | 'disabled'): Promise<AccountDto> {
  const manager = await actingManager(ctx);
  if (id === ctx.accountId) throw new AppError('account.cannot_change_self');
  const { account: before, role } = await requireChangeableAccount(ctx, manager, id);
  if (status === 'disabled' && before.status === 'active' && isAdministratorRole(role)) await assertAnotherAdministrator(ctx, before.id);
  const after = await repo.updateAccount(ctx.db, ctx.tenantId, id, { status, ...(status === 'active' ? { failedLogins: 0, failedLoginsWindowEndsAt: null, lockedUntil: null } : {}) });
  if (!after) throw new AppError('account.not_found');
  await recordAudit(ctx, { action: status === 'disabled' ? 'account.disabled' : 'account.enabled', targetType: 'account', targetId: id, details: { email: after.email } });
  return getAccount(ctx, id);
}

/** For other modules' account actions (e.g. re-sending an invitation): the same rules as changing the account. */
export async function assertMayManageAccount(ctx: RequestContext, id: string): Promise<void> {
  await requireChangeableAccount(ctx, await actingManager(ctx), id);
}

/** The first administrator of a new tenant, created during provisioning. */
export async function createFirstAdministrator(ctx: TenantContext, input: { email: string; displayName: string; roleId: string; invite: InviteAccount }): Promise<AccountDto> {
  return insertNewAccount(ctx, { email: input.email, displayName: input.displayName, roleId: input.roleId, allProperties: true, propertyIds: [] }, input.invite);
}

// Used by the auth module.

export type LoginCredentials = Pick<
  AccountRow,
  'id' | 'email' | 'displayName' | 'passwordHash' | 'status' | 'failedLogins' | 'lockedUntil' | 'totpSecretEncrypted' | 'totpEnabledAt' | 'locale'
>;

/** Platform scope: which tenant and account an email signs in to. */
export function findLoginEntryInPlatformScope(tx: Tx, email: string) {
  return repo.findLoginEntry(tx, email.toLowerCase());
}

export async function findCredentials(ctx: TenantContext, accountId: string): Promise<LoginCredentials | undefined> {
  return repo.findAccount(ctx.db, ctx.tenantId, accountId);
}

/**
 * Counts a failed password towards the account-wide throttle (failures from every address within an hour). `tripped`
 * is true for the one failure that reached the limit, so the owner is alerted once per window.
 */
export async function registerFailedLogin(ctx: TenantContext, accountId: string, policy: { maxFailures: number; now: Date }): Promise<{ lockedUntil: Date | null; tripped: boolean }> {
  const counted = await repo.countAccountFailure(ctx.db, ctx.tenantId, accountId, { now: policy.now, maxFailures: policy.maxFailures, windowMinutes: 60 });
  const locked = counted.lockedUntil !== null && counted.lockedUntil > policy.now;
  return { lockedUntil: locked ? counted.lockedUntil : null, tripped: counted.failures === policy.maxFailures };
}

/** The account-wide count is left to its window: signing in does not give a distributed guesser a fresh budget. */
export async function registerSuccessfulLogin(ctx: TenantContext, accountId: string, now: Date): Promise<void> {
  await repo.updateAccount(ctx.db, ctx.tenantId, accountId, { lastLoginAt: now });
}

export async function storePasswordHash(ctx: TenantContext, accountId: string, passwordHash: string, now: Date): Promise<void> {
  // Choosing a new password through a mailed link proves the mailbox: it lifts the account-wide throttle.
  await repo.updateAccount(ctx.db, ctx.tenantId, accountId, { passwordHash, passwordChangedAt: now, failedLogins: 0, failedLoginsWindowEndsAt: null, lockedUntil: null });
}

export async function storeTotpSecret(ctx: TenantContext, accountId: string, secretEncrypted: string | null, enabledAt: Date | null): Promise<void> {
  await repo.updateAccount(ctx.db, ctx.tenantId, accountId, { totpSecretEncrypted: secretEncrypted, totpEnabledAt: enabledAt });
}

/** A TOTP code's time step, taken once: a second use of the same code (or an older one) is refused. */
export function claimTotpStep(ctx: TenantContext, accountId: string, step: number): Promise<boolean> {
  return repo.claimTotpStep(ctx.db, ctx.tenantId, accountId, step);
}

export async function storeLocale(ctx: TenantContext, accountId: string, locale: Locale): Promise<void> {
  await repo.updateAccount(ctx.db, ctx.tenantId, accountId, { locale });
}

export type AccountAccess = {
  email: string;
  displayName: string;
  locale: Locale;
  permissions: ReadonlySet<Permission>;
  /** The role's id lets the roles screen tell the account which role is its own (which it may not edit). */
  role: { id: string; name: string; builtinKey: string | null };
  propertyIds: readonly string[] | 'all';
  timezone: string;
  blockedBy: 'auth.account_disabled' | 'auth.tenant_suspended' | null;
};

export async function loadAccountAccess(tx: Tx, tenantId: TenantId, accountId: string): Promise<AccountAccess | undefined> {
  const row = await repo.findAccountAccess(tx, tenantId, accountId);
  if (!row) return undefined;
  return {
    email: row.email,
    displayName: row.display_name,
    locale: row.locale,
    permissions: new Set(row.permissions as Permission[]),
    role: { id: row.role_id, name: row.role_name, builtinKey: row.role_builtin_key },
    propertyIds: row.all_properties ? 'all' : row.property_ids,
    timezone: row.timezone,
    blockedBy: row.tenant_status !== 'active' ? 'auth.tenant_suspended' : row.status !== 'active' ? 'auth.account_disabled' : null,
  };
}

async function requireAccount(ctx: TenantContext, id: string): Promise<AccountRow> {
  const row = await repo.findAccount(ctx.db, ctx.tenantId, id);
  if (!row) throw new AppError('account.not_found');
  return row;
}

/** The account with its role and properties, if this manager may change it. */
async function requireChangeableAccount(ctx: RequestContext, manager: Manager, id: string) {
  const account = await requireAccount(ctx, id);
  const role = await requireRole(ctx, account.roleId);
  const propertyIds = await accountPropertyScope(ctx, account);
  assertMayChangeAccount(manager, { role, propertyIds });
  return { account, role, propertyIds };
}

/** Refuses to take away the tenant's last active administrator. Runs under the lock taken by actingManager. */
async function assertAnotherAdministrator(ctx: TenantContext, accountId: string): Promise<void> {
  if ((await repo.countOtherActiveAdministrators(ctx.db, ctx.tenantId, accountId)) === 0) throw new AppError('account.last_administrator');
}

function toAccountDto(row: AccountRow, propertyIds: string[]) {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    roleId: row.roleId,
    status: row.status,
    locale: row.locale,
    allProperties: row.allProperties,
    propertyIds,
    hasPassword: row.passwordHash !== null,
    totpEnabled: row.totpEnabledAt !== null,
    lockedUntil: row.lockedUntil,
    lastLoginAt: row.lastLoginAt,
    createdAt: row.createdAt,
  };
}

/** Audit-log labels for accounts: their email (staff see each other's sign-in emails on the accounts page too). */
export function labelAccountsForAudit(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, string>> {
  return repo.findAccountEmails(ctx.db, ctx.tenantId, ids);
}

/**
 * The names of the tenant's accounts, for other modules to say who did something (a campaign cancelled by 王經理):
 * names only, which every signed-in colleague may see; the account pages and their permissions stay here.
 */
export function accountDisplayNames(ctx: TenantContext, ids: readonly string[]): Promise<Map<string, string>> {
  return repo.findAccountDisplayNames(ctx.db, ctx.tenantId, ids);
}
