import { wasSignedIn } from '../../lib/signed-in-hint.ts';
import * as Pages from './lazy-pages.ts';

const PUBLIC_PAGES: Record<string, Pages.LazyPage<object>> = {
  '/login': Pages.LoginPage,
  '/forgot-password': Pages.ForgotPasswordPage,
  '/set-password': Pages.SetPasswordPage,
  '/demo-mailbox': Pages.DemoMailboxPage,
};

/**
 * Starts fetching the code of the page the app is about to show while the session is being checked, instead of after:
 * a public page's own, or — for a browser that was not signed in — the sign-in page every other address leads to.
 */
export function preloadFirstPage(pathname: string): void {
  const page = PUBLIC_PAGES[pathname] ?? (pathname.startsWith('/liff/') || wasSignedIn() ? undefined : Pages.LoginPage);
  void page?.preload();
}
