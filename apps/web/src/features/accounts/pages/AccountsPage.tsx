import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { AccountsTab } from '../components/AccountsTab.tsx';
import { RolesTab } from '../components/RolesTab.tsx';

export function AccountsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'roles' ? 'roles' : 'accounts';
  return (
    <>
      <PageHeader title={t('nav.accounts')} description={t('accounts.description')} />
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'roles' ? { tab: 'roles' } : {}, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'accounts', label: t('accounts.tab'), children: <AccountsTab /> },
          { key: 'roles', label: t('roles.tab'), children: <RolesTab /> },
        ]}
      />
    </>
  );
}
