export { provisionTenant, type ProvisionTenantInput } from './platform.service.ts';
export { platformRoutes } from './platform.routes.ts';
