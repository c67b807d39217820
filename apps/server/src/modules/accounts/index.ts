export {
  assertMayManageAccount,
  createFirstAdministrator,
  findCredentials,
  findLoginEntryInPlatformScope,
  labelAccountsForAudit,
  loadAccountAccess,
  registerFailedLogin,
  registerSuccessfulLogin,
  storeLocale,
  storePasswordHash,
  storeTotpSecret,
  claimTotpStep,
  type AccountAccess,
  type InviteAccount,
  type LoginCredentials,
} from './accounts.service.ts';
export { createBuiltinRoles } from './roles.service.ts';
export { accountRoutes } from './accounts.routes.ts';
