import crypto from 'node:crypto';
import { enterPlatformScope } from '../core/db/database.ts';
import { newId } from '../core/ids.ts';
import { provisionTenant, type ProvisionTenantInput } from '../modules/platform/index.ts';
import { findPlatformTenantInPlatformScope, listTenantsInPlatformScope } from '../modules/tenants/index.ts';
import type { Runtime } from './runtime.ts';

export const DEMO_TENANT_SLUG = 'demo-hotels';
export const DEMO_ADMIN_EMAIL = 'admin@demo-hotels.example';

export type BootstrapReport = {
  operator?: { email: string; password: string };
  demo?: { email: string; password: string; tenantName: string };
};

/**
 * First start on an empty database: creates the platform tenant with its operator account, and (in demo mode) a demo
 * hotel group with two properties and an administrator. Later starts find them and change nothing. Needs only the
 * database, so `npm run migrate` (the scaled-out deployment's first step) runs it too.
 */
export async function bootstrap(runtime: Pick<Runtime, 'db' | 'config' | 'clock'>): Promise<BootstrapReport> {
  const { db, config, clock } = runtime;
  const report: BootstrapReport = {};
  const existing = await db.withPlatform(async (tx) => ({
    platform: await findPlatformTenantInPlatformScope(tx),
    tenants: await listTenantsInPlatformScope(tx),
  }));

  const provision = (input: ProvisionTenantInput) =>
    db.withPlatform(async (tx) => {
      await enterPlatformScope(tx);
      return provisionTenant(tx, input, {
        actor: { kind: 'system', name: 'bootstrap' },
        ip: '',
        requestId: newId(),
        afterCommit: () => undefined,
        invite: async () => undefined,
        now: clock.now(),
      });
    });

  if (!existing.platform) {
    const password = config.operator.password ?? crypto.randomBytes(12).toString('base64url');
    await provision({
      kind: 'platform',
      name: 'Innkeeper 平台',
      slug: 'platform',
      properties: [],
      administrator: { email: config.operator.email, displayName: '平台營運', password },
    });
    report.operator = { email: config.operator.email, password };
  }

  if (config.seedDemo) {
    const tenantName = '山嵐飯店集團';
    if (!existing.tenants.some((t) => t.slug === DEMO_TENANT_SLUG)) {
      await provision({
        kind: 'hotel',
        name: tenantName,
        slug: DEMO_TENANT_SLUG,
        properties: [
          { code: 'TPE', name: '台北館' },
          { code: 'TXG', name: '台中館' },
        ],
        administrator: { email: DEMO_ADMIN_EMAIL, displayName: '示範管理員', password: config.demoAdminPassword },
      });
    }
    report.demo = { email: DEMO_ADMIN_EMAIL, password: config.demoAdminPassword, tenantName };
  }
  return report;
}
