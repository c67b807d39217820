import { PlusOutlined } from '@ant-design/icons';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '@innkeeper/contracts';
import { Alert, Button, Empty, Flex, Segmented, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { formatInZone } from '../../../lib/datetime.ts';
import { PAGE_SIZES } from '../../../lib/page.ts';
import { useProperties } from '../../properties/index.ts';
import { useCampaigns } from '../api.ts';
import { PushSettingsCard } from '../components/PushSettingsCard.tsx';
import { STATUS_COLORS } from '../labels.ts';
import type { CampaignListItem } from '../messages.ts';
import { useCampaignFilters } from '../use-campaign-filters.ts';

/** Campaigns a page at a time, filtered by status (with how many are in each); new ones start as drafts. */
export function CampaignsPage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const navigate = useNavigate();
  const { filters, setFilters } = useCampaignFilters();
  const campaigns = useCampaigns(filters.status, filters.page, filters.pageSize);
  const properties = useProperties();
  const propertyName = (id: string | null) => (id === null ? t('campaigns.groupWide') : (properties.data?.find((p) => p.id === id)?.name ?? '…'));
  const counts = campaigns.data?.counts;
  const everything = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;
  const mayCreate = can('campaigns.edit');

  const audienceOf = (c: CampaignListItem) => {
    const kind = c.audience.kind;
    const base = kind === 'segment' ? (c.segmentName ? t('campaigns.audienceSummary.segment', { name: c.segmentName }) : t('campaigns.audienceSummary.segmentUnknown')) : t(`campaigns.audienceSummary.${kind}`);
    return c.holdoutPercent > 0 ? `${base} · ${t('campaigns.holdoutShort', { percent: c.holdoutPercent })}` : base;
  };

  const columns: TableColumnsType<CampaignListItem> = [
    {
      // One line, cut with an ellipsis (a long name wrapped into a tall, ragged row); the whole name on hover.
      title: t('campaigns.columns.name'),
      key: 'name',
      width: 260,
      ellipsis: { showTitle: false },
      render: (_, c) => (
        <Tooltip title={c.name} placement="topLeft">
          <Link to={`/campaigns/${c.id}`} data-testid="campaign-name-link">
            {c.name}
          </Link>
        </Tooltip>
      ),
    },
    { title: t('campaigns.columns.property'), key: 'property', width: 120, render: (_, c) => propertyName(c.propertyId) },
    { title: t('campaigns.columns.status'), key: 'status', width: 110, render: (_, c) => <Tag color={STATUS_COLORS[c.status]}>{t(`campaigns.status.${c.status}`)}</Tag> },
    {
      // A width of its own and one line: without one the column got what the others left (about 80 px at the table's
      // width) and 所有 LINE 好友 wrapped into three lines; a long segment name is cut with an ellipsis, whole on hover.
      title: t('campaigns.columns.audience'),
      key: 'audience',
      width: 200,
      ellipsis: { showTitle: false },
      render: (_, c) => (
        <Tooltip title={audienceOf(c)} placement="topLeft">
          <span data-testid="campaign-audience" style={{ whiteSpace: 'nowrap' }}>{audienceOf(c)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('campaigns.columns.schedule'),
      key: 'schedule',
      width: 170,
      render: (_, c) => (c.scheduledAt ? formatInZone(c.scheduledAt, me.tenant.timezone) : <Typography.Text type="secondary">{t('campaigns.notScheduled')}</Typography.Text>),
    },
    {
      // The same rule as the campaign's page: the success rate is over the recipients attempted, so a campaign
      // cancelled before its guests were sent to shows no rate rather than 0 %.
      title: t('campaigns.columns.outcome'),
      key: 'outcome',
      width: 200,
      render: (_, c) =>
        // Not sent yet (a draft, a scheduled one): a dash, as the other columns show nothing.
        c.outcome === null ? '—' : c.outcome.successRate === null ? (
          <Typography.Text type="secondary" data-testid="campaign-outcome">{t('campaigns.list.outcomeNone')}</Typography.Text>
        ) : c.outcome.cancelled > 0 ? (
          // Cut short by a cancel: how far it got, not a success rate that reads as "all went well" (browser review).
          <span data-testid="campaign-outcome">
            {t('campaigns.list.outcomeCancelled', { accepted: c.outcome.accepted.toLocaleString(), total: (c.outcome.accepted + c.outcome.failed + c.outcome.cancelled).toLocaleString(), cancelled: c.outcome.cancelled.toLocaleString() })}
          </span>
        ) : (
          <span data-testid="campaign-outcome">{t('campaigns.list.outcome', { accepted: c.outcome.accepted.toLocaleString(), rate: t('campaigns.progress.percent', { n: c.outcome.successRate }) })}</span>
        ),
    },
    { title: t('campaigns.columns.period'), key: 'period', width: 200, render: (_, c) => (c.startsOn || c.endsOn ? `${c.startsOn ?? '…'} ~ ${c.endsOn ?? '…'}` : '—') },
    { title: t('campaigns.columns.updatedAt'), key: 'updatedAt', width: 160, render: (_, c) => formatInZone(c.updatedAt, me.tenant.timezone) },
  ];

  // What to do next when the list is empty: create the first campaign, wait for drafts to approve, or look elsewhere.
  const empty =
    everything === 0 ? (
      <Empty description={t('campaigns.list.emptyTitle')} data-testid="campaigns-empty">
        <Typography.Paragraph type="secondary" style={{ maxWidth: 520, margin: '0 auto 12px' }}>
          {mayCreate ? t('campaigns.list.emptyEditor') : t('campaigns.list.emptyApprover')}
        </Typography.Paragraph>
        {mayCreate ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/campaigns/new')}>
            {t('campaigns.create')}
          </Button>
        ) : null}
      </Empty>
    ) : filters.status ? (
      <Empty description={t('campaigns.list.emptyStatus', { status: t(`campaigns.status.${filters.status}`) })} data-testid="campaigns-empty">
        <Typography.Paragraph type="secondary">{t(`campaigns.list.emptyHint.${filters.status}`)}</Typography.Paragraph>
        <Button onClick={() => setFilters({ status: undefined })}>{t('campaigns.list.showAll')}</Button>
      </Empty>
    ) : (
      <Empty description={t('campaigns.list.emptyTitle')} />
    );

  const awaiting = counts?.draft ?? 0;

  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={t('nav.campaigns')}
        description={t('campaigns.description')}
        extra={
          mayCreate ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/campaigns/new')}>
              {t('campaigns.create')}
            </Button>
          ) : undefined
        }
      />
      {can('campaigns.push') && awaiting > 0 && filters.status !== 'draft' ? (
        <Alert
          type="info"
          showIcon
          title={t('campaigns.list.awaitingApproval', { count: awaiting })}
          action={
            <Button size="small" onClick={() => setFilters({ status: 'draft' })}>
              {t('campaigns.list.awaitingApprovalShow')}
            </Button>
          }
        />
      ) : null}
      <Segmented<CampaignStatus | 'all'>
        value={filters.status ?? 'all'}
        onChange={(value) => setFilters({ status: value === 'all' ? undefined : value })}
        data-testid="campaign-status-filter"
        options={(['all', ...CAMPAIGN_STATUSES] as const).map((value) => {
          const n = value === 'all' ? everything : counts?.[value];
          return { value, label: n === undefined ? t(`campaigns.status.${value}`) : `${t(`campaigns.status.${value}`)} (${n.toLocaleString()})` };
        })}
      />
      {campaigns.isError ? (
        <QueryErrorAlert error={campaigns.error} onRetry={() => void campaigns.refetch()} />
      ) : (
        <Table<CampaignListItem>
          rowKey="id"
          data-testid="campaigns-table"
          columns={columns}
          dataSource={campaigns.data?.data ?? []}
          loading={campaigns.isPending || campaigns.isPlaceholderData}
          scroll={{ x: 1420 }}
          pagination={{
            current: filters.page,
            pageSize: filters.pageSize,
            total: campaigns.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            hideOnSinglePage: (campaigns.data?.total ?? 0) <= PAGE_SIZES[0]!,
            showTotal: (count) => t('common.total', { count }),
            onChange: (page, pageSize) => setFilters(pageSize !== filters.pageSize ? { pageSize } : { page }),
          }}
          locale={{ emptyText: campaigns.isPending ? ' ' : empty }}
        />
      )}
      <PushSettingsCard />
    </Flex>
  );
}
