import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Progress, Radio, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { useDownloadTemplate, useUploadImport, type ImportKind, type UploadResponse } from '../api.ts';

const MAX_BYTES = 20 * 1024 * 1024;

export function UploadStep({ onUploaded }: { onUploaded: (upload: UploadResponse) => void }) {
  const { t } = useTranslation();
  const upload = useUploadImport();
  const template = useDownloadTemplate();
  const [kind, setKind] = useState<ImportKind>('members');
  const [percent, setPercent] = useState(0);
  const [error, setError] = useState<string>();

  const send = (file: File) => {
    setError(undefined);
    if (file.size > MAX_BYTES) {
      setError(t('memberImport.upload.tooLarge'));
      return;
    }
    setPercent(0);
    upload.mutate({ file, kind, onProgress: setPercent }, { onSuccess: onUploaded, onError: (failure) => setError(errorMessageOf(failure)) });
  };

  return (
    <Flex vertical gap={16}>
      <Flex gap={12} align="center" wrap>
        <Typography.Text strong>{t('memberImport.upload.kind')}</Typography.Text>
        <Radio.Group
          aria-label={t('memberImport.upload.kind')}
          value={kind}
          onChange={(event) => setKind(event.target.value as ImportKind)}
          options={[
            { value: 'members', label: t('memberImport.kind.members') },
            { value: 'stays', label: t('memberImport.kind.stays') },
          ]}
        />
      </Flex>
      <Upload.Dragger
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        multiple={false}
        showUploadList={false}
        disabled={upload.isPending}
        beforeUpload={(file) => {
          send(file);
          return false;
        }}
        data-testid="import-dropzone"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('memberImport.upload.drop')}</p>
        <p className="ant-upload-hint">{kind === 'members' ? t('memberImport.upload.hintMembers') : t('memberImport.upload.hintStays')}</p>
      </Upload.Dragger>
      {upload.isPending ? <Progress percent={percent} status="active" aria-label={t('memberImport.upload.uploading')} /> : null}
      {error ? <Alert type="error" showIcon role="alert" title={error} /> : null}
      <Flex gap={8} align="center" wrap>
        <Typography.Text type="secondary">{t('memberImport.upload.templateHint')}</Typography.Text>
        {(['xlsx', 'csv'] as const).map((format) => (
          <Button
            key={format}
            size="small"
            icon={<DownloadOutlined />}
            loading={template.isPending && template.variables.format === format}
            onClick={() => template.mutate({ kind, format }, { onError: (failure) => setError(errorMessageOf(failure)) })}
          >
            {t(format === 'xlsx' ? 'memberImport.upload.templateXlsx' : 'memberImport.upload.templateCsv')}
          </Button>
        ))}
      </Flex>
    </Flex>
  );
}
