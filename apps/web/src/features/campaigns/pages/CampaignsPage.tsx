import { PlusOutlined } from '@ant-design/icons';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '@innkeeper/contracts';
import { Button, Empty, Flex, Segmented, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { formatInZone } from '../../../lib/datetime.ts';
import { useProperties } from '../../properties/index.ts';
import { useCampaigns } from '../api.ts';
import { PushSettingsCard } from '../components/PushSettingsCard.tsx';
import { STATUS_COLORS } from '../labels.ts';
import type { CampaignListItem } from '../messages.ts';

/** Campaigns: status, audience and send time of each; new ones start as drafts. */
export function CampaignsPage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const navigate = useNavigate();
  const [status, setStatus] = useState<CampaignStatus | 'all'>('all');
  const campaigns = useCampaigns(status === 'all' ? undefined : status);
  const properties = useProperties();
  const propertyName = (id: string | null) => (id === null ? t('campaigns.groupWide') : (properties.data?.find((p) => p.id === id)?.name ?? '…'));

  const audienceOf = (c: CampaignListItem) => {
    const kind = c.audience.kind;
    const base = kind === 'segment' ? (c.segmentName ? t('campaigns.audienceSummary.segment', { name: c.segmentName }) : t('campaigns.audienceSummary.segmentUnknown')) : t(`campaigns.audienceSummary.${kind}`);
    return c.holdoutPercent > 0 ? `${base} · ${t('campaigns.holdoutShort', { percent: c.holdoutPercent })}` : base;
  };

  const columns: TableColumnsType<CampaignListItem> = [
    { title: t('campaigns.columns.name'), key: 'name', render: (_, c) => <Link to={`/campaigns/${c.id}`}>{c.name}</Link> },
    { title: t('campaigns.columns.property'), key: 'property', width: 120, render: (_, c) => propertyName(c.propertyId) },
    { title: t('campaigns.columns.status'), key: 'status', width: 110, render: (_, c) => <Tag color={STATUS_COLORS[c.status]}>{t(`campaigns.status.${c.status}`)}</Tag> },
    { title: t('campaigns.columns.audience'), key: 'audience', render: (_, c) => audienceOf(c) },
    {
      title: t('campaigns.columns.schedule'),
      key: 'schedule',
      width: 170,
      render: (_, c) => (c.scheduledAt ? formatInZone(c.scheduledAt, me.tenant.timezone) : <Typography.Text type="secondary">{t('campaigns.notScheduled')}</Typography.Text>),
    },
    { title: t('campaigns.columns.period'), key: 'period', width: 200, render: (_, c) => (c.startsOn || c.endsOn ? `${c.startsOn ?? '…'} ~ ${c.endsOn ?? '…'}` : '—') },
    { title: t('campaigns.columns.updatedAt'), key: 'updatedAt', width: 160, render: (_, c) => formatInZone(c.updatedAt, me.tenant.timezone) },
  ];

  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={t('nav.campaigns')}
        description={t('campaigns.description')}
        extra={
          can('campaigns.edit') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/campaigns/new')}>
              {t('campaigns.create')}
            </Button>
          ) : undefined
        }
      />
      <Segmented<CampaignStatus | 'all'> value={status} onChange={setStatus} options={(['all', ...CAMPAIGN_STATUSES] as const).map((value) => ({ value, label: t(`campaigns.status.${value}`) }))} />
      {campaigns.isError ? (
        <QueryErrorAlert error={campaigns.error} onRetry={() => void campaigns.refetch()} />
      ) : (
        <Table<CampaignListItem>
          rowKey="id"
          data-testid="campaigns-table"
          columns={columns}
          dataSource={campaigns.data ?? []}
          loading={campaigns.isPending}
          scroll={{ x: 1000 }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('campaigns.empty')} /> }}
        />
      )}
      <PushSettingsCard />
    </Flex>
  );
}
