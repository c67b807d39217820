import { Button, Empty, Flex, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatInZone } from '../../../lib/datetime.ts';
import { useAuditLabels } from '../../../lib/labels.ts';
import { PAGE_SIZES, type Page } from '../../../lib/page.ts';
import type { AuditEntry } from '../api.ts';
import { AuditDetails } from './AuditDetails.tsx';

type Props = {
  page: Page<AuditEntry> | undefined;
  loading: boolean;
  timeZone: string;
  onPageChange: (page: number, pageSize: number) => void;
  onFilterTarget: (targetType: string, targetId: string) => void;
};

const SYSTEM_PREFIX = 'system:';
const NAMING_DETAILS = ['name', 'email', 'code', 'slug'] as const;

/**
 * A readable name for the target: the server's (member number and name, email, tag name), else one the details carry,
 * else the end of its id (ids share their start).
 */
function targetName(entry: AuditEntry): string {
  if (entry.targetLabel) return entry.targetLabel;
  for (const key of NAMING_DETAILS) {
    const value = entry.details[key];
    if (typeof value === 'string' && value) return value;
  }
  return `…${entry.targetId.slice(-8)}`;
}

export function AuditTable({ page, loading, timeZone, onPageChange, onFilterTarget }: Props) {
  const { t } = useTranslation();
  const { actionLabel, targetLabel, systemActorLabel } = useAuditLabels();

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.columns.time', { zone: timeZone }),
      dataIndex: 'occurredAt',
      width: 190,
      render: (value: string) => formatInZone(value, timeZone, true),
    },
    {
      title: t('audit.columns.actor'),
      key: 'actor',
      render: (_, entry) =>
        entry.actorAccountId === null && entry.actorEmail.startsWith(SYSTEM_PREFIX) ? (
          <Typography.Text type="secondary">{t('audit.systemActor', { name: systemActorLabel(entry.actorEmail.slice(SYSTEM_PREFIX.length)) })}</Typography.Text>
        ) : (
          entry.actorEmail
        ),
    },
    {
      title: t('audit.columns.action'),
      key: 'action',
      render: (_, entry) => (
        <Flex vertical>
          <span>{actionLabel(entry.action)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {entry.action}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('audit.columns.target'),
      key: 'target',
      render: (_, entry) =>
        // An entry about many rows at once (an export, a search, the member-portal settings) names no single target:
        // it says what kind and, for an export, how many, and offers no "only this target" filter.
        entry.targetType && !entry.targetId ? (
          <span data-testid="audit-target-many">
            {targetLabel(entry.targetType)}
            {typeof entry.details.rows === 'number' ? t('audit.targetRows', { count: entry.details.rows }) : ''}
          </span>
        ) : entry.targetType ? (
          <Tooltip title={t('audit.showTargetHistory')}>
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onFilterTarget(entry.targetType, entry.targetId)}>
              {targetLabel(entry.targetType)} {targetName(entry)}
            </Button>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    { title: t('audit.columns.ip'), dataIndex: 'ip', width: 140, render: (value: string) => value || '—' },
  ];

  return (
    <Table<AuditEntry>
      rowKey="id"
      columns={columns}
      dataSource={page?.data ?? []}
      loading={loading}
      scroll={{ x: 900 }}
      expandable={{ expandedRowRender: (entry) => <AuditDetails entry={entry} /> }}
      locale={{ emptyText: <Empty description={t('audit.empty')} /> }}
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
