import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { downloadText } from '../../../lib/download.ts';

/** The recovery codes, shown once: the person must copy or download them now. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { message } = App.useApp();
  const text = codes.join('\n');

  const copy = () =>
    navigator.clipboard
      .writeText(text)
      .then(() => void message.success(t('common.copied')))
      .catch(() => void message.error(t('myAccount.twoFactor.copyFailed')));

  const download = () =>
    downloadText(`innkeeper-recovery-codes-${me.account.email}.txt`, `${t('myAccount.twoFactor.recoveryFileHeader', { email: me.account.email })}\n\n${text}\n`);

  return (
    <Flex vertical gap={12}>
      <Alert role="note" type="warning" showIcon title={t('myAccount.twoFactor.recoveryOnce')} description={t('myAccount.twoFactor.recoveryExplain')} />
      <ol
        data-testid="recovery-codes"
        style={{ columns: 2, margin: 0, padding: '12px 12px 12px 36px', background: 'rgba(0,0,0,0.03)', borderRadius: 6, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
      >
        {codes.map((code) => (
          <li key={code}>
            <Typography.Text style={{ fontFamily: 'inherit', fontSize: 15 }}>{code}</Typography.Text>
          </li>
        ))}
      </ol>
      <Flex gap={8}>
        <Button icon={<CopyOutlined />} onClick={() => void copy()}>
          {t('common.copy')}
        </Button>
        <Button icon={<DownloadOutlined />} onClick={download}>
          {t('myAccount.twoFactor.downloadTxt')}
        </Button>
      </Flex>
    </Flex>
  );
}
