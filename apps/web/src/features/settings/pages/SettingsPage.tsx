import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { LineChannelsTab } from '../../line/index.ts';
import { MemberPortalTab } from '../../member-portal/index.ts';
import { PropertiesCard } from '../../properties/index.ts';

const TABS = ['properties', 'line', 'member-portal'] as const;
type SettingsTab = (typeof TABS)[number];

function isTab(value: string | null): value is SettingsTab {
  return value !== null && (TABS as readonly string[]).includes(value);
}

export function SettingsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: SettingsTab = isTab(requested) ? requested : 'properties';
  return (
    <>
      <PageHeader title={t('nav.settings')} description={t('settings.description')} />
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'properties' ? {} : { tab: key }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'properties', label: t('properties.title'), children: <PropertiesCard /> },
          { key: 'line', label: t('settings.line.title'), children: <LineChannelsTab /> },
          { key: 'member-portal', label: t('memberPortal.tab'), children: <MemberPortalTab /> },
        ]}
      />
    </>
  );
}
