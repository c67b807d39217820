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
export { tenantRoutes } from './tenants.routes.ts';
