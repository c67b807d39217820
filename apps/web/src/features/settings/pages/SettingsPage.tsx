import { MessageOutlined } from '@ant-design/icons';
import { Card, Flex, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { PropertiesCard } from '../../properties/PropertiesCard.tsx';

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav.settings')} description={t('settings.description')} />
      <Flex vertical gap={16}>
        <PropertiesCard />
        <Card title={t('settings.line.title')} data-testid="line-placeholder">
          <Result icon={<MessageOutlined />} title={t('settings.line.comingTitle')} subTitle={t('settings.line.comingBody')} />
        </Card>
      </Flex>
    </>
  );
}
