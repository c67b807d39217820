import type { QueryClient } from '@tanstack/react-query';
import { maybeSignedIn } from '../../lib/session-hint.ts';
import { wasSignedIn } from '../../lib/signed-in-hint.ts';
import { primeSession, probeSessionEarly } from '../../session/api.ts';
import { createSession } from '../../session/session-context.ts';
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
export function preloadFirstPage(pathname: string, search: string, queryClient: QueryClient): Promise<void> {
  if (pathname.startsWith('/liff/')) return Promise.resolve();
  if (!PUBLIC_PAGES[pathname] || (pathname === '/login' && maybeSignedIn())) probeSessionEarly();
  const menuKey = NAV_ITEMS.find((item) => item.path === pathname)?.key;
  const signedIn = !PUBLIC_PAGES[pathname] && wasSignedIn();
  const page = PUBLIC_PAGES[pathname] ?? (signedIn ? menuKey && Pages.MENU_PAGES[menuKey] : Pages.LoginPage);
  void page?.preload();
  if (!signedIn) return Promise.resolve();
  void Pages.AppLayout.preload();
  const ready = primeSignedInPage(pathname, search, queryClient, page?.preload());
  return Promise.race([ready.catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, FIRST_PAGE_WAIT_MS))]);
}

/**
 * How long the first render may wait for what a signed-in first page draws (the session, the layout's and the page's
 * code, the page's first data: all asked for before the app's scripts ran, public/early-requests.js). On a cold load
 * they are usually all here by the time the scripts have run; a slow answer after this shows the page loading, as before.
 */
const FIRST_PAGE_WAIT_MS = 250;

/**
 * The session and the page's first data in the query cache before the first render, with the layout's and the page's
 * code: React then draws the signed-in page with its rows in one render and one layout, instead of a spinner, then the
 * page with an empty table, then its rows (three renders and three layouts of the page, ~100 ms of a cold load).
 */
async function primeSignedInPage(pathname: string, search: string, queryClient: QueryClient, page: Promise<unknown> | undefined): Promise<void> {
  const me = await primeSession(queryClient);
  if (!me) return;
  // The page data's code is in the layout's chunk (vite.config.ts SIGNED_IN_FIRST_PAGE), fetched at once above.
  const { prefetchPageData } = await import('./page-data.ts');
  await Promise.all([Pages.AppLayout.preload(), page, prefetchPageData(queryClient, pathname, search, createSession(me).allows)]);
}
