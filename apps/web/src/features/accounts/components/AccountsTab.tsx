import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { useRoleLabel } from '../../../lib/labels.ts';
import { useProperties } from '../../properties/index.ts';
import { useAccounts } from '../api/accounts.ts';
import { useRoles } from '../api/roles.ts';
import { useAccountFilters } from '../use-account-filters.ts';
import { AccountFormModal, type AccountFormTarget } from './AccountFormModal.tsx';
import { AccountsTable } from './AccountsTable.tsx';

export function AccountsTab() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { message } = App.useApp();
  const roleLabel = useRoleLabel();
  const { filters, setFilters } = useAccountFilters();
  const accounts = useAccounts(filters);
  const roles = useRoles();
  const withProperties = me.tenant.kind === 'hotel';
  const properties = useProperties({ enabled: withProperties });
  const [formTarget, setFormTarget] = useState<AccountFormTarget>();

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap justify="space-between">
        <Flex gap={8} wrap>
          <Input.Search
            key={filters.search ?? ''}
            defaultValue={filters.search}
            allowClear
            aria-label={t('accounts.searchLabel')}
            placeholder={t('accounts.searchPlaceholder')}
            onSearch={(value) => setFilters({ search: value.trim() || undefined })}
            style={{ width: 260 }}
          />
          <Select
            aria-label={t('accounts.statusFilter')}
            value={filters.status ?? ''}
            onChange={(value: string) => setFilters({ status: value || undefined })}
            style={{ width: 140 }}
            options={[
              { value: '', label: t('accounts.allStatuses') },
              { value: 'active', label: t('accounts.status.active') },
              { value: 'disabled', label: t('accounts.status.disabled') },
            ]}
          />
          <Select
            aria-label={t('accounts.roleFilter')}
            value={filters.roleId ?? ''}
            onChange={(value: string) => setFilters({ roleId: value || undefined })}
            loading={roles.isPending}
            style={{ width: 160 }}
            options={[{ value: '', label: t('accounts.allRoles') }, ...(roles.data ?? []).map((role) => ({ value: role.id, label: roleLabel(role) }))]}
          />
        </Flex>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormTarget({ mode: 'create' })} disabled={!roles.data}>
          {t('accounts.create')}
        </Button>
      </Flex>
      {accounts.isError || roles.isError ? (
        <QueryErrorAlert
          error={accounts.error ?? roles.error}
          onRetry={() => {
            void accounts.refetch();
            void roles.refetch();
          }}
        />
      ) : (
        // What may be done to each account depends on its role: rows wait for the roles, rather than show 無法變更.
        <AccountsTable
          page={roles.data ? accounts.data : undefined}
          loading={accounts.isFetching || roles.isPending}
          roles={roles.data ?? []}
          properties={withProperties ? (properties.data ?? []) : undefined}
          selfId={me.account.id}
          timeZone={me.tenant.timezone}
          onPageChange={(page, pageSize) => setFilters({ page, pageSize })}
          onEdit={(account) => setFormTarget({ mode: 'edit', accountId: account.id })}
        />
      )}
      <AccountFormModal
        target={formTarget}
        withProperties={withProperties}
        roles={roles.data ?? []}
        selfId={me.account.id}
        onClose={() => setFormTarget(undefined)}
        onSaved={(account, mode) => {
          setFormTarget(undefined);
          void message.success(mode === 'create' ? t('accounts.created', { email: account.email }) : t('accounts.saved', { name: account.displayName }));
        }}
      />
    </Flex>
  );
}
