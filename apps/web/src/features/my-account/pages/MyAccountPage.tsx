import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { ChangePasswordCard } from '../components/ChangePasswordCard.tsx';
import { ProfileCard } from '../components/ProfileCard.tsx';
import { SessionsCard } from '../components/SessionsCard.tsx';
import { TwoFactorCard } from '../components/TwoFactorCard.tsx';

export function MyAccountPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav.myAccount')} />
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <ProfileCard />
        </Col>
        <Col xs={24} lg={12}>
          <ChangePasswordCard />
        </Col>
        <Col xs={24} lg={12}>
          <TwoFactorCard />
        </Col>
        <Col span={24}>
          <SessionsCard />
        </Col>
      </Row>
    </>
  );
}
