import { contribute, defineModule } from '../../core/module.ts';
import { accountInvitations } from '../accounts/index.ts';
import { purgeExpiredSessionsJob } from './auth.jobs.ts';
import { authRoutes } from './auth.routes.ts';
import { createAuthService } from './auth.service.ts';
import { createTwoFactorService } from './two-factor.service.ts';

export type { AuthService } from './auth.service.ts';
export { hashPassword } from './secrets.ts';

export const authModule = defineModule({
  name: 'auth',
  permissions: ['accounts.manage'],
  create: ({ db, config, clock, mailer, keyring, queue }) => {
    const auth = createAuthService({ db, config, clock, mailer, keyring });
    const twoFactor = createTwoFactorService({ clock, keyring, login: config.login });
    return {
      services: { auth, twoFactor },
      routes: [authRoutes({ auth, twoFactor, config, demoMailbox: config.demoMode && mailer.mode === 'capture' })],
      jobs: purgeExpiredSessionsJob({ db, clock, queue }),
      contributes: contribute(accountInvitations, auth.inviteAccount),
    };
  },
});
