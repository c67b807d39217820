import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Flex, Table, Tag, Typography, Upload, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { useSession } from '../../../session/session-context.ts';
import type { PmsConnection } from '../api.ts';
import { usePmsDropFolder, usePmsFiles, useUploadPmsFile, type PmsFile } from '../files-api.ts';
import { useCodeLabel } from '../labels.ts';

const STATUS_COLORS: Record<PmsFile['status'], string> = { mapping: 'warning', pending: 'processing', applied: 'success', duplicate: 'default', rejected: 'error' };

/**
 * 德安 export files (contract §9): upload one, see what the drop folder and uploads brought and what became of each
 * (applied, a duplicate not applied, or refused with the reason). The rows set aside are in the run's history.
 */
export function FilesCard({ connection }: { connection: PmsConnection }) {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { message } = App.useApp();
  const label = useCodeLabel();
  const files = usePmsFiles(connection.id, Boolean(connection.running));
  const upload = useUploadPmsFile(connection.id);
  // A drop folder named but unusable (PMS_DROP_ROOT unset or wrong, the folder claimed…) is said here, not left silent.
  const dropFolder = usePmsDropFolder(connection.id, connection.dropDir);
  const dropState = dropFolder.data?.state;
  const dropProblem = connection.dropDir && dropState && dropState !== 'ok' && dropState !== 'not_created' ? dropState : null;
  const zone = me.tenant.timezone;

  const send = (file: File) => {
    upload.mutate(file, {
      onSuccess: (answer) => void message.success(t(answer.run ? 'pmsFiles.uploaded' : 'pmsFiles.uploadedQueued', { name: answer.file.name, rows: answer.file.rowsTotal })),
      onError: (error) => void message.error(errorMessageOf(error)),
    });
    // The upload is ours (not antd's default POST).
    return false;
  };

  const reasonOf = (file: PmsFile) => {
    if (file.status === 'duplicate') return t('pmsFiles.duplicateOf');
    if (!file.reason) return '';
    const [code, detail] = file.reason.split(': ');
    return detail ? `${label('rejectReasons', code ?? '')}: ${detail}` : label('rejectReasons', code ?? '');
  };

  const columns: TableColumnsType<PmsFile> = [
    { title: t('pmsFiles.columns.receivedAt'), dataIndex: 'receivedAt', width: 160, render: (value: string) => formatInZone(value, zone, true) },
    { title: t('pmsFiles.columns.name'), dataIndex: 'name', render: (value: string) => <Typography.Text code>{value}</Typography.Text> },
    { title: t('pmsFiles.columns.source'), dataIndex: 'source', width: 80, render: (value: PmsFile['source']) => t(`pmsFiles.sources.${value}`) },
    { title: t('pmsFiles.columns.feed'), dataIndex: 'feed', width: 90, render: (value: PmsFile['feed'], file) => (file.layout === 'generic' ? t('pmsFiles.feeds.generic') : value ? t(`pmsFiles.feeds.${value}`) : '—') },
    {
      title: t('pmsFiles.columns.status'),
      dataIndex: 'status',
      width: 130,
      render: (value: PmsFile['status']) => (
        <Tag color={STATUS_COLORS[value]} data-testid="pms-file-status">
          {t(`pmsFiles.statuses.${value}`)}
        </Tag>
      ),
    },
    { title: t('pmsFiles.columns.rows'), key: 'rows', align: 'right', width: 110, render: (_, file) => (file.status === 'pending' ? `${file.rowsDone} / ${file.rowsTotal}` : file.rowsTotal) },
    { title: t('pmsFiles.columns.rejected'), dataIndex: 'rejected', align: 'right', width: 70, render: (value: number) => (value > 0 ? <Typography.Text type="warning">{value}</Typography.Text> : value) },
    { title: t('pmsFiles.columns.reason'), key: 'reason', render: (_, file) => reasonOf(file) },
  ];

  return (
    <Card
      title={t('pmsFiles.title')}
      extra={
        can('pms.manage') ? (
          <Upload accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" showUploadList={false} beforeUpload={send} maxCount={1}>
            <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="pms-file-upload">
              {t('pmsFiles.upload')}
            </Button>
          </Upload>
        ) : null
      }
      data-testid="pms-files"
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('pmsFiles.help')}</Typography.Text>
        {dropProblem ? (
          <Alert type="error" showIcon title={t('pmsFiles.dropFolderProblem', { dir: connection.dropDir })} description={t(`pmsFiles.dropStates.${dropProblem}`)} data-testid="pms-drop-folder-problem" />
        ) : (
          <Typography.Text type="secondary">{connection.dropDir && connection.dropRootConfigured ? t('pmsFiles.dropFolder', { dir: connection.dropDir, path: dropFolder.data?.path ?? connection.dropDir }) : t('pmsFiles.dropFolderNone')}</Typography.Text>
        )}
        {files.isError ? <QueryErrorAlert error={files.error} onRetry={() => void files.refetch()} /> : null}
        <Table<PmsFile>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={files.data ?? []}
          loading={files.isPending}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('pmsFiles.empty')} /> }}
        />
      </Flex>
    </Card>
  );
}
