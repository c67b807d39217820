import { Empty, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatInZone } from '../../../lib/datetime.ts';
import { useRoleLabel } from '../../../lib/labels.ts';
import { PAGE_SIZES, type Page } from '../../../lib/page.ts';
import type { Property } from '../../properties/index.ts';
import type { Account } from '../api/accounts.ts';
import type { Role } from '../api/roles.ts';
import { canChangeAccount, useGranter } from '../assignable.ts';
import { AccountRowActions } from './AccountRowActions.tsx';
import { AccountStatusTags } from './AccountStatusTags.tsx';

type Props = {
  page: Page<Account> | undefined;
  loading: boolean;
  roles: Role[];
  /** Undefined where the tenant has no properties (the platform tenant): the column is left out. */
  properties: Property[] | undefined;
  selfId: string;
  timeZone: string;
  onPageChange: (page: number, pageSize: number) => void;
  onEdit: (account: Account) => void;
};

export function AccountsTable({ page, loading, roles, properties, selfId, timeZone, onPageChange, onEdit }: Props) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const roleById = new Map(roles.map((role) => [role.id, role]));
  const granter = useGranter();
  const propertyById = new Map((properties ?? []).map((property) => [property.id, property]));

  const propertiesColumn: TableColumnsType<Account>[number] = {
    title: t('accounts.columns.properties'),
    key: 'properties',
    width: 150,
    render: (_, account) =>
      account.allProperties ? (
        <Tag color="cyan">{t('accounts.allPropertiesShort')}</Tag>
      ) : (
        <Flex gap={4} wrap>
          {account.propertyIds.map((id) => (
            <Tag key={id}>{propertyById.get(id)?.name ?? id}</Tag>
          ))}
        </Flex>
      ),
  };

  // Widths that fit a 1280 px window with the menu open (at 1,160 px the table scrolled there and 編輯 was cut, browser
  // review): a long email is cut with an ellipsis and shown whole on hover, the actions wrap under one another.
  const columns: TableColumnsType<Account> = [
    {
      title: t('accounts.columns.account'),
      key: 'account',
      width: 240,
      render: (_, account) => (
        <Flex vertical>
          <Typography.Text strong>
            {account.displayName} {account.id === selfId ? <Tag>{t('accounts.you')}</Tag> : null}
          </Typography.Text>
          <Typography.Text type="secondary" ellipsis={{ tooltip: account.email }}>
            {account.email}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('accounts.columns.role'),
      key: 'role',
      width: 110,
      render: (_, account) => {
        const role = roleById.get(account.roleId);
        return role ? roleLabel(role) : '—';
      },
    },
    ...(properties === undefined ? [] : [propertiesColumn]),
    { title: t('accounts.columns.status'), key: 'status', width: 180, render: (_, account) => <AccountStatusTags account={account} timeZone={timeZone} /> },
    {
      title: t('accounts.columns.lastLogin'),
      dataIndex: 'lastLoginAt',
      width: 150,
      render: (value: string | null) => (value ? <span style={{ whiteSpace: 'nowrap' }}>{formatInZone(value, timeZone)}</span> : <Typography.Text type="secondary">{t('accounts.neverSignedIn')}</Typography.Text>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, account) => <AccountRowActions account={account} isSelf={account.id === selfId} changeable={canChangeAccount(granter, roleById.get(account.roleId), account)} onEdit={onEdit} />,
    },
  ];

  return (
    <Table<Account>
      rowKey="id"
      columns={columns}
      dataSource={page?.data ?? []}
      loading={loading}
      scroll={{ x: columns.reduce((sum, column) => sum + Number(column.width ?? 0), 0) }}
      locale={{ emptyText: <Empty description={t('accounts.empty')} /> }}
      pagination={{
        current: page?.page ?? 1,
        pageSize: page?.pageSize ?? 20,
        total: page?.total ?? 0,
        showSizeChanger: true,
        pageSizeOptions: PAGE_SIZES,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: onPageChange,
      }}
    />
  );
}
