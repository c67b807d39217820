import { Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { LazyNotFoundResult } from '../../components/lazy-results.tsx';
import { homePath, navItem, type NavKey } from '../layout/navigation.tsx';
import { PublicLayout } from '../layout/PublicLayout.tsx';
import { SessionChangedNotice } from '../layout/SessionChangedNotice.tsx';
import { SessionEndRedirect } from '../layout/SessionEndRedirect.tsx';
import { RequireAccess } from '../../session/RequireAccess.tsx';
import { SessionGate } from '../../session/SessionGate.tsx';
import type { AccessRule } from '../../session/types.ts';
import { useSession } from '../../session/session-context.ts';
import * as Pages from './lazy-pages.ts';

/** A menu page behind the same rule that shows or hides its menu item. */
function guarded(key: NavKey, page: ReactNode) {
  const item = navItem(key);
  return <Route key={item.path} path={item.path} element={<RequireAccess rule={item.access}>{page}</RequireAccess>} />;
}

/** A page below a menu item (e.g. /members/:memberId), behind the item's rule or a stricter one. */
function guardedBelow(key: NavKey, path: string, page: ReactNode, rule: AccessRule = navItem(key).access) {
  return <Route path={path} element={<RequireAccess rule={rule}>{page}</RequireAccess>} />;
}

const menuPages = Object.entries(Pages.MENU_PAGES) as Array<[NavKey, Pages.LazyPage<object>]>;

const MEMBERS_EDIT: AccessRule = { tenantKinds: ['hotel'], permissions: ['members.edit'] };

function HomeRedirect() {
  const { allows } = useSession();
  return <Navigate to={homePath(allows)} replace />;
}

export function AppRoutes() {
  return (
    <>
      <SessionEndRedirect />
      <SessionChangedNotice />
      <Routes>
        <Route element={<PublicLayout />}>
          <Route path="/login" element={<Pages.LoginPage />} />
          <Route path="/forgot-password" element={<Pages.ForgotPasswordPage />} />
          <Route path="/set-password" element={<Pages.SetPasswordPage />} />
          <Route path="/demo-mailbox" element={<Pages.DemoMailboxPage />} />
        </Route>
        {/* Guests in LINE (LIFF): public, mobile, outside the admin layout and the session gate. */}
        <Route
          path="/liff/:tenantId/:channelId"
          element={
            <Suspense fallback={null}>
              <Pages.LiffPage />
            </Suspense>
          }
        />
        <Route
          element={
            <SessionGate>
              <Pages.AppLayout />
            </SessionGate>
          }
        >
          <Route index element={<HomeRedirect />} />
          {menuPages.map(([key, Page]) => guarded(key, <Page />))}
          {guardedBelow('members', '/members/deleted', <Pages.DeletedMembersPage />)}
          {guardedBelow('members', '/members/import', <Pages.MemberImportPage />, MEMBERS_EDIT)}
          {/* A typed or bookmarked /members/new opens the list with the create form, as the 新增會員 button does; its own
              key makes moving between /members and /members/new a new page, so `creating` is read afresh. */}
          {guardedBelow('members', '/members/new', <Pages.MembersPage key="new" creating />, MEMBERS_EDIT)}
          {guardedBelow('members', '/members/:memberId', <Pages.MemberDetailPage />)}
          {guardedBelow('segments', '/segments/new', <Pages.SegmentEditorPage />)}
          {guardedBelow('segments', '/segments/:segmentId', <Pages.SegmentEditorPage />)}
          {guardedBelow('campaigns', '/campaigns/new', <Pages.CampaignEditorPage />, { tenantKinds: ['hotel'], permissions: ['campaigns.edit'] })}
          {guardedBelow('campaigns', '/campaigns/:campaignId', <Pages.CampaignEditorPage />)}
          {guardedBelow('automation', '/automation/new', <Pages.AutomationRuleEditorPage />, { tenantKinds: ['hotel'], permissions: ['campaigns.edit'] })}
          {guardedBelow('automation', '/automation/:ruleId', <Pages.AutomationRuleEditorPage />)}
          {guarded('dashboard', <Pages.ComingSoonPage module="dashboard" />)}
          {guarded('reports', <Pages.ComingSoonPage module="reports" />)}
          <Route path="/my-account" element={<Pages.MyAccountPage />} />
          <Route path="*" element={<LazyNotFoundResult />} />
        </Route>
      </Routes>
    </>
  );
}
