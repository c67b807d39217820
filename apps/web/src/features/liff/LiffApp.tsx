import { useCallback, useEffect, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { isApiError } from '../../lib/api-error.ts';
import { guestApi, type BindResult, type GuestView, type MemberCard, type PortalConfig } from './api.ts';
import { CustomButtons } from './components/CustomButtons.tsx';
import { GuestHeader } from './components/GuestHeader.tsx';
import { DoneIcon, ProblemIcon, WaitingIcon } from './components/icons.tsx';
import { MemberArea } from './components/MemberArea.tsx';
import { RegistrationForm } from './components/RegistrationForm.tsx';
import { StateScreen } from './components/StateScreen.tsx';
import { applyGuestLocale, liffI18n, localeFromLine } from './i18n.ts';
import { LiffSetupError, startLiff, type LiffSession } from './sdk/liff-client.ts';
import './liff.css';

type Problem = 'not_found' | 'no_liff' | 'expired' | 'sdk' | 'load';

type Phase =
  | { kind: 'loading'; config?: PortalConfig }
  | { kind: 'redirecting' }
  | { kind: 'problem'; problem: Problem; message?: string; config?: PortalConfig; session?: LiffSession }
  | { kind: 'ready'; config: PortalConfig; session: LiffSession; view: GuestView; justBound?: 'linked' | 'created' | undefined; joining?: boolean }
  | { kind: 'closed'; config: PortalConfig; session: LiffSession };

type Props = { tenantId: string; channelId: string };

/** The guest page opened from the LINE Official Account (LIFF), in its own language instance and styles. */
export function LiffApp(props: Props) {
  return (
    <I18nextProvider i18n={liffI18n}>
      <GuestPage {...props} />
    </I18nextProvider>
  );
}

function problemOf(error: unknown): { problem: Problem; message?: string } {
  if (error instanceof LiffSetupError) return { problem: error.reason === 'no_liff_id' ? 'no_liff' : 'sdk' };
  if (isApiError(error)) {
    if (error.code === 'line.channel_not_found' || error.code === 'request.validation' || error.status === 404) return { problem: 'not_found' };
    if (error.code === 'liff.invalid_token') return { problem: 'expired' };
    return { problem: 'load', message: error.message };
  }
  return { problem: 'load' };
}

function GuestPage({ tenantId, channelId }: Props) {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const session = 'session' in phase ? phase.session : undefined;
  const api = useMemo(() => guestApi(tenantId, channelId, session?.idToken), [tenantId, channelId, session?.idToken]);

  useEffect(() => {
    let current = true;
    let config: PortalConfig | undefined;
    let started: LiffSession | undefined;
    void (async () => {
      try {
        config = await guestApi(tenantId, channelId, undefined).config();
        if (current) setPhase({ kind: 'loading', config });
        const start = await startLiff(config.channel.liffId);
        if (start.kind !== 'ready') {
          if (current) setPhase({ kind: 'redirecting' });
          return;
        }
        started = start.session;
        applyGuestLocale(localeFromLine(start.session.language));
        const view = await guestApi(tenantId, channelId, start.session.idToken).me();
        if (current) setPhase({ kind: 'ready', config, session: start.session, view });
      } catch (error) {
        if (current) setPhase({ kind: 'problem', ...problemOf(error), ...(config ? { config } : {}), ...(started ? { session: started } : {}) });
      }
    })();
    return () => {
      current = false;
    };
  }, [tenantId, channelId, attempt]);

  // LINE shows the page title in the LIFF view's header bar.
  const hotel = 'config' in phase ? phase.config?.tenant.name : undefined;
  useEffect(() => {
    document.title = hotel ? `${t('liff.memberArea')} · ${hotel}` : t('liff.memberArea');
  }, [hotel, t]);

  const expire = useCallback(() => setPhase((previous) => ({ kind: 'problem', problem: 'expired', ...('config' in previous && previous.config ? { config: previous.config } : {}) })), []);

  const close = async () => {
    if (!session || !('config' in phase) || !phase.config) return;
    const config = phase.config;
    const closed = await session.close();
    if (!closed) setPhase({ kind: 'closed', config, session });
  };

  const config = 'config' in phase ? phase.config : undefined;
  const closeButton = session ? (
    <section className="liff-section">
      <button type="button" className="liff-button liff-button-secondary" onClick={() => void close()} data-testid="liff-close">
        {t('liff.close')}
      </button>
    </section>
  ) : null;

  let body;
  switch (phase.kind) {
    case 'loading':
    case 'redirecting':
      body = <StateScreen spinner title={phase.kind === 'redirecting' ? t('liff.state.redirecting') : t('liff.state.loading')} testId="liff-loading" />;
      break;
    case 'problem':
      body = (
        <>
          <StateScreen icon={<ProblemIcon />} title={t(`liff.problems.${phase.problem}.title`)} body={phase.message ?? t(`liff.problems.${phase.problem}.body`)} testId="liff-error">
            {phase.problem === 'load' || phase.problem === 'sdk' || phase.problem === 'expired' ? (
              <button type="button" className="liff-button liff-button-primary" onClick={() => (phase.problem === 'expired' ? window.location.reload() : setAttempt((n) => n + 1))} data-testid="liff-retry">
                {t('liff.retry')}
              </button>
            ) : null}
          </StateScreen>
          {closeButton}
        </>
      );
      break;
    case 'closed':
      body = <StateScreen icon={<DoneIcon />} title={t('liff.state.closedTitle')} body={t('liff.state.closedBody')} testId="liff-closed" />;
      break;
    case 'ready': {
      const { view, config: ready } = phase;
      const { settings } = ready;
      const onBound = (result: BindResult) =>
        setPhase({
          ...phase,
          view: { ...view, member: result.member, pendingReview: result.status === 'pending_review' },
          justBound: result.status === 'pending_review' ? undefined : result.status,
          joining: false,
        });
      const onMemberChange = (member: MemberCard) => setPhase({ ...phase, view: { ...view, member } });
      if (view.member) {
        body = <MemberArea config={ready} member={view.member} api={api} justBound={phase.justBound} onMemberChange={onMemberChange} onExpired={expire} />;
      } else if (view.pendingReview) {
        body = (
          <>
            <StateScreen icon={<WaitingIcon />} title={t('liff.pending.title')} body={t('liff.pending.body', { hotel: ready.tenant.name })} testId="liff-pending">
              <button type="button" className="liff-button liff-button-secondary" onClick={() => setAttempt((n) => n + 1)} data-testid="liff-refresh">
                {t('liff.pending.check')}
              </button>
            </StateScreen>
            {settings.requireRegistration ? null : <CustomButtons buttons={ready.buttons} />}
          </>
        );
      } else if (!ready.bindingAvailable) {
        // No SMS provider: the mobile cannot be confirmed, so binding is off; say so instead of a form that fails.
        body = (
          <>
            <StateScreen title={t('liff.unavailable.title')} body={t('liff.unavailable.body', { hotel: ready.tenant.name })} testId="liff-binding-unavailable" />
            {settings.requireRegistration ? null : <CustomButtons buttons={ready.buttons} />}
          </>
        );
      } else {
        const showForm = settings.requireRegistration || phase.joining === true;
        body = (
          <>
            {settings.introText ? (
              <section className="liff-section">
                <p className="liff-intro" data-testid="liff-intro">
                  {settings.introText}
                </p>
              </section>
            ) : null}
            {showForm ? (
              <RegistrationForm settings={settings} hotelName={ready.tenant.name} api={api} onBound={onBound} onExpired={expire} />
            ) : (
              <>
                <section className="liff-section">
                  <button type="button" className="liff-button liff-button-primary" onClick={() => setPhase({ ...phase, joining: true })} data-testid="liff-join">
                    {t('liff.join')}
                  </button>
                </section>
                <CustomButtons buttons={ready.buttons} />
              </>
            )}
          </>
        );
      }
      break;
    }
  }

  return (
    <div className="liff" data-testid="liff-app" data-state={phase.kind === 'ready' ? (phase.view.member ? 'member' : phase.view.pendingReview ? 'pending' : 'register') : phase.kind}>
      <div className="liff-main">
        <GuestHeader config={config} displayName={session?.displayName ?? null} pictureUrl={session?.pictureUrl ?? null} />
        <main>
          {body}
          {phase.kind === 'ready' ? closeButton : null}
        </main>
      </div>
    </div>
  );
}
