import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { Card, Empty, Flex, List, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { usePmsRuns, type PmsRun } from '../api.ts';
import { useCodeLabel } from '../labels.ts';

const STATUS_COLORS: Record<PmsRun['status'], string> = { running: 'processing', succeeded: 'success', failed: 'error' };

/** Every run with its figures; a row opens to the rows set aside (a file's by its name and row number, a feed's by its key; the reason) and the errors. */
export function RunsTable({ connectionId, running }: { connectionId: string; running: boolean }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const label = useCodeLabel();
  const runs = usePmsRuns(connectionId, running);
  const zone = me.tenant.timezone;
  const columns: TableColumnsType<PmsRun> = [
    { title: t('pms.columns.startedAt'), dataIndex: 'startedAt', width: 160, render: (value: string) => formatInZone(value, zone, true) },
    {
      // A file's run says which kind of file it took (a 德安 export or another PMS's), and its name.
      title: t('pms.columns.trigger'),
      dataIndex: 'trigger',
      width: 150,
      render: (value: PmsRun['trigger'], run) => {
        const files = run.files ?? [];
        const kind = value === 'upload' && files.length > 0 && files.every((f) => f.layout === 'generic') ? 'import' : value;
        return (
          <Flex vertical data-testid="pms-run-trigger">
            <span>{t(`pms.triggers.${kind}`)}</span>
            {files.length > 0 ? (
              <Typography.Text type="secondary" ellipsis={{ tooltip: files.map((f) => f.name).join(t('members.listSeparator')) }} style={{ maxWidth: 140, fontSize: 12 }}>
                {files.map((f) => f.name).join(t('members.listSeparator'))}
              </Typography.Text>
            ) : null}
          </Flex>
        );
      },
    },
    {
      title: t('pms.columns.status'),
      dataIndex: 'status',
      width: 110,
      render: (value: PmsRun['status'], run) => (
        <Tag color={STATUS_COLORS[value]} data-testid="pms-run-status">
          {value === 'running' ? t(`pms.phases.${run.phase}`) : t(`pms.statuses.${value}`)}
        </Tag>
      ),
    },
    {
      title: t('pms.columns.duration'),
      key: 'duration',
      width: 80,
      render: (_, run) => (run.finishedAt ? t('pms.seconds', { count: Math.max(0, Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000)) }) : '—'),
    },
    { title: t('pms.columns.pulled'), key: 'pulled', render: (_, run) => `${run.pulledProfiles} / ${run.pulledStays}` },
    { title: t('pms.columns.changes'), key: 'changes', render: (_, run) => `${run.created} / ${run.updated}` },
    { title: t('pms.columns.linked'), dataIndex: 'linked', align: 'right' },
    { title: t('pms.columns.inReview'), dataIndex: 'inReview', align: 'right' },
    { title: t('pms.columns.staysApplied'), dataIndex: 'staysApplied', align: 'right' },
    { title: t('pms.columns.rejected'), dataIndex: 'rejected', align: 'right', render: (value: number) => (value > 0 ? <Typography.Text type="warning">{value}</Typography.Text> : value) },
  ];
  return (
    <Card title={t('pms.runs')}>
      {runs.isError ? <QueryErrorAlert error={runs.error} onRetry={() => void runs.refetch()} /> : null}
      <Table<PmsRun>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={runs.data ?? []}
        loading={runs.isPending}
        scroll={{ x: 1000 }}
        data-testid="pms-runs"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('pms.runsEmpty')} /> }}
        expandable={{
          rowExpandable: (run) => run.rejects.length > 0 || run.errors.length > 0,
          expandedRowRender: (run) => (
            <Flex vertical gap={12}>
              {run.errors.length > 0 ? (
                <List
                  size="small"
                  header={<Typography.Text strong>{t('pms.errorsTitle')}</Typography.Text>}
                  dataSource={run.errors}
                  renderItem={(e) => (
                    <List.Item>
                      {formatInZone(e.at, zone, true)} · {label('alertCodes', e.code)} <Typography.Text type="secondary">({e.message})</Typography.Text>
                    </List.Item>
                  )}
                />
              ) : null}
              {run.rejects.length > 0 ? (
                <List
                  size="small"
                  header={<Typography.Text strong>{t('pms.rejectsTitle')}</Typography.Text>}
                  dataSource={run.rejects}
                  renderItem={(r) => (
                    <List.Item>
                      {/* A file's row is told by the row staff see in the spreadsheet, not by the key built from it. */}
                      {t(`pms.streams.${r.stream}`)}{' '}
                      {r.row !== undefined ? <span data-testid="pms-reject-row">{t('pms.rejectRow', { file: r.file ?? '', row: r.row })}</span> : r.file ? <span>{t('pms.rejectFile', { file: r.file })}</span> : <Typography.Text code>{r.key}</Typography.Text>} ·{' '}
                      {label('rejectReasons', r.reason)}
                    </List.Item>
                  )}
                />
              ) : null}
            </Flex>
          ),
        }}
      />
    </Card>
  );
}
