import type { Permission } from '@innkeeper/contracts';
import { describe, expect, it } from 'vitest';
import type { AccessRule } from '../../session/types.ts';
import { homePath } from './navigation.tsx';

function allowsFor(kind: 'hotel' | 'platform', permissions: Permission[]) {
  return (rule: AccessRule) => (!rule.tenantKinds || rule.tenantKinds.includes(kind)) && (!rule.permissions || rule.permissions.some((p) => permissions.includes(p)));
}

describe('homePath: where the day starts after sign-in', () => {
  it('is the member list for hotel staff who may read members, never a "coming soon" page', () => {
    expect(homePath(allowsFor('hotel', ['members.read', 'campaigns.edit', 'reports.download']))).toBe('/members');
  });

  it('is the first built page the account may use', () => {
    expect(homePath(allowsFor('hotel', ['settings.manage']))).toBe('/settings');
    expect(homePath(allowsFor('hotel', ['audit.read']))).toBe('/audit-log');
    expect(homePath(allowsFor('hotel', ['campaigns.push']))).toBe('/campaigns');
  });

  it('is the tenant list for the platform operator and the own account page for anyone else', () => {
    expect(homePath(allowsFor('platform', ['platform.tenants', 'accounts.manage']))).toBe('/tenants');
    expect(homePath(allowsFor('hotel', ['reports.download']))).toBe('/my-account');
  });
});
