import { createElement, useEffect, useReducer, type ComponentType } from 'react';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { QueryErrorResult } from '../../components/QueryErrorResult.tsx';
import type { NavKey } from '../layout/navigation.tsx';
import { chunkOnce } from './chunk-once.ts';

/** A page whose code is its own chunk, fetched on first use or earlier through `preload()`. */
export type LazyPage<P extends object> = ComponentType<P> & { preload: () => Promise<ComponentType<P>> };

/**
 * Like React.lazy for modules with named exports, but without suspending. React 19 holds back content that replaces a
 * Suspense fallback until 300 ms after the fallback appeared (to avoid flicker), so every first page waited ~300 ms
 * for a chunk that had arrived long before. Here the page shows the spinner as ordinary content and swaps itself in
 * the moment its chunk arrives; a chunk that is already there renders at once.
 */
function lazyNamed<P extends object, K extends string>(load: () => Promise<Record<K, ComponentType<P>>>, name: K): LazyPage<P> {
  const preload = chunkOnce(load, name);
  function Page(props: P) {
    const loading = preload();
    const [, arrived] = useReducer((n: number) => n + 1, 0);
    useEffect(() => {
      if (loading.status === undefined) void loading.then(arrived, arrived);
    }, [loading]);
    // The page's code could not be fetched (offline, or a deploy replaced it): say so and offer a fresh load.
    if (loading.status === 'rejected') return createElement(QueryErrorResult, { error: loading.reason, onRetry: () => window.location.reload() });
    return loading.value ? createElement(loading.value, props) : createElement(FullPageSpin);
  }
  return Object.assign(Page, { preload });
}

/**
 * The signed-in layout (the menu, the header, the user menu): the sign-in page does without it, so it is its own chunk,
 * fetched alongside the session check for a browser last seen signed in (first-page.ts), else once signed in.
 */
export const AppLayout = lazyNamed(() => import('../layout/AppLayout.tsx'), 'AppLayout');
export const LoginPage = lazyNamed(() => import('../../features/auth/pages/LoginPage.tsx'), 'LoginPage');
export const ForgotPasswordPage = lazyNamed(() => import('../../features/auth/pages/ForgotPasswordPage.tsx'), 'ForgotPasswordPage');
export const SetPasswordPage = lazyNamed(() => import('../../features/auth/pages/SetPasswordPage.tsx'), 'SetPasswordPage');
export const DemoMailboxPage = lazyNamed(() => import('../../features/demo-mailbox/DemoMailboxPage.tsx'), 'DemoMailboxPage');
export const AccountsPage = lazyNamed(() => import('../../features/accounts/pages/AccountsPage.tsx'), 'AccountsPage');
export const AuditLogPage = lazyNamed(() => import('../../features/audit-log/pages/AuditLogPage.tsx'), 'AuditLogPage');
export const MyAccountPage = lazyNamed(() => import('../../features/my-account/pages/MyAccountPage.tsx'), 'MyAccountPage');
export const SettingsPage = lazyNamed(() => import('../../features/settings/pages/SettingsPage.tsx'), 'SettingsPage');
export const TenantsPage = lazyNamed(() => import('../../features/platform/pages/TenantsPage.tsx'), 'TenantsPage');
export const MembersPage = lazyNamed(() => import('../../features/member-pages/pages/MembersPage.tsx'), 'MembersPage');
export const MemberDetailPage = lazyNamed(() => import('../../features/member-pages/pages/MemberDetailPage.tsx'), 'MemberDetailPage');
export const DeletedMembersPage = lazyNamed(() => import('../../features/member-pages/pages/DeletedMembersPage.tsx'), 'DeletedMembersPage');
export const MemberImportPage = lazyNamed(() => import('../../features/member-import/pages/MemberImportPage.tsx'), 'MemberImportPage');
export const TagsPage = lazyNamed(() => import('../../features/tags/pages/TagsPage.tsx'), 'TagsPage');
export const SegmentsPage = lazyNamed(() => import('../../features/segments/pages/SegmentsPage.tsx'), 'SegmentsPage');
export const SegmentEditorPage = lazyNamed(() => import('../../features/segments/pages/SegmentEditorPage.tsx'), 'SegmentEditorPage');
export const FollowLogPage = lazyNamed(() => import('../../features/follow-log/pages/FollowLogPage.tsx'), 'FollowLogPage');
export const BindingReviewsPage = lazyNamed(() => import('../../features/binding-reviews/pages/BindingReviewsPage.tsx'), 'BindingReviewsPage');
export const CampaignsPage = lazyNamed(() => import('../../features/campaigns/pages/CampaignsPage.tsx'), 'CampaignsPage');
export const CampaignEditorPage = lazyNamed(() => import('../../features/campaigns/pages/CampaignEditorPage.tsx'), 'CampaignEditorPage');
export const AutomationPage = lazyNamed(() => import('../../features/automation/pages/AutomationPage.tsx'), 'AutomationPage');
export const AutomationRuleEditorPage = lazyNamed(() => import('../../features/automation/pages/AutomationRuleEditorPage.tsx'), 'AutomationRuleEditorPage');
/** The guest page opened inside LINE: no session, no admin layout (liff.html serves it on its own, see features/liff/main.tsx). */
export const LiffPage = lazyNamed(() => import('../../features/liff/LiffRoutePage.tsx'), 'LiffRoutePage');
export const PmsPage = lazyNamed(() => import('../../features/pms/pages/PmsPage.tsx'), 'PmsPage');
export const ComingSoonPage = lazyNamed(() => import('../../features/coming-soon/ComingSoonPage.tsx'), 'ComingSoonPage');

/** The page each built menu item opens (the upcoming ones show ComingSoonPage). */
export const MENU_PAGES: Partial<Record<NavKey, LazyPage<object>>> = {
  members: MembersPage,
  tags: TagsPage,
  segments: SegmentsPage,
  followLog: FollowLogPage,
  bindingReviews: BindingReviewsPage,
  campaigns: CampaignsPage,
  automation: AutomationPage,
  pms: PmsPage,
  settings: SettingsPage,
  accounts: AccountsPage,
  auditLog: AuditLogPage,
  tenants: TenantsPage,
};
