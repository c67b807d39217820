import { ApiOutlined, DeleteOutlined, EditOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Form, Modal, Progress, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { useSession } from '../../../session/session-context.ts';
import { useProperties } from '../../properties/index.ts';
import { useCreatePmsConnection, useDeletePmsConnection, usePmsConnections, usePmsReport, useRefreshWhenRunEnds, useSyncNow, useTestPmsConnection, useUpdatePmsConnection, type PmsConnection } from '../api.ts';
import { ConnectionForm, initialValues, toInput, type ConnectionFormValues } from '../components/ConnectionForm.tsx';
import { ConflictsCard } from '../components/ConflictsCard.tsx';
import { FilesCard } from '../components/FilesCard.tsx';
import { ImportCard } from '../components/ImportCard.tsx';
import { ReportCard } from '../components/ReportCard.tsx';
import { RunsTable } from '../components/RunsTable.tsx';
import { useCodeLabel, useConnectionName } from '../labels.ts';

const PHASES = ['profiles', 'stays', 'matching', 'stays_to_members', 'done'] as const;

/** The connection: where, which key, the schedule, its health and the sync under way; "sync now" and "test". */
function ConnectionCard({ connection }: { connection: PmsConnection }) {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { message } = App.useApp();
  const label = useCodeLabel();
  const connectionName = useConnectionName();
  const properties = useProperties();
  const syncNow = useSyncNow();
  const test = useTestPmsConnection();
  const update = useUpdatePmsConnection();
  const remove = useDeletePmsConnection();
  const report = usePmsReport(connection.id);
  const { modal } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<ConnectionFormValues>();
  const manage = can('pms.manage');
  const zone = me.tenant.timezone;
  const running = connection.running;
  const propertyName = (id: string) => properties.data?.find((p) => p.id === id)?.name ?? id;

  const startSync = () =>
    syncNow.mutate(connection.id, {
      onSuccess: () => void message.success(t('pms.syncStarted')),
      onError: (error) => void message.error(errorMessageOf(error)),
    });
  const runTest = () =>
    test.mutate(connection.id, {
      onSuccess: (health) =>
        health.ok
          ? void message.success(t('pms.testOk', { time: health.serverTime, skew: health.clockSkewSeconds ?? '?', hotels: health.hotels.map((h) => h.code).join(', ') }))
          : // In the staff's words (the alert's), with PMS's own text for technical support after it.
            void message.error(
              health.message
                ? t('pms.testFailed', { reason: health.code ? label('alertCodes', health.code) : t('pms.testFailedUnknown'), message: health.message })
                : t('pms.testFailedNoDetail', { reason: health.code ? label('alertCodes', health.code) : t('pms.testFailedUnknown') }),
            ),
      onError: (error) => void message.error(errorMessageOf(error)),
    });
  const save = async () => {
    const values = await form.validateFields();
    const { apiKey, ...rest } = toInput(values);
    await update.mutateAsync({ id: connection.id, patch: { ...rest, ...(apiKey ? { apiKey } : {}) } });
    void message.success(t('pms.saved'));
    setEditing(false);
  };

  // The dialog says what stops, what members keep and what goes, in the figures of the last report.
  const confirmDelete = () => {
    const figures = report.data?.report;
    const pending = report.data?.pushBack['pending'] ?? 0;
    modal.confirm({
      title: t('pms.deleteTitle', { name: connectionName(connection.name) }),
      width: 560,
      content: (
        <ul style={{ paddingInlineStart: 20, margin: 0 }} data-testid="pms-delete-consequences">
          <li>{t('pms.deleteStops')}</li>
          <li>{t('pms.deleteKeeps', { stays: figures?.staysOnMembers ?? 0 })}</li>
          <li>{t('pms.deleteRemoves', { members: figures?.matched ?? 0 })}</li>
          {pending > 0 ? <li>{t('pms.deletePending', { count: pending })}</li> : null}
          <li>{t('pms.deleteReconnect')}</li>
        </ul>
      ),
      okText: t('pms.deleteConfirm'),
      okButtonProps: { danger: true, 'data-testid': 'pms-delete-confirm' },
      cancelText: t('pms.cancel'),
      onOk: () =>
        remove.mutateAsync(connection.id).then(
          () => void message.success(t('pms.deleted')),
          (error: unknown) => void message.error(errorMessageOf(error)),
        ),
    });
  };

  return (
    <Card
      title={
        <Flex gap={8} align="center">
          <ApiOutlined />
          <span data-testid="pms-connection-name">{connectionName(connection.name)}</span>
          <Tag color={connection.enabled ? 'green' : 'default'}>{connection.enabled ? t('pms.enabled') : t('pms.disabled')}</Tag>
        </Flex>
      }
      extra={
        manage ? (
          <Flex gap={8} wrap>
            <Button icon={<EditOutlined />} onClick={() => (form.setFieldsValue(initialValues(connection)), setEditing(true))} data-testid="pms-edit">
              {t('pms.edit')}
            </Button>
            <Button onClick={runTest} loading={test.isPending} data-testid="pms-test">
              {t('pms.test')}
            </Button>
            <Button type="primary" icon={<SyncOutlined spin={Boolean(running)} />} onClick={startSync} loading={syncNow.isPending} disabled={Boolean(running) || !connection.enabled} data-testid="pms-sync-now">
              {t('pms.syncNow')}
            </Button>
            <Button danger icon={<DeleteOutlined />} onClick={confirmDelete} disabled={Boolean(running)} title={running ? t('pms.deleteRunning') : undefined} data-testid="pms-delete">
              {t('pms.delete')}
            </Button>
          </Flex>
        ) : null
      }
      data-testid="pms-connection"
    >
      {connection.alert ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={t('common.labelValue', { label: t('pms.alert'), value: label('alertCodes', connection.alert.code) })}
          description={
            <Flex vertical>
              <span>
                {connection.alert.since ? `${t('pms.alertSince', { time: formatInZone(connection.alert.since, zone) })} · ` : null}
                {t('pms.failures', { count: connection.consecutiveFailures })}
              </span>
              {/* The PMS's own words (often English): for whoever the hotel asks, not as the page's message. */}
              {connection.alert.message ? <Typography.Text type="secondary">{t('pms.alertDetail', { message: connection.alert.message })}</Typography.Text> : null}
            </Flex>
          }
          data-testid="pms-alert"
        />
      ) : null}
      {running ? (
        <Flex vertical gap={4} style={{ marginBottom: 16 }} data-testid="pms-progress">
          <Typography.Text strong>
            {t('common.labelValue', { label: t('pms.running'), value: t(`pms.phases.${running.phase}`) })}
          </Typography.Text>
          <Progress percent={Math.round((PHASES.indexOf(running.phase) / (PHASES.length - 1)) * 100)} status="active" showInfo={false} />
          <Typography.Text type="secondary">{t('pms.progress', { profiles: running.pulledProfiles, stays: running.pulledStays })}</Typography.Text>
        </Flex>
      ) : null}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'url', label: t('pms.fields.baseUrl'), children: <Typography.Text code>{connection.baseUrl}</Typography.Text> },
          { key: 'key', label: t('pms.fields.apiKeyHint'), children: `••••${connection.apiKeyHint}` },
          { key: 'schedule', label: t('pms.fields.scheduleMinutes'), children: (
              <Flex vertical>
                <span data-testid="pms-schedule-value">{t('pms.every', { minutes: connection.scheduleMinutes })}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="pms-nightly">
                  {t('pms.nightly', { hour: '03:00' })}
                  {connection.lastFullAt ? ` ${t('pms.lastFull', { time: formatInZone(connection.lastFullAt, zone) })}` : ''}
                </Typography.Text>
              </Flex>
            ),
          },
          { key: 'hotel', label: t('pms.fields.hotelCodShown'), children: connection.hotelCod ?? t('pms.fields.allHotels') },
          { key: 'last', label: t('pms.fields.lastSuccess'), children: connection.lastSuccessAt ? formatInZone(connection.lastSuccessAt, zone) : '—' },
          { key: 'next', label: t('pms.fields.nextRun'), children: connection.enabled && connection.nextRunAt ? formatInZone(connection.nextRunAt, zone) : '—' },
          {
            key: 'map',
            label: t('pms.fields.propertyMap'),
            children: Object.entries(connection.propertyMap).length > 0 ? Object.entries(connection.propertyMap).map(([code, id]) => `${code} → ${propertyName(id)}`).join(t('members.listSeparator')) : '—',
          },
        ]}
      />
      <Modal
        open={editing}
        title={t('pms.edit')}
        okText={t('pms.save')}
        cancelText={t('pms.cancel')}
        onOk={() => save().catch((error: unknown) => void (error instanceof Error ? message.error(errorMessageOf(error)) : undefined))}
        confirmLoading={update.isPending}
        onCancel={() => setEditing(false)}
        destroyOnHidden
        width={640}
      >
        <Form form={form} layout="vertical" initialValues={initialValues(connection)} data-testid="pms-edit-form">
          <ConnectionForm editing kind={connection.kind} />
        </Form>
      </Modal>
    </Card>
  );
}

/** Connecting for the first time. */
function ConnectCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const create = useCreatePmsConnection();
  const defaultName = t('pms.defaultName');
  const [form] = Form.useForm<ConnectionFormValues>();
  const [error, setError] = useState<string>();
  const submit = (values: ConnectionFormValues) => {
    setError(undefined);
    create.mutate(toInput(values), { onSuccess: () => void message.success(t('pms.saved')), onError: (e) => setError(errorMessageOf(e)) });
  };
  return (
    <Card title={t('pms.noConnection')}>
      <Typography.Paragraph type="secondary">{t('pms.noConnectionHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={initialValues(undefined, defaultName)} onFinish={submit} style={{ maxWidth: 640 }}>
        <ConnectionForm editing={false} />
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="pms-connect">
          {t('pms.connect')}
        </Button>
      </Form>
    </Card>
  );
}

/** PMS 串接: the 德安 connection, its schedule, "sync now", the run history, the member match report and the files (德安's and other PMSs'). */
export function PmsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const connections = usePmsConnections();
  const connection = connections.data?.[0];
  useRefreshWhenRunEnds(connection?.running?.id);
  return (
    <>
      <PageHeader title={t('nav.pms')} description={t('pms.description')} />
      {connections.isError ? <QueryErrorAlert error={connections.error} onRetry={() => void connections.refetch()} /> : null}
      {connections.isPending ? <Skeleton active /> : null}
      {connections.data && !connection ? can('pms.manage') ? <ConnectCard /> : <Empty description={t('pms.noPermissionToConnect')} /> : null}
      {connection ? (
        <Flex vertical gap={16}>
          <ConnectionCard connection={connection} />
          <ReportCard connectionId={connection.id} />
          <ConflictsCard connectionId={connection.id} />
          <RunsTable connectionId={connection.id} running={Boolean(connection.running)} />
          <FilesCard connection={connection} />
          <ImportCard connection={connection} />
        </Flex>
      ) : null}
    </>
  );
}
