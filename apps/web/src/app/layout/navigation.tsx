import {
  ApiOutlined,
  AuditOutlined,
  BankOutlined,
  ClusterOutlined,
  DashboardOutlined,
  FileTextOutlined,
  HistoryOutlined,
  LinkOutlined,
  NotificationOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TagsOutlined,
  TeamOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { AccessRule } from '../../session/types.ts';

export type NavKey = 'members' | 'tags' | 'segments' | 'followLog' | 'bindingReviews' | 'campaigns' | 'automation' | 'dashboard' | 'reports' | 'pms' | 'settings' | 'accounts' | 'auditLog' | 'tenants';

/** `upcoming`: the module is announced in the menu but not built yet (its page says so). */
export type NavItem = { key: NavKey; path: string; icon: ReactNode; access: AccessRule; upcoming?: true };

const HOTEL = ['hotel'] as const;

/** The left menu, in order. The same rules guard the routes, so a hidden item is also a refused URL. */
export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'members', path: '/members', icon: <TeamOutlined />, access: { tenantKinds: HOTEL, permissions: ['members.read'] } },
  { key: 'tags', path: '/tags', icon: <TagsOutlined />, access: { tenantKinds: HOTEL, permissions: ['members.read'] } },
  { key: 'segments', path: '/segments', icon: <ClusterOutlined />, access: { tenantKinds: HOTEL, permissions: ['members.read'] } },
  { key: 'followLog', path: '/follow-log', icon: <HistoryOutlined />, access: { tenantKinds: HOTEL, permissions: ['members.read'] } },
  { key: 'bindingReviews', path: '/binding-reviews', icon: <LinkOutlined />, access: { tenantKinds: HOTEL, permissions: ['members.edit'] } },
  { key: 'campaigns', path: '/campaigns', icon: <NotificationOutlined />, access: { tenantKinds: HOTEL, permissions: ['campaigns.edit', 'campaigns.push'] } },
  { key: 'automation', path: '/automation', icon: <ThunderboltOutlined />, access: { tenantKinds: HOTEL, permissions: ['campaigns.edit', 'campaigns.push'] } },
  { key: 'dashboard', path: '/dashboard', icon: <DashboardOutlined />, access: { tenantKinds: HOTEL }, upcoming: true },
  { key: 'reports', path: '/reports', icon: <FileTextOutlined />, access: { tenantKinds: HOTEL, permissions: ['reports.download'] }, upcoming: true },
  { key: 'pms', path: '/pms', icon: <ApiOutlined />, access: { tenantKinds: HOTEL, permissions: ['settings.manage'] }, upcoming: true },
  { key: 'settings', path: '/settings', icon: <SettingOutlined />, access: { tenantKinds: HOTEL, permissions: ['settings.manage'] } },
  { key: 'tenants', path: '/tenants', icon: <BankOutlined />, access: { tenantKinds: ['platform'], permissions: ['platform.tenants'] } },
  { key: 'accounts', path: '/accounts', icon: <SafetyCertificateOutlined />, access: { permissions: ['accounts.manage'] } },
  { key: 'auditLog', path: '/audit-log', icon: <AuditOutlined />, access: { permissions: ['audit.read'] } },
];

export function navItem(key: NavKey): NavItem {
  const item = NAV_ITEMS.find((candidate) => candidate.key === key);
  if (!item) throw new Error(`Unknown navigation item ${key}`);
  return item;
}

/**
 * Where the day starts after sign-in: the first menu page the account may use that is built, so nobody lands on a
 * "coming soon" page; an account that may use none of them gets its own account page.
 */
export function homePath(allows: (rule: AccessRule) => boolean): string {
  return NAV_ITEMS.find((item) => !item.upcoming && allows(item.access))?.path ?? '/my-account';
}
