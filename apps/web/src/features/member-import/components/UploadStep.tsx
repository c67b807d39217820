import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Progress, Radio, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { downloadText } from '../../../lib/download.ts';
import { useUploadImport, type ImportKind, type UploadResponse } from '../api.ts';

const MAX_BYTES = 20 * 1024 * 1024;

/** Column headers the importer recognises, as a starting point for a hotel's own file. */
const TEMPLATE: Record<ImportKind, string[]> = {
  members: ['會員編號', '姓', '名', '性別', '生日', '行動電話', '電子信箱', '身分證/護照號碼', '護照國籍', '是否接收優惠通知', '館別', '語言', '備註', '標籤'],
  stays: ['會員編號', '行動電話', '館別', '訂房編號', '入住日', '退房日', '房型', '房價代碼', '訂房管道', '金額', '幣別', '訂房狀態'],
};

export function UploadStep({ onUploaded }: { onUploaded: (upload: UploadResponse) => void }) {
  const { t } = useTranslation();
  const upload = useUploadImport();
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
        <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadText(kind === 'members' ? 'member-import-template.csv' : 'stay-import-template.csv', `\ufeff${TEMPLATE[kind].join(',')}\r\n`)}>
          {t('memberImport.upload.template')}
        </Button>
      </Flex>
    </Flex>
  );
}
