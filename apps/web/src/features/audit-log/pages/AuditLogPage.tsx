import { Alert, Flex } from 'antd';
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
        {/* A limited account reads its property colleagues' entries only (decision 0006): say so, or the log looks incomplete. */}
        {me.propertyIds === 'all' ? null : <Alert type="info" showIcon title={t('audit.scopedNotice')} data-testid="audit-scoped-notice" />}
        <AuditFilterBar filters={filters} onChange={setFilters} targetName={filters.targetId ? entries.data?.data.find((e) => e.targetId === filters.targetId)?.targetLabel : undefined} />
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
