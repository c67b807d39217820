import { Card, Flex, Select, Table, Tag, Typography, type TableColumnType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { formatInZone } from '../../../lib/datetime.ts';
import { useSession } from '../../../session/session-context.ts';
import { usePmsConflicts, type ConflictField, type PmsConflict } from '../api.ts';

const PAGE_SIZE = 20;
const FIELDS: readonly ConflictField[] = ['email', 'mobile', 'marketingOptIn'];

/**
 * 資料衝突: the contact fields both sides changed (decision 0010 "Field sync"): the later change won and the sync
 * recorded the conflict. Each row: the member (a link), the field, both values (masked), which side won and when each
 * changed. Paged on the server, newest first, by field.
 */
export function ConflictsCard({ connectionId }: { connectionId: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const zone = me.tenant.timezone;
  const [page, setPage] = useState(1);
  const [field, setField] = useState<ConflictField | undefined>(undefined);
  const conflicts = usePmsConflicts(connectionId, { page, pageSize: PAGE_SIZE, field });
  const value = (row: PmsConflict, side: 'pms' | 'crm') => {
    const text = side === 'pms' ? row.pmsValue : row.crmValue;
    const shown = row.field === 'marketingOptIn' && text ? t(`pms.conflicts.optValues.${text === 'opt_out' ? 'opt_out' : 'opt_in'}`) : (text ?? '—');
    return (
      <Typography.Text strong={row.kept === side} delete={row.kept !== side} type={row.kept === side ? undefined : 'secondary'}>
        {shown}
      </Typography.Text>
    );
  };
  const when = (at: string | null) => (at ? formatInZone(at, zone) : '—');
  // One side's value with, under it, when that side changed it: the PMS and CRM columns differ only in these.
  const sideColumn = (side: 'pms' | 'crm', title: string, changed: (row: PmsConflict) => string): TableColumnType<PmsConflict> => ({
    title,
    key: side,
    render: (_, r) => (
      <Flex vertical>
        {value(r, side)}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {changed(r)}
        </Typography.Text>
      </Flex>
    ),
  });
  return (
    <Card
      title={t('pms.conflicts.title')}
      data-testid="pms-conflicts"
      extra={
        <Select
          allowClear
          size="small"
          value={field}
          placeholder={t('pms.conflicts.allFields')}
          onChange={(next?: ConflictField) => (setField(next), setPage(1))}
          options={FIELDS.map((f) => ({ value: f, label: t(`pms.conflicts.fields.${f}`) }))}
          style={{ minWidth: 160 }}
          data-testid="pms-conflicts-field"
        />
      }
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('pms.conflicts.help')}</Typography.Text>
        {conflicts.isError ? <QueryErrorAlert error={conflicts.error} onRetry={() => void conflicts.refetch()} /> : null}
        <Table<PmsConflict>
          size="small"
          rowKey="id"
          loading={conflicts.isFetching}
          dataSource={conflicts.data?.data ?? []}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('pms.conflicts.empty') }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: conflicts.data?.total ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            showTotal: (n) => t('pms.conflicts.total', { count: n }),
            onChange: setPage,
          }}
          columns={[
            { title: t('pms.conflicts.recordedAt'), key: 'recordedAt', width: 150, render: (_, r) => when(r.recordedAt) },
            {
              title: t('pms.conflicts.member'),
              key: 'member',
              render: (_, r) => (
                <Link to={`/members/${r.member.id}`} data-testid="pms-conflict-member">{`${r.member.memberNo} ${r.member.lastName}${r.member.firstName}`}</Link>
              ),
            },
            { title: t('pms.conflicts.field'), key: 'field', width: 120, render: (_, r) => t(`pms.conflicts.fields.${r.field}`) },
            sideColumn('pms', t('pms.conflicts.pmsValue'), (r) => t('pms.conflicts.changedAt', { time: when(r.pmsChangedAt), code: r.gcustCod })),
            sideColumn('crm', t('pms.conflicts.crmValue'), (r) => t('pms.conflicts.crmChangedAt', { time: when(r.crmChangedAt) })),
            {
              title: t('pms.conflicts.kept'),
              key: 'kept',
              width: 130,
              render: (_, r) => (
                <Tag color={r.kept === 'pms' ? 'blue' : 'green'} data-testid="pms-conflict-kept">
                  {t(`pms.conflicts.keptValues.${r.kept}`)}
                </Tag>
              ),
            },
          ]}
        />
      </Flex>
    </Card>
  );
}
