import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { onSessionEnded, setCsrfToken } from '../../lib/api-client.ts';
import { setMaybeSignedIn } from '../../lib/session-hint.ts';
import type { LoginLocationState } from '../../session/location-state.ts';

/** Any API call that finds the session gone sends the person to /login with the server's explanation. */
export function SessionEndRedirect() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  useEffect(
    () =>
      onSessionEnded((error) => {
        // "Please sign in" reads oddly to someone who was signed in a moment ago (e.g. signed out from another device).
        const notice = error.code === 'auth.unauthenticated' ? t('auth.sessionEnded') : error.message;
        const state: LoginLocationState = { notice, from: `${window.location.pathname}${window.location.search}` };
        setCsrfToken(undefined);
        setMaybeSignedIn(false);
        void navigate('/login', { replace: true, state });
        // After leaving the signed-in pages, so nothing re-fetches with the dead session.
        queueMicrotask(() => queryClient.clear());
      }),
    [navigate, queryClient, t],
  );
  return null;
}
