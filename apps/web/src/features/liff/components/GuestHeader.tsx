import { useTranslation } from 'react-i18next';
import { displayableImageUrl } from '../../../lib/image-url.ts';
import type { PortalConfig } from '../api.ts';

type Props = { config: PortalConfig | undefined; displayName: string | null; pictureUrl: string | null };

/** The hotel's cover image, its name, and who is signed in with LINE. */
export function GuestHeader({ config, displayName, pictureUrl }: Props) {
  const { t } = useTranslation();
  const cover = displayableImageUrl(config?.settings.coverImageUrl);
  const picture = displayableImageUrl(pictureUrl);
  const initial = (displayName ?? config?.tenant.name ?? '?').trim().charAt(0) || '?';
  return (
    <header data-testid="liff-header">
      {cover ? <img className="liff-cover" src={cover} alt="" /> : null}
      <div className="liff-header">
        {picture ? (
          <img className="liff-avatar" src={picture} alt="" />
        ) : (
          <span className="liff-avatar" aria-hidden="true">
            {initial}
          </span>
        )}
        <div style={{ minWidth: 0 }}>
          <h1>{config?.tenant.name ?? t('liff.memberArea')}</h1>
          {displayName ? <p data-testid="liff-guest-name">{t('liff.greeting', { name: displayName })}</p> : null}
        </div>
      </div>
    </header>
  );
}
