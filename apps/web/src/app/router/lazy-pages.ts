import { lazy, type ComponentType } from 'react';

/** React.lazy for modules with named exports: each page is its own chunk. */
function lazyNamed<P extends object, K extends string>(load: () => Promise<Record<K, ComponentType<P>>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

export const LoginPage = lazyNamed(() => import('../../features/auth/pages/LoginPage.tsx'), 'LoginPage');
export const ForgotPasswordPage = lazyNamed(() => import('../../features/auth/pages/ForgotPasswordPage.tsx'), 'ForgotPasswordPage');
export const SetPasswordPage = lazyNamed(() => import('../../features/auth/pages/SetPasswordPage.tsx'), 'SetPasswordPage');
export const DemoMailboxPage = lazyNamed(() => import('../../features/demo-mailbox/DemoMailboxPage.tsx'), 'DemoMailboxPage');
export const AccountsPage = lazyNamed(() => import('../../features/accounts/pages/AccountsPage.tsx'), 'AccountsPage');
export const AuditLogPage = lazyNamed(() => import('../../features/audit-log/pages/AuditLogPage.tsx'), 'AuditLogPage');
export const MyAccountPage = lazyNamed(() => import('../../features/my-account/pages/MyAccountPage.tsx'), 'MyAccountPage');
export const SettingsPage = lazyNamed(() => import('../../features/settings/pages/SettingsPage.tsx'), 'SettingsPage');
export const TenantsPage = lazyNamed(() => import('../../features/platform/pages/TenantsPage.tsx'), 'TenantsPage');
export const ComingSoonPage = lazyNamed(() => import('../../features/coming-soon/ComingSoonPage.tsx'), 'ComingSoonPage');
