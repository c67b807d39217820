import { DeleteOutlined, EditOutlined, MessageOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Avatar, Button, Card, Descriptions, Divider, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { liffEndpointUrl, liffUrl, useDeleteChannel, useVerifyChannel, type LineChannel } from '../api.ts';
import { displayableImageUrl } from '../../../lib/image-url.ts';
import { ChannelStatusTag } from './ChannelStatusTag.tsx';
import { CopyableValue } from './CopyableValue.tsx';

type Props = { channel: LineChannel; propertyName: string; onEdit: () => void };

/** One connected Official Account: what LINE told us at the last check, the URLs to paste into LINE, and actions. */
export function ChannelCard({ channel, propertyName, onEdit }: Props) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { message, modal } = App.useApp();
  const verify = useVerifyChannel();
  const remove = useDeleteChannel();
  const zone = me.tenant.timezone;
  const picture = displayableImageUrl(channel.bot.pictureUrl);

  const runVerify = () =>
    verify.mutate(channel.id, {
      onSuccess: (checked) => {
        if (checked?.status === 'verified') void message.success(t('line.verifiedToast', { name: checked.bot.displayName ?? checked.name }));
        else void message.error(t('line.verifyFailedToast'));
      },
      onError: (error) => void message.error(errorMessageOf(error)),
    });

  const confirmDisconnect = () =>
    void modal.confirm({
      title: t('line.disconnectTitle', { name: channel.name }),
      content: t('line.disconnectBody'),
      okText: t('line.disconnect'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync(channel.id).then(
          () => void message.success(t('line.disconnected', { name: channel.name })),
          (error: unknown) => {
            void message.error(errorMessageOf(error));
          },
        ),
    });

  return (
    <Card
      data-testid="line-channel-card"
      title={
        <Flex align="center" gap={12} style={{ minWidth: 0 }}>
          <Avatar src={picture} icon={picture ? undefined : <MessageOutlined />} style={{ background: picture ? undefined : '#06c755', flexShrink: 0 }} />
          <Flex vertical style={{ minWidth: 0 }}>
            <Typography.Text strong ellipsis>
              {channel.name}
            </Typography.Text>
            {channel.bot.displayName ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="line-bot-name">
                {channel.bot.displayName}
                {channel.bot.basicId ? ` · ${channel.bot.basicId}` : ''}
              </Typography.Text>
            ) : null}
          </Flex>
        </Flex>
      }
      extra={<ChannelStatusTag status={channel.status} />}
      actions={[
        <Button key="verify" type="link" icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={runVerify} data-testid="line-verify">
          {t('line.verify')}
        </Button>,
        <Button key="edit" type="link" icon={<EditOutlined />} onClick={onEdit} aria-label={t('line.editNamed', { name: channel.name })}>
          {t('common.edit')}
        </Button>,
        <Button key="disconnect" type="link" danger icon={<DeleteOutlined />} onClick={confirmDisconnect} aria-label={t('line.disconnectNamed', { name: channel.name })}>
          {t('line.disconnect')}
        </Button>,
      ]}
    >
      {channel.status === 'failed' ? (
        <Alert type="error" showIcon role="alert" title={t('line.failedTitle')} description={channel.lastError ?? undefined} style={{ marginBottom: 16 }} data-testid="line-channel-error" />
      ) : null}
      {channel.status === 'unverified' ? <Alert type="warning" showIcon title={t('line.unverifiedHint')} style={{ marginBottom: 16 }} /> : null}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'property', label: t('line.fields.property'), children: propertyName },
          { key: 'channelId', label: t('line.fields.channelId'), children: channel.channelId },
          { key: 'token', label: t('line.fields.accessToken'), children: <Typography.Text code>{channel.accessTokenHint}</Typography.Text> },
          {
            key: 'verifiedAt',
            label: t('line.fields.verifiedAt'),
            children: channel.verifiedAt ? formatInZone(channel.verifiedAt, zone) : <Typography.Text type="secondary">{t('line.neverVerified')}</Typography.Text>,
          },
          { key: 'loginChannelId', label: t('line.fields.loginChannelId'), children: channel.loginChannelId ?? <Typography.Text type="secondary">{t('line.notSet')}</Typography.Text> },
          { key: 'liffId', label: t('line.fields.liffId'), children: channel.liffId ?? <Typography.Text type="secondary">{t('line.notSet')}</Typography.Text> },
          {
            key: 'welcome',
            label: t('line.fields.welcomeMessage'),
            span: 'filled',
            children: channel.welcomeMessage ? (
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 2, expandable: 'collapsible' }}>
                {channel.welcomeMessage}
              </Typography.Paragraph>
            ) : (
              <Typography.Text type="secondary">{t('line.defaultWelcome')}</Typography.Text>
            ),
          },
        ]}
      />
      <Divider style={{ margin: '12px 0' }} />
      <Flex vertical gap={12}>
        <CopyableValue label={t('line.webhookUrl')} value={channel.webhookUrl} help={t('line.webhookUrlHelp')} testId="line-webhook-url" />
        <CopyableValue label={t('line.liffEndpoint')} value={liffEndpointUrl(channel, me.tenant.id)} help={t('line.liffEndpointHelp')} testId="line-liff-endpoint" />
        {channel.liffId ? (
          <CopyableValue label={t('line.liffUrl')} value={liffUrl(channel.liffId)} help={t('line.liffUrlHelp')} testId="line-liff-url" />
        ) : (
          <Alert type="info" showIcon title={t('line.liffMissing')} />
        )}
      </Flex>
    </Card>
  );
}
