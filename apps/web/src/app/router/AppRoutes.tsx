import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { NotFoundResult } from '../../components/NotFoundResult.tsx';
import { AppLayout } from '../layout/AppLayout.tsx';
import { navItem, type NavKey } from '../layout/navigation.tsx';
import { PublicLayout } from '../layout/PublicLayout.tsx';
import { SessionEndRedirect } from '../layout/SessionEndRedirect.tsx';
import { RequireAccess } from '../session/RequireAccess.tsx';
import { SessionGate } from '../session/SessionGate.tsx';
import { useSession } from '../session/session-context.ts';
import * as Pages from './lazy-pages.ts';

/** A menu page behind the same rule that shows or hides its menu item. */
function guarded(key: NavKey, page: ReactNode) {
  const item = navItem(key);
  return <Route path={item.path} element={<RequireAccess rule={item.access}>{page}</RequireAccess>} />;
}

function HomeRedirect() {
  const { me, can } = useSession();
  if (me.tenant.kind === 'hotel') return <Navigate to="/dashboard" replace />;
  return <Navigate to={can('platform.tenants') ? '/tenants' : '/my-account'} replace />;
}

export function AppRoutes() {
  return (
    <>
      <SessionEndRedirect />
      <Routes>
        <Route element={<PublicLayout />}>
          <Route path="/login" element={<Pages.LoginPage />} />
          <Route path="/forgot-password" element={<Pages.ForgotPasswordPage />} />
          <Route path="/set-password" element={<Pages.SetPasswordPage />} />
          <Route path="/demo-mailbox" element={<Pages.DemoMailboxPage />} />
        </Route>
        <Route
          element={
            <SessionGate>
              <AppLayout />
            </SessionGate>
          }
        >
          <Route index element={<HomeRedirect />} />
          {guarded('members', <Pages.ComingSoonPage module="members" />)}
          {guarded('tags', <Pages.ComingSoonPage module="tags" />)}
          {guarded('campaigns', <Pages.ComingSoonPage module="campaigns" />)}
          {guarded('dashboard', <Pages.ComingSoonPage module="dashboard" />)}
          {guarded('reports', <Pages.ComingSoonPage module="reports" />)}
          {guarded('pms', <Pages.ComingSoonPage module="pms" />)}
          {guarded('settings', <Pages.SettingsPage />)}
          {guarded('accounts', <Pages.AccountsPage />)}
          {guarded('auditLog', <Pages.AuditLogPage />)}
          {guarded('tenants', <Pages.TenantsPage />)}
          <Route path="/my-account" element={<Pages.MyAccountPage />} />
          <Route path="*" element={<NotFoundResult />} />
        </Route>
      </Routes>
    </>
  );
}
