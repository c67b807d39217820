import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../session/session-context.ts';
import { QueryErrorAlert } from '../../components/QueryErrorAlert.tsx';
import { formatInZone } from '../../lib/datetime.ts';
import { useProperties, type Property } from './api.ts';
import { PropertyFormModal } from './PropertyFormModal.tsx';

type Editing = { open: false } | { open: true; property: Property | undefined };

export function PropertiesCard() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { message } = App.useApp();
  const properties = useProperties();
  const [editing, setEditing] = useState<Editing>({ open: false });
  const canManage = can('settings.manage');

  const columns: TableColumnsType<Property> = [
    { title: t('properties.code'), dataIndex: 'code', width: 120 },
    { title: t('properties.name'), dataIndex: 'name' },
    { title: t('properties.address'), dataIndex: 'address', render: (value: string) => value || '—' },
    { title: t('properties.phone'), dataIndex: 'phone', width: 160, render: (value: string) => value || '—' },
    { title: t('properties.createdAt'), dataIndex: 'createdAt', width: 170, render: (value: string) => formatInZone(value, me.tenant.timezone) },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_: unknown, property: Property) => (
              <Button type="link" icon={<EditOutlined />} onClick={() => setEditing({ open: true, property })} aria-label={t('properties.editNamed', { name: property.name })}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('properties.title')}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true, property: undefined })}>
            {t('properties.add')}
          </Button>
        ) : undefined
      }
    >
      {properties.isError ? (
        <QueryErrorAlert error={properties.error} onRetry={() => void properties.refetch()} />
      ) : (
        <Table<Property>
          rowKey="id"
          columns={columns}
          dataSource={properties.data ?? []}
          loading={properties.isPending}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: <Empty description={t('properties.empty')} /> }}
        />
      )}
      <PropertyFormModal
        open={editing.open}
        property={editing.open ? editing.property : undefined}
        onClose={() => setEditing({ open: false })}
        onSaved={(property) => {
          setEditing({ open: false });
          void message.success(t('properties.saved', { name: property.name }));
        }}
      />
    </Card>
  );
}
