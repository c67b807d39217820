import { maybeSignedIn } from '../../lib/session-hint.ts';
import { wasSignedIn } from '../../lib/signed-in-hint.ts';
import { probeSessionEarly } from '../../session/api.ts';
import { NAV_ITEMS } from '../layout/navigation.tsx';
import * as Pages from './lazy-pages.ts';

const PUBLIC_PAGES: Record<string, Pages.LazyPage<object>> = {
  '/login': Pages.LoginPage,
  '/forgot-password': Pages.ForgotPasswordPage,
  '/set-password': Pages.SetPasswordPage,
  '/demo-mailbox': Pages.DemoMailboxPage,
};

/**
 * Before the first render, asks for the session where the page will need it (every page behind the session gate, and
 * the sign-in page of a browser that may be signed in), and starts fetching the code of the page the app is about to
 * show while the session is being checked, instead of after: a public page's own; for a browser that was signed in,
 * the menu page at this address and the signed-in layout around it; otherwise the sign-in page every other address
 * leads to.
 */
export function preloadFirstPage(pathname: string): void {
  if (pathname.startsWith('/liff/')) return;
  if (!PUBLIC_PAGES[pathname] || (pathname === '/login' && maybeSignedIn())) probeSessionEarly();
  const menuKey = NAV_ITEMS.find((item) => item.path === pathname)?.key;
  const signedIn = !PUBLIC_PAGES[pathname] && wasSignedIn();
  const page = PUBLIC_PAGES[pathname] ?? (signedIn ? menuKey && Pages.MENU_PAGES[menuKey] : Pages.LoginPage);
  void page?.preload();
  if (signedIn) void Pages.AppLayout.preload();
}
