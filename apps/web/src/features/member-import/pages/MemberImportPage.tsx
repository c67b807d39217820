import { ArrowLeftOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Modal, Progress, Result, Skeleton, Steps, Table, Typography, type TableColumnsType } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { intParam } from '../../../lib/page.ts';
import { importKeys, useCommitImport, useImport, useImports, type ImportStatus, type MemberImport, type UploadResponse } from '../api.ts';
import { ErrorReportButtons, OutcomeCounts, RowErrors } from '../components/ImportOutcome.tsx';
import { ImportStatusTag } from '../components/ImportStatusTag.tsx';
import { MappingStep } from '../components/MappingStep.tsx';
import { UploadStep } from '../components/UploadStep.tsx';

/** 會員 → 匯入: upload → map columns → dry run → import with progress → result. The import id is in the URL. */
export function MemberImportPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const importId = params.get('id') ?? undefined;
  // The upload answer (fields, sample rows, suggestions) exists only in this page; a reload resumes from the status.
  const [upload, setUpload] = useState<UploadResponse>();
  const [remap, setRemap] = useState(false);

  const open = (id: string | undefined) => {
    setRemap(false);
    setParams(id ? { id } : {}, { replace: false });
  };

  return (
    <>
      <div style={{ marginBottom: 8 }}>
        <Link to="/members">
          <ArrowLeftOutlined /> {t('members.detail.backToList')}
        </Link>
      </div>
      <PageHeader title={t('memberImport.title')} description={t('memberImport.description')} />
      <Flex vertical gap={16}>
        <Card>
          {importId ? (
            <ImportWizard
              key={importId}
              importId={importId}
              upload={upload?.import.id === importId ? upload : undefined}
              remap={remap}
              setRemap={setRemap}
              onRestart={() => {
                setUpload(undefined);
                open(undefined);
              }}
            />
          ) : (
            <>
              <WizardSteps current={0} />
              <UploadStep
                onUploaded={(result) => {
                  setUpload(result);
                  open(result.import.id);
                }}
              />
            </>
          )}
        </Card>
        <ImportHistory activeId={importId} onOpen={open} />
      </Flex>
    </>
  );
}

function WizardSteps({ current, failed = false }: { current: number; failed?: boolean }) {
  const { t } = useTranslation();
  return (
    <Steps
      current={current}
      status={failed ? 'error' : undefined}
      size="small"
      style={{ marginBottom: 24 }}
      items={[{ title: t('memberImport.steps.upload') }, { title: t('memberImport.steps.mapping') }, { title: t('memberImport.steps.check') }, { title: t('memberImport.steps.import') }, { title: t('memberImport.steps.done') }]}
    />
  );
}

type WizardProps = { importId: string; upload: UploadResponse | undefined; remap: boolean; setRemap: (value: boolean) => void; onRestart: () => void };

function ImportWizard({ importId, upload, remap, setRemap, onRestart }: WizardProps) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const current = useImport(importId);
  const commit = useCommitImport();
  const queryClient = useQueryClient();
  const status = current.data?.status;

  // The history shows each status; a finished import also changes members, tags and counts.
  useEffect(() => {
    if (!status) return;
    void queryClient.invalidateQueries({ queryKey: [...importKeys.all, 'list'] });
    if (status === 'completed' || status === 'failed') {
      void queryClient.invalidateQueries({ queryKey: ['members'] });
      void queryClient.invalidateQueries({ queryKey: ['tags'] });
    }
  }, [status, queryClient]);

  if (current.isPending) return <Skeleton active />;
  if (current.isError) return <QueryErrorAlert error={current.error} onRetry={() => void current.refetch()} />;
  const item = current.data;
  const mappingWanted = item.status === 'uploaded' || ((item.status === 'checked' || item.status === 'failed') && remap);

  if (mappingWanted) {
    if (!upload) {
      // After a reload the sample rows and field list are gone; re-uploading the same file is quick and safe.
      return (
        <>
          <WizardSteps current={1} />
          <Result status="info" title={t('memberImport.mapping.lost')} subTitle={t('memberImport.mapping.lostHint', { file: item.fileName })} extra={<Button type="primary" onClick={onRestart}>{t('memberImport.restart')}</Button>} />
        </>
      );
    }
    return (
      <>
        <WizardSteps current={1} />
        <MappingStep upload={upload} current={item} timeZone={me.tenant.timezone} onChecked={() => setRemap(false)} onRestart={onRestart} />
      </>
    );
  }

  if (item.status === 'checking' || item.status === 'queued' || item.status === 'importing') {
    const checking = item.status === 'checking';
    return (
      <>
        <WizardSteps current={checking ? 2 : 3} />
        <Flex vertical gap={12} align="stretch" data-testid="import-progress">
          <Typography.Text strong>{checking ? t('memberImport.progress.checking', { file: item.fileName }) : item.status === 'queued' ? t('memberImport.progress.queued') : t('memberImport.progress.importing', { file: item.fileName })}</Typography.Text>
          <Progress percent={item.progress} status="active" aria-label={t('memberImport.progress.label')} />
          <Typography.Text type="secondary">{t('memberImport.progress.rows', { done: item.processedRows, total: item.totalRows })}</Typography.Text>
          {!checking && item.result ? <OutcomeCounts current={item} done /> : null}
          <Typography.Text type="secondary">{t('memberImport.progress.canLeave')}</Typography.Text>
        </Flex>
      </>
    );
  }

  if (item.status === 'checked') {
    const confirmCommit = () =>
      modal.confirm({
        title: t('memberImport.commit.title'),
        content: t('memberImport.commit.body', { create: item.planned?.create ?? 0, update: item.planned?.update ?? 0, errors: item.errorRows }),
        okText: t('memberImport.commit.submit'),
        cancelText: t('common.cancel'),
        onOk: () => commit.mutateAsync(item.id).catch((error: unknown) => void message.error(errorMessageOf(error))),
      });
    return (
      <>
        <WizardSteps current={2} />
        <Flex vertical gap={16} data-testid="import-check-result">
          <Typography.Paragraph style={{ margin: 0 }}>{t('memberImport.check.intro', { file: item.fileName, rows: item.totalRows })}</Typography.Paragraph>
          <OutcomeCounts current={item} done={false} />
          <RowErrors current={item} />
          <Flex gap={8} justify="flex-end" wrap>
            <Button onClick={onRestart}>{t('memberImport.restart')}</Button>
            <Button onClick={() => setRemap(true)}>{t('memberImport.check.remap')}</Button>
            <Button type="primary" onClick={confirmCommit} loading={commit.isPending} disabled={item.validRows === 0}>
              {item.errorRows > 0 ? t('memberImport.check.commitSkipping', { count: item.validRows }) : t('memberImport.check.commit', { count: item.validRows })}
            </Button>
          </Flex>
        </Flex>
      </>
    );
  }

  if (item.status === 'failed') {
    return (
      <>
        <WizardSteps current={item.startedAt ? 3 : 2} failed />
        <Result
          status="error"
          title={t('memberImport.failed.title')}
          subTitle={item.failure ?? t('errors.unexpected')}
          extra={[
            <Button key="remap" type="primary" onClick={() => setRemap(true)}>
              {t('memberImport.failed.retry')}
            </Button>,
            <Button key="restart" onClick={onRestart}>
              {t('memberImport.restart')}
            </Button>,
          ]}
        />
        {item.result ? <OutcomeCounts current={item} done /> : null}
      </>
    );
  }

  // completed
  return (
    <>
      <WizardSteps current={4} />
      <Flex vertical gap={16} data-testid="import-done">
        <Result
          status="success"
          title={t('memberImport.done.title')}
          subTitle={t('memberImport.done.summary', {
            file: item.fileName,
            time: item.finishedAt ? formatInZone(item.finishedAt, me.tenant.timezone) : '—',
          })}
          extra={[
            <Button key="members" type="primary" onClick={() => void navigate('/members')}>
              {t('memberImport.done.viewMembers')}
            </Button>,
            <Button key="another" onClick={onRestart}>
              {t('memberImport.done.another')}
            </Button>,
          ]}
        />
        <OutcomeCounts current={item} done />
        {item.errorRows > 0 ? <RowErrors current={item} /> : null}
      </Flex>
    </>
  );
}

function ImportHistory({ activeId, onOpen }: { activeId: string | undefined; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [params] = useSearchParams();
  const [page, setPage] = useState(intParam(params.get('historyPage'), 1));
  const imports = useImports(page, 10);

  const columns: TableColumnsType<MemberImport> = [
    {
      title: t('memberImport.history.file'),
      dataIndex: 'fileName',
      render: (name: string, item) => (
        <Flex vertical>
          <Typography.Text strong={item.id === activeId}>{name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`memberImport.kind.${item.kind}`)} · {t('memberImport.history.rows', { count: item.totalRows })}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('memberImport.history.status'), dataIndex: 'status', width: 110, render: (status: ImportStatus) => <ImportStatusTag status={status} /> },
    {
      title: t('memberImport.history.outcome'),
      key: 'outcome',
      width: 260,
      render: (_, item) =>
        item.result
          ? t('memberImport.history.result', { created: item.result.created, updated: item.result.updated, errors: item.errorRows })
          : item.planned
            ? t('memberImport.history.planned', { create: item.planned.create, update: item.planned.update, errors: item.errorRows })
            : '—',
    },
    { title: t('memberImport.history.createdAt'), dataIndex: 'createdAt', width: 160, render: (value: string) => formatInZone(value, me.tenant.timezone) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 240,
      render: (_, item) => (
        <Flex gap={4} wrap>
          <Button type="link" size="small" onClick={() => onOpen(item.id)} disabled={item.id === activeId}>
            {t('memberImport.history.open')}
          </Button>
          {item.errorRows > 0 ? <ErrorReportButtonsCompact importId={item.id} /> : null}
        </Flex>
      ),
    },
  ];

  return (
    <Card title={t('memberImport.history.title')}>
      {imports.isError ? (
        <QueryErrorAlert error={imports.error} onRetry={() => void imports.refetch()} />
      ) : (
        <Table<MemberImport>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={imports.data?.data ?? []}
          loading={imports.isFetching}
          scroll={{ x: 800 }}
          locale={{ emptyText: t('memberImport.history.empty') }}
          pagination={{ current: page, pageSize: 10, total: imports.data?.total ?? 0, hideOnSinglePage: true, onChange: setPage }}
        />
      )}
    </Card>
  );
}

function ErrorReportButtonsCompact({ importId }: { importId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="link" size="small" onClick={() => setOpen(true)}>
        {t('memberImport.history.errorReport')}
      </Button>
      <Modal open={open} title={t('memberImport.history.errorReport')} footer={null} onCancel={() => setOpen(false)} destroyOnHidden>
        <ErrorReportButtons importId={importId} />
      </Modal>
    </>
  );
}
