import { defineModule } from '../../core/module.ts';
import { tenantRoutes } from './tenants.routes.ts';

export {
  assertPropertiesExist,
  createProperty,
  createTenantInPlatformScope,
  findPlatformTenantInPlatformScope,
  findTenantInPlatformScope,
  findTenantBySlugInPlatformScope,
  forEachTenant,
  getCurrentTenant,
  listAllProperties,
  listTenantsInPlatformScope,
  setTenantStatusInPlatformScope,
  type PropertyRow,
  type TenantRow,
} from './tenants.service.ts';
export { perTenantCron, type PerTenantCron } from './tenant-jobs.ts';
export const tenantsModule = defineModule({
  name: 'tenants',
  permissions: ['settings.manage'],
  create: () => ({ services: {}, routes: [tenantRoutes] }),
});
