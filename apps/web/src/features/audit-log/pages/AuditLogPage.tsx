import { Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { useAuditLog } from '../api.ts';
import { AuditFilterBar } from '../components/AuditFilterBar.tsx';
import { AuditTable } from '../components/AuditTable.tsx';
import { useAuditFilters } from '../use-audit-filters.ts';

export function AuditLogPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const timeZone = me.tenant.timezone;
  const { filters, query, setFilters } = useAuditFilters(timeZone);
  const entries = useAuditLog(query);

  return (
    <>
      <PageHeader title={t('nav.auditLog')} description={t('audit.description', { zone: timeZone })} />
      <Flex vertical gap={16}>
        <AuditFilterBar filters={filters} onChange={setFilters} />
        {entries.isError ? (
          <QueryErrorAlert error={entries.error} onRetry={() => void entries.refetch()} />
        ) : (
          <AuditTable
            page={entries.data}
            loading={entries.isFetching}
            timeZone={timeZone}
            onPageChange={(page, pageSize) => setFilters({ page, pageSize })}
            onFilterTarget={(targetType, targetId) => setFilters({ targetType, targetId })}
          />
        )}
      </Flex>
    </>
  );
}
