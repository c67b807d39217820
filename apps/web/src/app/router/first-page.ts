import { wasSignedIn } from '../../lib/signed-in-hint.ts';
import { NAV_ITEMS } from '../layout/navigation.tsx';
import * as Pages from './lazy-pages.ts';

const PUBLIC_PAGES: Record<string, Pages.LazyPage<object>> = {
  '/login': Pages.LoginPage,
  '/forgot-password': Pages.ForgotPasswordPage,
  '/set-password': Pages.SetPasswordPage,
  '/demo-mailbox': Pages.DemoMailboxPage,
};

/**
 * Starts fetching the code of the page the app is about to show while the session is being checked, instead of after:
 * a public page's own; for a browser that was signed in, the menu page at this address; otherwise the sign-in page
 * every other address leads to.
 */
export function preloadFirstPage(pathname: string): void {
  if (pathname.startsWith('/liff/')) return;
  const menuKey = NAV_ITEMS.find((item) => item.path === pathname)?.key;
  const page = PUBLIC_PAGES[pathname] ?? (wasSignedIn() ? menuKey && Pages.MENU_PAGES[menuKey] : Pages.LoginPage);
  void page?.preload();
}
