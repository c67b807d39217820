import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Flex, Form, Modal, Radio, Tag, Typography, type ButtonProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import type { Audience } from '../../members/index.ts';
import { useExportMembers, type FileFormat } from '../api.ts';

const MAX_EXPORT_ROWS = 50_000;

type Props = {
  open: boolean;
  audience: Audience;
  /** How the list is narrowed, as short phrases ("搜尋「王」", "分眾「VIP」"); empty = every member. */
  scope: string[];
  count: number | undefined;
  onClose: () => void;
};

/** Exports the member list's current audience as XLSX or CSV. */
export function ExportModal({ open, audience, scope, count, onClose }: Props) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const exporting = useExportMembers();
  const [format, setFormat] = useState<FileFormat>('xlsx');
  const [error, setError] = useState<string>();
  const unmasked = can('personal_data.unmasked');
  const tooLarge = count !== undefined && count > MAX_EXPORT_ROWS;

  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);

  const submit = () => {
    setError(undefined);
    exporting.mutate(
      { audience, format },
      {
        onSuccess: () => {
          void message.success(t('memberExport.done'));
          onClose();
        },
        onError: (failure) => setError(errorMessageOf(failure)),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('memberExport.title')}
      okText={t('memberExport.submit')}
      okButtonProps={{ icon: <DownloadOutlined />, disabled: count === 0 || tooLarge, 'data-testid': 'export-submit' } as ButtonProps}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={exporting.isPending}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('memberExport.audience')}>
          <Flex vertical gap={6}>
            <Flex gap={4} wrap>
              {scope.length === 0 ? <Tag>{t('memberExport.everyone')}</Tag> : scope.map((phrase) => <Tag key={phrase} color="blue">{phrase}</Tag>)}
            </Flex>
            <Typography.Text strong data-testid="export-count">
              {count === undefined ? t('common.loading') : t('memberExport.count', { count })}
            </Typography.Text>
          </Flex>
        </Form.Item>
        <Form.Item label={t('memberExport.format')}>
          <Radio.Group
            value={format}
            onChange={(event) => setFormat(event.target.value as FileFormat)}
            options={[
              { value: 'xlsx', label: t('memberExport.xlsx') },
              { value: 'csv', label: t('memberExport.csv') },
            ]}
          />
        </Form.Item>
      </Form>
      <Flex vertical gap={8}>
        <Alert type={unmasked ? 'warning' : 'info'} showIcon title={unmasked ? t('memberExport.unmasked') : t('memberExport.masked')} />
        <Alert type="info" showIcon title={t('memberExport.audited')} />
        {tooLarge ? <Alert type="error" showIcon title={t('memberExport.tooLarge', { max: MAX_EXPORT_ROWS })} /> : null}
        {error ? <Alert type="error" showIcon role="alert" title={error} /> : null}
      </Flex>
    </Modal>
  );
}
