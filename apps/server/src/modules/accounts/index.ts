import { contribute, defineModule, extensionPoint } from '../../core/module.ts';
import { auditTargetLabelers } from '../audit/index.ts';
import { accountRoutes } from './accounts.routes.ts';
import { labelAccountsForAudit, type InviteAccount } from './accounts.service.ts';
import { labelRolesForAudit } from './roles.service.ts';

export {
  accountDisplayNames,
  assertMayManageAccount,
  createFirstAdministrator,
  findCredentials,
  findLoginEntryInPlatformScope,
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
/** Who tells a new account how to sign in (auth mails the invitation link): accounts cannot import auth. */
export const accountInvitations = extensionPoint<InviteAccount>('accounts.invitations');

export const accountsModule = defineModule({
  name: 'accounts',
  permissions: ['accounts.manage'],
  create: ({ extensions }) => {
    const invite: InviteAccount = async (ctx, account) => {
      for (const send of extensions.of(accountInvitations)) await send(ctx, account);
    };
    return { services: {}, routes: [accountRoutes({ invite })], contributes: contribute(auditTargetLabelers, { account: labelAccountsForAudit, role: labelRolesForAudit }) };
  },
});
