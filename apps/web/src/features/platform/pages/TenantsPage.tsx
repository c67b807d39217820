import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { formatInZone } from '../../../lib/datetime.ts';
import { usePlatformTenants, type Tenant } from '../api.ts';
import { CreateTenantModal } from '../components/CreateTenantModal.tsx';
import { TenantStatusAction } from '../components/TenantStatusAction.tsx';

export function TenantsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { message } = App.useApp();
  const tenants = usePlatformTenants();
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<Tenant> = [
    {
      title: t('tenants.name'),
      dataIndex: 'name',
      render: (name: string, tenant) => (
        <>
          {name} {tenant.kind === 'platform' ? <Tag color="purple">{t('app.platformTenant')}</Tag> : null}
        </>
      ),
    },
    { title: t('tenants.slug'), dataIndex: 'slug', width: 180 },
    { title: t('tenants.timezone'), dataIndex: 'timezone', width: 160 },
    {
      title: t('tenants.status'),
      dataIndex: 'status',
      width: 110,
      render: (status: Tenant['status']) => (status === 'active' ? <Tag color="green">{t('tenants.statusActive')}</Tag> : <Tag color="red">{t('tenants.statusSuspended')}</Tag>),
    },
    { title: t('tenants.createdAt'), dataIndex: 'createdAt', width: 170, render: (value: string) => formatInZone(value, me.tenant.timezone) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_, tenant) => (tenant.kind === 'platform' ? null : <TenantStatusAction tenant={tenant} />),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.tenants')}
        description={t('tenants.description')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('tenants.create')}
          </Button>
        }
      />
      {tenants.isError ? (
        <QueryErrorAlert error={tenants.error} onRetry={() => void tenants.refetch()} />
      ) : (
        <Table<Tenant>
          rowKey="id"
          columns={columns}
          dataSource={tenants.data ?? []}
          loading={tenants.isPending}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('tenants.empty')} /> }}
        />
      )}
      <CreateTenantModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(tenant, adminEmail) => {
          setCreating(false);
          void message.success(t('tenants.created', { name: tenant.name, email: adminEmail }));
        }}
      />
    </>
  );
}
