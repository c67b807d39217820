import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PortalButtonsCard } from './PortalButtonsCard.tsx';
import { PortalSettingsCard } from './PortalSettingsCard.tsx';

/** 設定 → 會員專區: the page guests open from the LINE Official Account (LIFF) to join and show their member card. */
export function MemberPortalTab() {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={16} data-testid="member-portal-settings">
      <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 760 }}>
        {t('memberPortal.intro')}
      </Typography.Paragraph>
      <PortalSettingsCard />
      <PortalButtonsCard />
    </Flex>
  );
}
