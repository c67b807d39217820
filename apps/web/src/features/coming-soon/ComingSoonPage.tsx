import { ClockCircleOutlined } from '@ant-design/icons';
import { Card, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.tsx';

export type UpcomingModule = 'members' | 'tags' | 'campaigns' | 'dashboard' | 'reports' | 'pms';

/** An honest placeholder for a module of a later release: what it will do, and no invented data. */
export function ComingSoonPage({ module }: { module: UpcomingModule }) {
  const { t } = useTranslation();
  const features = t(`comingSoon.${module}.features`, { returnObjects: true });
  return (
    <>
      <PageHeader title={t(`nav.${module}`)} />
      <Card>
        <Result
          icon={<ClockCircleOutlined />}
          title={t('comingSoon.title', { module: t(`nav.${module}`) })}
          subTitle={t(`comingSoon.${module}.summary`)}
        >
          <Typography.Paragraph strong>{t('comingSoon.willInclude')}</Typography.Paragraph>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {features.map((feature) => (
              <li key={feature}>
                <Typography.Text>{feature}</Typography.Text>
              </li>
            ))}
          </ul>
        </Result>
      </Card>
    </>
  );
}
