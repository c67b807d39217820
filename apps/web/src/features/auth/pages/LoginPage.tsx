import { useQueryClient } from '@tanstack/react-query';
import { Alert, Flex, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { readLoginState } from '../../../session/location-state.ts';
import { meQueryKey, useMe } from '../../../session/api.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { maybeSignedIn } from '../../../lib/session-hint.ts';
import { usePendingChallenge, type Challenge } from '../api.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { DemoMailboxHint } from '../components/DemoMailboxHint.tsx';
import { PasswordStep } from '../components/PasswordStep.tsx';
import { SecondFactorStep } from '../components/SecondFactorStep.tsx';
import { SignedInElsewhere } from '../components/SignedInElsewhere.tsx';

type Step = { kind: 'password' } | { kind: 'code'; challenge: Challenge; justSent: boolean };

export function LoginPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const queryClient = useQueryClient();
  const state = readLoginState(location.state);
  // Asking the server is only worth it when this browser may be signed in (see session-hint).
  const [checkSession, setCheckSession] = useState(maybeSignedIn);
  const me = useMe({ enabled: checkSession, fresh: true });
  // A just-ended session may still be cached for a moment; only a checked one counts.
  const account = checkSession ? me.data : undefined;
  const halfwaySignedIn = checkSession && isApiError(me.error) && me.error.code === 'auth.second_factor_required';
  const pending = usePendingChallenge(halfwaySignedIn);
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [email, setEmail] = useState(state.email);
  const [notice, setNotice] = useState(state.notice);

  // A reload (or a trip to the demo mailbox) during the code step resumes it instead of asking for the password again.
  useEffect(() => {
    if (pending.data) setStep((current) => (current.kind === 'password' ? { kind: 'code', challenge: pending.data, justSent: false } : current));
  }, [pending.data]);

  if (account && email && email.trim().toLowerCase() !== account.account.email) {
    return (
      <AuthCard title={t('login.title')}>
        {state.success ? <Alert role="status" type="success" showIcon title={state.success} style={{ marginBottom: 16 }} /> : null}
        <SignedInElsewhere
          me={account}
          email={email}
          from={state.from}
          onSignedOut={() => {
            setCheckSession(false);
            queryClient.removeQueries({ queryKey: meQueryKey });
          }}
        />
      </AuthCard>
    );
  }
  if (account) return <Navigate to={state.from ?? '/'} replace />;
  if (me.isLoading || (halfwaySignedIn && pending.isPending)) {
    return (
      <Flex justify="center" style={{ width: '100%', paddingTop: 48 }}>
        <Spin size="large" />
      </Flex>
    );
  }

  const restart = (reason?: string) => {
    setNotice(reason);
    setStep({ kind: 'password' });
  };
  // Fetching the account (again) makes the page render the redirect above.
  const signedIn = () => {
    void queryClient.resetQueries({ queryKey: meQueryKey });
    setCheckSession(true);
  };

  return (
    <AuthCard
      title={step.kind === 'password' ? t('login.title') : t('login.codeTitle')}
      description={step.kind === 'password' ? t('login.subtitle') : undefined}
    >
      {state.success && step.kind === 'password' ? <Alert role="status" type="success" showIcon title={state.success} style={{ marginBottom: 16 }} /> : null}
      {notice ? <Alert role="status" type="warning" showIcon title={notice} style={{ marginBottom: 16 }} data-testid="login-notice" /> : null}
      {step.kind === 'password' ? (
        <PasswordStep
          initialEmail={email}
          onChallenge={(challenge, address) => {
            setNotice(undefined);
            setEmail(address);
            setStep({ kind: 'code', challenge, justSent: true });
          }}
        />
      ) : (
        <SecondFactorStep challenge={step.challenge} justSent={step.justSent} onSignedIn={signedIn} onRestart={restart} />
      )}
      <DemoMailboxHint />
    </AuthCard>
  );
}
