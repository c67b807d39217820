import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Empty, Flex, Row, Space, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { useDownloadErrorReport, useImportRows, type ErrorSummary, type MemberImport, type RowError } from '../api.ts';

/** Counts as four figures: what the dry run plans, or what the import did. */
export function OutcomeCounts({ current, done }: { current: MemberImport; done: boolean }) {
  const { t } = useTranslation();
  const counts = done ? current.result : current.planned;
  const figures = [
    { key: 'create', title: done ? t('memberImport.counts.created') : t('memberImport.counts.create'), value: done ? (current.result?.created ?? 0) : (current.planned?.create ?? 0), color: '#0f766e' },
    { key: 'update', title: done ? t('memberImport.counts.updated') : t('memberImport.counts.update'), value: done ? (current.result?.updated ?? 0) : (current.planned?.update ?? 0), color: '#2563eb' },
    { key: 'unchanged', title: t('memberImport.counts.unchanged'), value: done ? (current.result?.unchanged ?? 0) : (current.planned?.unchanged ?? 0), color: undefined },
    { key: 'errors', title: t('memberImport.counts.errors'), value: current.errorRows, color: current.errorRows > 0 ? '#dc2626' : undefined },
  ];
  if (!counts) return null;
  return (
    <Row gutter={[16, 16]} data-testid={done ? 'import-result-counts' : 'import-plan-counts'}>
      {figures.map((figure) => (
        <Col key={figure.key} xs={12} md={6}>
          <Card size="small">
            <Statistic title={figure.title} value={figure.value} styles={{ content: figure.color ? { color: figure.color } : {} }} data-testid={`count-${figure.key}`} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** Download of the row errors as CSV or XLSX (personal data masked). */
export function ErrorReportButtons({ importId, disabled }: { importId: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const download = useDownloadErrorReport();
  const get = (format: 'csv' | 'xlsx') => download.mutate({ id: importId, format }, { onError: (error) => void message.error(errorMessageOf(error)) });
  return (
    <Space wrap>
      <Button icon={<DownloadOutlined />} onClick={() => get('xlsx')} loading={download.isPending && download.variables.format === 'xlsx'} disabled={disabled}>
        {t('memberImport.errors.downloadXlsx')}
      </Button>
      <Button icon={<DownloadOutlined />} onClick={() => get('csv')} loading={download.isPending && download.variables.format === 'csv'} disabled={disabled}>
        {t('memberImport.errors.downloadCsv')}
      </Button>
    </Space>
  );
}

type ErrorLine = RowError & { rowNumber: number; key: string };

/** The rows with errors: row number, column, value (masked where personal) and the reason. */
export function RowErrors({ current }: { current: MemberImport }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const rows = useImportRows(current.id, { action: 'error', page, pageSize }, { enabled: current.errorRows > 0 });
  // A file with no data rows (e.g. the template as downloaded: its example row is left out) has nothing to import;
  // 「沒有錯誤，所有資料列都可以匯入」 next to a greyed 匯入 0 列 would leave staff wondering what went wrong.
  if (current.totalRows === 0) return <Alert type="warning" showIcon title={t('memberImport.errors.noRows')} data-testid="import-no-rows" />;
  if (current.errorRows === 0) return <Alert type="success" showIcon title={t('memberImport.errors.none')} />;

  const summaryColumns: TableColumnsType<ErrorSummary> = [
    { title: t('memberImport.errors.field'), dataIndex: 'fieldLabel', width: 140 },
    { title: t('memberImport.errors.column'), dataIndex: 'column', width: 140, render: (value: string) => value || '—' },
    { title: t('memberImport.errors.reason'), dataIndex: 'message' },
    { title: t('memberImport.errors.rows'), dataIndex: 'count', width: 90, align: 'end' },
  ];
  const lines: ErrorLine[] = (rows.data?.data ?? []).flatMap((row) => row.errors.map((error, index) => ({ ...error, rowNumber: row.rowNumber, key: `${row.rowNumber}:${index}` })));
  const lineColumns: TableColumnsType<ErrorLine> = [
    { title: t('memberImport.errors.rowNumber'), dataIndex: 'rowNumber', width: 80 },
    { title: t('memberImport.errors.column'), dataIndex: 'column', width: 140, render: (value: string) => value || '—' },
    { title: t('memberImport.errors.field'), dataIndex: 'fieldLabel', width: 130 },
    { title: t('memberImport.errors.value'), dataIndex: 'value', width: 160, render: (value: string) => (value ? <Typography.Text code>{value}</Typography.Text> : '—') },
    { title: t('memberImport.errors.reason'), dataIndex: 'message' },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('memberImport.errors.title', { count: current.errorRows })}
        </Typography.Title>
        <ErrorReportButtons importId={current.id} />
      </Flex>
      {current.errorSummary.length > 0 ? (
        <Table<ErrorSummary> rowKey={(row) => `${row.field}:${row.code}`} size="small" columns={summaryColumns} dataSource={current.errorSummary} pagination={false} data-testid="import-error-summary" />
      ) : null}
      {rows.isError ? (
        <QueryErrorAlert error={rows.error} onRetry={() => void rows.refetch()} />
      ) : (
        <Table<ErrorLine>
          rowKey="key"
          size="small"
          data-testid="import-row-errors"
          columns={lineColumns}
          dataSource={lines}
          loading={rows.isFetching}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
          pagination={{
            current: page,
            pageSize,
            total: rows.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('memberImport.errors.rowsTotal', { count: total }),
            onChange: (next, size) => {
              setPage(next);
              setPageSize(size);
            },
          }}
        />
      )}
    </Flex>
  );
}
