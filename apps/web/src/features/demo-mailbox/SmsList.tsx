import { MobileOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Result, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryErrorAlert } from '../../components/QueryErrorAlert.tsx';
import { formatInZone, fromNow } from '../../lib/datetime.ts';
import { isMailboxOff, useDemoSms } from './api.ts';
import { MailBody } from './MailBody.tsx';

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Text messages the demo keeps instead of sending (the code a guest types when binding their LINE account). */
export function SmsList() {
  const { t } = useTranslation();
  const sms = useDemoSms();
  if (isMailboxOff(sms.error)) {
    return <Result status="info" title={t('demoSms.disabledTitle')} subTitle={t('demoSms.disabledBody')} />;
  }
  return (
    <Flex vertical gap={16}>
      <Alert role="note" type="info" showIcon title={t('demoSms.explainTitle')} description={t('demoSms.explainBody')} />
      <Flex gap={8} align="center">
        <Button icon={<ReloadOutlined />} onClick={() => void sms.refetch()} loading={sms.isFetching}>
          {t('common.refresh')}
        </Button>
      </Flex>
      {sms.isError ? <QueryErrorAlert error={sms.error} onRetry={() => void sms.refetch()} /> : null}
      {sms.isPending ? <Skeleton active /> : null}
      {sms.data?.length === 0 ? <Empty description={t('demoSms.empty')} /> : null}
      {sms.data && sms.data.length > 0 ? (
        <Flex vertical gap={12} role="list" aria-label={t('demoSms.title')}>
          {sms.data.map((message) => (
            <Card
              key={message.id}
              size="small"
              role="listitem"
              data-testid="sms"
              title={
                <Flex gap={8} align="center">
                  <MobileOutlined />
                  <span data-testid="sms-to">{message.toMobile}</span>
                </Flex>
              }
              extra={<Typography.Text type="secondary" title={formatInZone(message.createdAt, BROWSER_ZONE, true)}>{fromNow(message.createdAt)}</Typography.Text>}
            >
              <MailBody text={message.body} codeTestId="sms-code" />
            </Card>
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}
