import { describe, expect, it } from 'vitest';
import { canAssignRole, canChangeAccount, type Granter } from './assignable.ts';

// The accounts screen greys out what the server refuses (accounts/grants.ts): these are the same rules.
const hr: Granter = { isAdministrator: false, holds: (p) => ['accounts.manage', 'members.read'].includes(p), propertyIds: 'all' };
const admin: Granter = { isAdministrator: true, holds: () => true, propertyIds: 'all' };
const taipeiManager: Granter = { ...hr, propertyIds: ['taipei'] };

const viewer = { builtinKey: null, permissions: ['members.read'] };
const marketing = { builtinKey: 'marketing', permissions: ['members.read', 'tags.edit', 'campaigns.edit'] };
const administrator = { builtinKey: 'administrator', permissions: ['members.read', 'accounts.manage'] };

describe('what an account manager may hand out', () => {
  it('a role only when every permission in it is held; the administrator role only by an administrator', () => {
    expect(canAssignRole(hr, viewer)).toBe(true);
    expect(canAssignRole(hr, marketing)).toBe(false);
    expect(canAssignRole(hr, administrator)).toBe(false);
    expect(canAssignRole(admin, administrator)).toBe(true);
    expect(canAssignRole(admin, marketing)).toBe(true);
  });

  it('changes an account only if it could give that account its role and its properties', () => {
    expect(canChangeAccount(hr, viewer, { allProperties: true, propertyIds: [] })).toBe(true);
    expect(canChangeAccount(hr, administrator, { allProperties: true, propertyIds: [] })).toBe(false);
    expect(canChangeAccount(hr, undefined, { allProperties: true, propertyIds: [] })).toBe(false);
    expect(canChangeAccount(taipeiManager, viewer, { allProperties: false, propertyIds: ['taipei'] })).toBe(true);
    expect(canChangeAccount(taipeiManager, viewer, { allProperties: false, propertyIds: ['taipei', 'taichung'] })).toBe(false);
    expect(canChangeAccount(taipeiManager, viewer, { allProperties: true, propertyIds: [] })).toBe(false);
  });
});
