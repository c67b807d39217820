import { useEffect } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { guestApi } from './api.ts';
import { StateScreen } from './components/StateScreen.tsx';
import { applyGuestLocale, liffI18n, localeFromLine } from './i18n.ts';
import { startLiff } from './sdk/liff-client.ts';
import './liff.css';

type Props = {
  tenantId: string;
  channelId: string;
  /** The link id of the tracked button (`…/c/<link>`). */
  link: string;
  /**
   * LINE's first hop (`?liff.state=/c/<link>`): the LIFF SDK is started only to carry the guest on to `…/c/<link>`,
   * where the click is reported once.
   */
  primaryRedirect: boolean;
};

/**
 * A tracked campaign link opened in LINE: the guest's LIFF ID token goes with the click to Innkeeper, which counts it,
 * tags the guest (in the background) and answers with the button's target, where the page sends the guest at once.
 * Outside LINE (no sign-in is asked for a link) or when anything fails, Innkeeper's own redirect counts the click
 * anonymously and sends the guest on: nobody is ever stuck here.
 */
export function ClickRedirect(props: Props) {
  return (
    <I18nextProvider i18n={liffI18n}>
      <Redirecting {...props} />
    </I18nextProvider>
  );
}

/** Once per page load, whatever React does with effects (StrictMode runs them twice in development). */
let reported = false;

function Redirecting({ tenantId, channelId, link, primaryRedirect }: Props) {
  const { t } = useTranslation();
  useEffect(() => {
    if (reported) return;
    reported = true;
    const anonymous = `/c/${encodeURIComponent(tenantId)}/${encodeURIComponent(link)}`;
    void (async () => {
      try {
        const config = await guestApi(tenantId, channelId, undefined).config();
        const start = await startLiff(config.channel.liffId, { login: false });
        if (primaryRedirect) {
          const base = window.location.pathname.replace(/\/$/, '');
          window.location.replace(`${base}/c/${encodeURIComponent(link)}`);
          return;
        }
        if (start.kind !== 'ready') {
          window.location.replace(anonymous);
          return;
        }
        applyGuestLocale(localeFromLine(start.session.language));
        const { url } = await guestApi(tenantId, channelId, start.session.idToken).click(link);
        window.location.replace(url);
      } catch {
        window.location.replace(anonymous);
      }
    })();
  }, [tenantId, channelId, link, primaryRedirect]);

  return (
    <main className="liff-main">
      <StateScreen spinner title={t('liff.click.opening')} body={t('liff.click.openingBody')} testId="liff-click" />
    </main>
  );
}
