import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api-error.ts';
import type { GuestApi, MemberCard, PortalConfig } from '../api.ts';
import { CustomButtons } from './CustomButtons.tsx';
import { joinedDate } from './joined-date.ts';
import { MemberCodes } from './MemberCodes.tsx';

type Props = {
  config: PortalConfig;
  member: MemberCard;
  api: GuestApi;
  /** Set right after binding: how the guest was matched. */
  justBound: 'linked' | 'created' | undefined;
  onMemberChange: (member: MemberCard) => void;
  onExpired: () => void;
};

/** A bound guest: the member card to show at the front desk, the offers switch and the hotel's links. */
export function MemberArea({ config, member, api, justBound, onMemberChange, onExpired }: Props) {
  const { t, i18n } = useTranslation();
  const [saving, setSaving] = useState(false);
  const [optInError, setOptInError] = useState<string>();
  const name = `${member.lastName}${member.firstName}`.trim() || t('liff.card.noName');
  const { showQrCode, showBarcode } = config.settings.memberCard;

  const toggleOffers = async () => {
    setSaving(true);
    setOptInError(undefined);
    try {
      onMemberChange(await api.setOptIn(!member.marketingOptIn));
    } catch (error) {
      if (isApiError(error) && error.code === 'liff.invalid_token') onExpired();
      else setOptInError(isApiError(error) ? error.message : t('liff.errors.unexpected'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      {justBound ? (
        <section className="liff-section" style={{ paddingBottom: 0, background: 'transparent' }}>
          <div className="liff-alert liff-alert-success" role="status" data-testid="liff-bound-notice" data-status={justBound}>
            <strong>{t('liff.bound.title')}</strong> {t(`liff.bound.${justBound}`)}
          </div>
        </section>
      ) : null}
      <section className="liff-section" aria-label={t('liff.card.title')}>
        <div className="liff-card" data-testid="liff-member-card">
          <div className="liff-card-top">
            <span>{config.tenant.name}</span>
            <span>{t('liff.card.title')}</span>
          </div>
          <div className="liff-card-name" data-testid="liff-member-name">
            {name}
          </div>
          <div>
            <span className="liff-sr-only">{t('liff.card.memberNo')}</span>
            <span className="liff-card-no" data-testid="liff-member-no">
              {member.memberNo}
            </span>
          </div>
          <div style={{ fontSize: 13, opacity: 0.85, marginTop: 4 }}>{t('liff.card.joined', { date: joinedDate(member.joinedAt, i18n.language, config.tenant.timezone) })}</div>
        </div>
        <MemberCodes memberNo={member.memberNo} showQrCode={showQrCode} showBarcode={showBarcode} />
      </section>
      <section className="liff-section">
        <div className="liff-switch-row">
          <div>
            <div className="liff-label" id="liff-offers-label" style={{ marginBottom: 2 }}>
              {t('liff.offers.label')}
            </div>
            <div className="liff-muted" id="liff-offers-help">
              {member.marketingOptIn ? t('liff.offers.on', { hotel: config.tenant.name }) : t('liff.offers.off')}
            </div>
          </div>
          <button
            type="button"
            role="switch"
            className="liff-switch"
            aria-checked={member.marketingOptIn}
            aria-labelledby="liff-offers-label"
            aria-describedby="liff-offers-help"
            disabled={saving}
            onClick={() => void toggleOffers()}
            data-testid="liff-offers"
          />
        </div>
        {optInError ? (
          <p className="liff-error-text" role="alert">
            {optInError}
          </p>
        ) : null}
      </section>
      <CustomButtons buttons={config.buttons} />
    </>
  );
}
