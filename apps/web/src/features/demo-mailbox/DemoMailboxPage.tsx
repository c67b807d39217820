import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Input, Result, Skeleton, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { QueryErrorAlert } from '../../components/QueryErrorAlert.tsx';
import { formatInZone, fromNow } from '../../lib/datetime.ts';
import { isMailboxOff, useDemoMailbox, type CapturedMail } from './api.ts';
import { MailBody } from './MailBody.tsx';
import { SmsList } from './SmsList.tsx';

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function DemoMailboxPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'sms' ? 'sms' : 'mail';
  return (
    <Flex vertical gap={8} style={{ width: '100%', maxWidth: 760 }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('demoMailbox.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'sms' ? { tab: 'sms' } : {}, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'mail', label: t('demoSms.mailTab'), children: <MailTab /> },
          { key: 'sms', label: t('demoSms.tab'), children: <SmsList /> },
        ]}
      />
    </Flex>
  );
}

function MailTab() {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const mails = useDemoMailbox(to);
  const disabled = isMailboxOff(mails.error);

  if (disabled) {
    return (
      <Card>
        <Result status="info" title={t('demoMailbox.disabledTitle')} subTitle={t('demoMailbox.disabledBody')} extra={<Link to="/login">{t('common.backToLogin')}</Link>} />
      </Card>
    );
  }

  return (
    <Flex vertical gap={16}>
      <Alert role="note" type="info" showIcon title={t('demoMailbox.explainTitle')} description={t('demoMailbox.explainBody')} />
      <Flex gap={8} wrap align="center">
        <Input.Search
          allowClear
          aria-label={t('demoMailbox.filterLabel')}
          placeholder={t('demoMailbox.filterPlaceholder')}
          onSearch={(value) => setTo(value.trim().toLowerCase())}
          style={{ maxWidth: 360 }}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void mails.refetch()} loading={mails.isFetching}>
          {t('common.refresh')}
        </Button>
        <Link to="/login">{t('common.backToLogin')}</Link>
      </Flex>
      <MailList mails={mails.data} loading={mails.isPending} error={mails.isError ? mails.error : undefined} onRetry={() => void mails.refetch()} />
    </Flex>
  );
}

function MailList({ mails, loading, error, onRetry }: { mails: CapturedMail[] | undefined; loading: boolean; error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  if (error) return <QueryErrorAlert error={error} onRetry={onRetry} />;
  if (loading || !mails) return <Skeleton active />;
  if (mails.length === 0) return <Empty description={t('demoMailbox.empty')} />;
  return (
    <Flex vertical gap={12} role="list" aria-label={t('demoMailbox.title')}>
      {mails.map((mail) => (
        <Card
          key={mail.id}
          size="small"
          role="listitem"
          data-testid="mail"
          title={<span style={{ whiteSpace: 'normal' }}>{mail.subject}</span>}
          extra={<Typography.Text type="secondary" title={formatInZone(mail.createdAt, BROWSER_ZONE, true)}>{fromNow(mail.createdAt)}</Typography.Text>}
        >
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('demoMailbox.to')} {mail.toAddress}
          </Typography.Paragraph>
          <MailBody text={mail.textBody} />
        </Card>
      ))}
    </Flex>
  );
}
