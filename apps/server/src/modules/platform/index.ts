import { defineModule, type Platform } from '../../core/module.ts';
import type { AuthService } from '../auth/index.ts';
import { platformRoutes } from './platform.routes.ts';

export { provisionTenant, type ProvisionTenantInput } from './platform.service.ts';

export const platformModule = defineModule({
  name: 'platform',
  permissions: ['platform.tenants'],
  create: ({ clock, auth }: Platform & { auth: AuthService }) => ({ services: {}, routes: [platformRoutes({ invite: auth.inviteAccount, clock })] }),
});
