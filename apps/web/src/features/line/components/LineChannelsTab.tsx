import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Collapse, Empty, Flex, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { useProperties } from '../../properties/index.ts';
import { useLineChannels, type LineChannel } from '../api.ts';
import { ChannelCard } from './ChannelCard.tsx';
import { ChannelFormModal } from './ChannelFormModal.tsx';

type Editing = { open: false } | { open: true; channel: LineChannel | undefined };

const SETUP_STEPS = ['developers', 'webhook', 'autoReply', 'liff', 'richMenu'] as const;

/** 設定 → LINE 官方帳號: connected channels, how to connect one, and each channel's URLs for LINE Developers. */
export function LineChannelsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const channels = useLineChannels();
  const properties = useProperties();
  const [editing, setEditing] = useState<Editing>({ open: false });

  const propertyName = (id: string | null) => {
    if (id === null) return t('line.tenantWide');
    const property = properties.data?.find((candidate) => candidate.id === id);
    return property ? t('properties.option', { name: property.name, code: property.code }) : '—';
  };
  const needsSetup = channels.data !== undefined && (channels.data.length === 0 || channels.data.some((channel) => channel.status !== 'verified'));

  return (
    <Flex vertical gap={16} data-testid="line-channels">
      <Flex justify="space-between" align="flex-start" gap={16} wrap>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 760 }}>
          {t('line.intro')}
        </Typography.Paragraph>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true, channel: undefined })} data-testid="line-add-channel">
          {t('line.add')}
        </Button>
      </Flex>
      {channels.data ? (
        <Collapse
          key={needsSetup ? 'open' : 'closed'}
          defaultActiveKey={needsSetup ? ['steps'] : []}
          items={[
            {
              key: 'steps',
              label: t('line.steps.title'),
              children: (
                <ol style={{ margin: 0, paddingInlineStart: 20 }} data-testid="line-setup-steps">
                  {SETUP_STEPS.map((step) => (
                    <li key={step} style={{ marginBottom: 6 }}>
                      <Typography.Text>{t(`line.steps.${step}`)}</Typography.Text>
                    </li>
                  ))}
                </ol>
              ),
            },
          ]}
        />
      ) : null}
      {channels.isError ? <QueryErrorAlert error={channels.error} onRetry={() => void channels.refetch()} /> : null}
      {channels.isPending ? <Skeleton active /> : null}
      {channels.data?.length === 0 ? <Empty description={t('line.empty')} /> : null}
      {channels.data?.map((channel) => (
        <ChannelCard key={channel.id} channel={channel} propertyName={propertyName(channel.propertyId)} onEdit={() => setEditing({ open: true, channel })} />
      ))}
      <ChannelFormModal
        open={editing.open}
        channel={editing.open ? editing.channel : undefined}
        onClose={() => setEditing({ open: false })}
        onSaved={(channel) => {
          setEditing({ open: false });
          void message.success(t('line.saved', { name: channel.name }));
        }}
      />
    </Flex>
  );
}
