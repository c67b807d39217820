import { LogoutOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { LoginLocationState } from '../../../session/location-state.ts';
import { useSession } from '../../../session/session-context.ts';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { setCsrfToken } from '../../../lib/api-client.ts';
import { formatInZone, fromNow } from '../../../lib/datetime.ts';
import { summarizeUserAgent } from '../../../lib/user-agent.ts';
import { useLogoutEverywhere, useMySessions, type SignedInBrowser } from '../api.ts';

export function SessionsCard() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const sessions = useMySessions();
  const logoutEverywhere = useLogoutEverywhere();

  const confirmLogoutEverywhere = () =>
    modal.confirm({
      title: t('myAccount.sessions.logoutEverywhereTitle'),
      content: t('myAccount.sessions.logoutEverywhereBody'),
      okText: t('myAccount.sessions.logoutEverywhere'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        logoutEverywhere
          .mutateAsync()
          .then(({ sessionsEnded }) => {
            const state: LoginLocationState = { success: t('myAccount.sessions.loggedOutEverywhere', { count: sessionsEnded }) };
            setCsrfToken(undefined);
            void navigate('/login', { replace: true, state });
            queueMicrotask(() => queryClient.clear());
          })
          .catch((error: unknown) => void message.error(errorMessageOf(error))),
    });

  const columns: TableColumnsType<SignedInBrowser> = [
    {
      title: t('myAccount.sessions.browser'),
      dataIndex: 'userAgent',
      render: (userAgent: string, row) => {
        const { browser, os } = summarizeUserAgent(userAgent);
        const name = browser ? (os ? t('myAccount.sessions.browserOn', { browser, os }) : browser) : t('myAccount.sessions.unknownBrowser');
        return (
          <>
            <Tooltip title={userAgent || undefined}>
              <Typography.Text>{name}</Typography.Text>
            </Tooltip>{' '}
            {row.current ? <Tag color="green">{t('myAccount.sessions.current')}</Tag> : null}
          </>
        );
      },
    },
    { title: t('myAccount.sessions.ip'), dataIndex: 'ip', width: 160 },
    { title: t('myAccount.sessions.signedInAt'), dataIndex: 'createdAt', width: 170, render: (value: string) => formatInZone(value, me.tenant.timezone) },
    {
      title: t('myAccount.sessions.lastSeen'),
      dataIndex: 'lastSeenAt',
      width: 170,
      render: (value: string) => <span title={formatInZone(value, me.tenant.timezone, true)}>{fromNow(value)}</span>,
    },
  ];

  return (
    <Card
      title={t('myAccount.sessions.title')}
      extra={
        <Button danger icon={<LogoutOutlined />} onClick={confirmLogoutEverywhere}>
          {t('myAccount.sessions.logoutEverywhere')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('myAccount.sessions.explain', { minutes: me.sessionIdleMinutes })}</Typography.Paragraph>
      {sessions.isError ? (
        <QueryErrorAlert error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <Table<SignedInBrowser>
          rowKey={(row) => `${row.createdAt}-${row.ip}-${row.userAgent}`}
          columns={columns}
          dataSource={sessions.data ?? []}
          loading={sessions.isPending}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: <Empty description={t('myAccount.sessions.empty')} /> }}
        />
      )}
    </Card>
  );
}
