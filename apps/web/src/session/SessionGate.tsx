import { useEffect, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { FullPageSpin } from '../components/FullPageSpin.tsx';
import { QueryErrorResult } from '../components/QueryErrorResult.tsx';
import { isApiError } from '../lib/api-error.ts';
import { changeLocale, i18n, storeLocale } from '../lib/i18n.ts';
import { rememberSignedIn } from '../lib/signed-in-hint.ts';
import type { LoginLocationState } from './location-state.ts';
import { useMe } from './api.ts';
import { createSession, SessionContext } from './session-context.ts';

/** Renders its children only for a fully signed-in session; anyone else is sent to /login and brought back afterwards. */
export function SessionGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const session = useMemo(() => (me.data ? createSession(me.data) : undefined), [me.data]);
  const accountLocale = me.data?.account.locale;

  // The account's saved language wins once signed in; it also becomes this browser's choice for the sign-in page.
  useEffect(() => {
    if (!accountLocale) return;
    storeLocale(accountLocale);
    if (i18n.language !== accountLocale) void changeLocale(accountLocale);
  }, [accountLocale]);

  const error = me.error;
  const signedOut = isApiError(error) && (error.isSessionEnded || error.code === 'auth.second_factor_required');
  useEffect(() => {
    if (session) rememberSignedIn(true);
    else if (signedOut) rememberSignedIn(false);
  }, [session, signedOut]);

  if (signedOut) {
    // Arriving without a session is the normal way to sign in; only a session that ended deserves a notice.
    const wasSignedIn = me.data !== undefined;
    const silent = !wasSignedIn && (error.code === 'auth.unauthenticated' || error.code === 'auth.second_factor_required');
    const notice = error.code === 'auth.unauthenticated' ? t('auth.sessionEnded') : error.message;
    const state: LoginLocationState = { from: `${location.pathname}${location.search}`, ...(silent ? {} : { notice }) };
    return <Navigate to="/login" replace state={state} />;
  }
  // A failed background refresh (server restarting, network blip) keeps the page; only a first load shows the error.
  if (!session) return me.isError ? <QueryErrorResult error={error} onRetry={() => void me.refetch()} /> : <FullPageSpin />;
  return <SessionContext value={session}>{children}</SessionContext>;
}
