import { MailOutlined } from '@ant-design/icons';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuthOptions } from '../api.ts';

/** In the demo no mail leaves the server; this tells a newcomer where the code or link went. */
export function DemoMailboxHint() {
  const { t } = useTranslation();
  const options = useAuthOptions();
  if (!options.data?.demoMailbox) return null;
  return (
    <Alert
      role="note"
      type="info"
      showIcon
      icon={<MailOutlined />}
      style={{ marginTop: 24 }}
      title={t('demoMailbox.hintTitle')}
      description={
        <>
          {t('demoMailbox.hintBody')}{' '}
          <Link to="/demo-mailbox" target="_blank" rel="noopener" data-testid="demo-mailbox-link">
            {t('demoMailbox.open')}
          </Link>
        </>
      }
    />
  );
}
