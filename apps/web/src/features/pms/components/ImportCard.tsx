import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Flex, List, Popconfirm, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { errorMessageOf } from '../../../components/error-message.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { i18n } from '../../../lib/i18n.ts';
import { useSession } from '../../../session/session-context.ts';
import type { PmsConnection } from '../api.ts';
import { usePmsFiles, type PmsFile } from '../files-api.ts';
import { useDiscardImport, useUploadImport } from '../import-api.ts';
import { ImportWizard } from './ImportWizard.tsx';

const MAX_BYTES = 50 * 1024 * 1024;
/** Why the server could not read a file (FileRefused), each explained on the page. */
const UNREADABLE = ['unsupported_format', 'unreadable', 'empty', 'too_many_rows'] as const;
/** The file being mapped is in the address (?import=…), so a reload or a link comes back to it. */
const PARAM = 'import';

/** The server's refusal of an upload, with why the file could not be read in the hotel's words. */
function uploadErrorOf(error: unknown): string {
  if (isApiError(error) && error.code === 'pms.import_unreadable') {
    const reason = UNREADABLE.find((r) => r === (error.details as { reason?: unknown } | undefined)?.reason);
    if (reason) return i18n.t('pmsImport.unreadableWithReason', { message: error.message, reason: i18n.t(`pmsImport.unreadable.${reason}`) });
  }
  return errorMessageOf(error);
}

/** The files uploaded and not yet imported: staff continue mapping one, or discard it. */
function WaitingFiles({ connection, onOpen }: { connection: PmsConnection; onOpen: (fileId: string) => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { message } = App.useApp();
  const files = usePmsFiles(connection.id, Boolean(connection.running));
  const discard = useDiscardImport(connection.id);
  const waiting = (files.data ?? []).filter((file) => file.layout === 'generic' && file.status === 'mapping');
  const remove = (file: PmsFile) =>
    discard.mutate(file.id, {
      onSuccess: () => void message.success(t('pmsImport.discarded', { name: file.name })),
      onError: (error) => void message.error(errorMessageOf(error)),
    });
  return (
    <List<PmsFile>
      size="small"
      header={<Typography.Text strong>{t('pmsImport.waitingTitle')}</Typography.Text>}
      loading={files.isPending}
      dataSource={waiting}
      locale={{ emptyText: t('pmsImport.waitingEmpty') }}
      data-testid="pms-import-waiting"
      renderItem={(file) => (
        <List.Item
          actions={[
            <Button key="continue" type="link" onClick={() => onOpen(file.id)} data-testid="pms-import-continue">
              {t('pmsImport.continue')}
            </Button>,
            <Popconfirm key="discard" title={t('pmsImport.discardConfirm', { name: file.name })} okText={t('pmsImport.discard')} cancelText={t('pmsImport.apply.cancel')} okButtonProps={{ danger: true }} onConfirm={() => remove(file)}>
              <Button type="link" danger loading={discard.isPending && discard.variables === file.id} data-testid="pms-import-discard">
                {t('pmsImport.discard')}
              </Button>
            </Popconfirm>,
          ]}
        >
          <List.Item.Meta title={file.name} description={t('pmsImport.waitingItem', { time: formatInZone(file.receivedAt, me.tenant.timezone), count: file.rowsTotal })} />
        </List.Item>
      )}
    />
  );
}

/** Upload: the file is read and kept waiting for its mapping; nothing is imported yet. */
function ImportStart({ connection, onOpen }: { connection: PmsConnection; onOpen: (fileId: string) => void }) {
  const { t } = useTranslation();
  const upload = useUploadImport(connection.id);
  const [error, setError] = useState<string>();
  const send = (file: File) => {
    setError(undefined);
    if (file.size > MAX_BYTES) setError(t('pmsImport.tooLarge'));
    else upload.mutate(file, { onSuccess: (answer) => onOpen(answer.file.id), onError: (failure) => setError(uploadErrorOf(failure)) });
    // The upload is ours (not antd's default POST).
    return false;
  };
  return (
    <Flex vertical gap={16}>
      <Upload.Dragger
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        multiple={false}
        showUploadList={false}
        disabled={upload.isPending}
        beforeUpload={send}
        data-testid="pms-import-dropzone"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('pmsImport.drop')}</p>
        <p className="ant-upload-hint">{t('pmsImport.dropHint')}</p>
      </Upload.Dragger>
      {error ? <Alert type="error" showIcon role="alert" title={error} data-testid="pms-import-upload-error" /> : null}
      <WaitingFiles connection={connection} onOpen={onOpen} />
    </Flex>
  );
}

/**
 * 從其他 PMS 匯入: another PMS's guest export, uploaded, its columns mapped to Innkeeper's fields (saved mappings),
 * tried in a dry run, then imported by a run (the sync history shows it). Staff without pms.manage are told why
 * there is nothing to do here.
 */
export function ImportCard({ connection }: { connection: PmsConnection }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const fileId = params.get(PARAM) ?? undefined;
  const card = useRef<HTMLDivElement>(null);
  const open = (id: string | undefined) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      if (id) next.set(PARAM, id);
      else next.delete(PARAM);
      return next;
    });
  // Opened from a link or the waiting list further up: the mapping is what staff came for.
  useEffect(() => {
    if (fileId) card.current?.scrollIntoView?.({ block: 'start' });
  }, [fileId]);

  return (
    <Card title={t('pmsImport.title')} ref={card} data-testid="pms-import">
      <Flex vertical gap={16}>
        <Typography.Text type="secondary">{t('pmsImport.help')}</Typography.Text>
        {!can('pms.manage') ? (
          <Empty description={t('pmsImport.noPermission')} />
        ) : fileId ? (
          <ImportWizard key={fileId} connection={connection} fileId={fileId} onClose={() => open(undefined)} />
        ) : (
          <ImportStart connection={connection} onOpen={open} />
        )}
      </Flex>
    </Card>
  );
}
