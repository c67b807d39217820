import type { Locale, Permission } from '@innkeeper/contracts';

export type TenantKind = 'hotel' | 'platform';

/** GET /api/auth/me */
export type Me = {
  account: {
    id: string;
    email: string;
    displayName: string;
    locale: Locale;
    totpEnabled: boolean;
    recoveryCodesLeft: number;
    role: { id: string; name: string; builtinKey: string | null };
  };
  tenant: { id: string; name: string; kind: TenantKind; timezone: string };
  permissions: Permission[];
  propertyIds: 'all' | string[];
  csrfToken: string;
  sessionIdleMinutes: number;
};

/** What a page or menu item needs: any one of `permissions` (none = any signed-in account) in one of `tenantKinds`. */
export type AccessRule = { permissions?: readonly Permission[]; tenantKinds?: readonly TenantKind[] };
