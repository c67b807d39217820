import { useTranslation } from 'react-i18next';
import type { PortalButton } from '../../member-portal/index.ts';
import { displayableImageUrl } from '../../../lib/image-url.ts';

/** The hotel's own links (booking, facilities, offers…), as image tiles. */
export function CustomButtons({ buttons }: { buttons: PortalButton[] }) {
  const { t } = useTranslation();
  if (buttons.length === 0) return null;
  return (
    <section className="liff-section" aria-labelledby="liff-buttons-title">
      <h2 id="liff-buttons-title">{t('liff.buttonsTitle')}</h2>
      <ul className="liff-tiles" data-testid="liff-buttons">
        {buttons.map((button) => {
          const image = displayableImageUrl(button.imageUrl);
          return (
            <li key={button.id}>
              <a className="liff-tile" href={button.linkUrl} target="_blank" rel="noopener noreferrer" data-testid="liff-custom-button">
                {image ? (
                  <img src={image} alt="" />
                ) : (
                  <span className="liff-tile-icon" aria-hidden="true">
                    ↗
                  </span>
                )}
                <span>{button.label}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
