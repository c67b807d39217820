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
export const MembersPage = lazyNamed(() => import('../../features/members/pages/MembersPage.tsx'), 'MembersPage');
export const MemberDetailPage = lazyNamed(() => import('../../features/members/pages/MemberDetailPage.tsx'), 'MemberDetailPage');
export const DeletedMembersPage = lazyNamed(() => import('../../features/members/pages/DeletedMembersPage.tsx'), 'DeletedMembersPage');
export const MemberImportPage = lazyNamed(() => import('../../features/member-import/pages/MemberImportPage.tsx'), 'MemberImportPage');
export const TagsPage = lazyNamed(() => import('../../features/tags/pages/TagsPage.tsx'), 'TagsPage');
export const SegmentsPage = lazyNamed(() => import('../../features/segments/pages/SegmentsPage.tsx'), 'SegmentsPage');
export const SegmentEditorPage = lazyNamed(() => import('../../features/segments/pages/SegmentEditorPage.tsx'), 'SegmentEditorPage');
export const FollowLogPage = lazyNamed(() => import('../../features/follow-log/pages/FollowLogPage.tsx'), 'FollowLogPage');
export const BindingReviewsPage = lazyNamed(() => import('../../features/binding-reviews/pages/BindingReviewsPage.tsx'), 'BindingReviewsPage');
// campaigns (h/campaigns)
export const CampaignsPage = lazyNamed(() => import('../../features/campaigns/pages/CampaignsPage.tsx'), 'CampaignsPage');
export const CampaignEditorPage = lazyNamed(() => import('../../features/campaigns/pages/CampaignEditorPage.tsx'), 'CampaignEditorPage');
/** The guest page opened inside LINE: no session, no admin layout (liff.html serves it on its own, see features/liff/main.tsx). */
export const LiffPage = lazyNamed(() => import('../../features/liff/LiffRoutePage.tsx'), 'LiffRoutePage');
export const ComingSoonPage = lazyNamed(() => import('../../features/coming-soon/ComingSoonPage.tsx'), 'ComingSoonPage');
