import { PlusOutlined } from '@ant-design/icons';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '@innkeeper/contracts';
import { Alert, Button, Empty, Flex, Grid, Segmented, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
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
  // On a phone the table showed the name column only, the status and results behind a sideways scroll; below md each
  // campaign is one cell with its name over its status and result. From md the columns, the least needed ones
  // (活動期間, 最後修改) from xxl only: at 1280 px with the menu open they ran off the screen (browser review).
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const wide = screens.xxl === true;

  const audienceOf = (c: CampaignListItem) => {
    const kind = c.audience.kind;
    const base = kind === 'segment' ? (c.segmentName ? t('campaigns.audienceSummary.segment', { name: c.segmentName }) : t('campaigns.audienceSummary.segmentUnknown')) : t(`campaigns.audienceSummary.${kind}`);
    return c.holdoutPercent > 0 ? `${base} · ${t('campaigns.holdoutShort', { percent: c.holdoutPercent })}` : base;
  };

  const statusOf = (c: CampaignListItem) => (
    <Tag color={STATUS_COLORS[c.status]} data-testid="campaign-status">
      {t(`campaigns.status.${c.status}`)}
    </Tag>
  );

  const outcomeOf = (c: CampaignListItem) =>
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
        );

  const columns: TableColumnsType<CampaignListItem> = [
    {
      // One line, cut with an ellipsis (a long name wrapped into a tall, ragged row); the whole name on hover.
      title: t('campaigns.columns.name'),
      key: 'name',
      width: 220,
      ellipsis: { showTitle: false },
      render: (_, c) => (
        <Tooltip title={c.name} placement="topLeft">
          <Link to={`/campaigns/${c.id}`} data-testid="campaign-name-link">
            {c.name}
          </Link>
        </Tooltip>
      ),
    },
    { title: t('campaigns.columns.property'), key: 'property', width: 110, render: (_, c) => propertyName(c.propertyId) },
    { title: t('campaigns.columns.status'), key: 'status', width: 100, render: (_, c) => statusOf(c) },
    {
      // A width of its own and one line: without one the column got what the others left (about 80 px at the table's
      // width) and 所有 LINE 好友 wrapped into three lines; a long segment name is cut with an ellipsis, whole on hover.
      title: t('campaigns.columns.audience'),
      key: 'audience',
      width: 180,
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
      width: 160,
      render: (_, c) => (c.scheduledAt ? formatInZone(c.scheduledAt, me.tenant.timezone) : <Typography.Text type="secondary">{t('campaigns.notScheduled')}</Typography.Text>),
    },
    {
      // The same rule as the campaign's page: the success rate is over the recipients attempted, so a campaign
      // cancelled before its guests were sent to shows no rate rather than 0 %.
      title: t('campaigns.columns.outcome'),
      key: 'outcome',
      width: 200,
      render: (_, c) => outcomeOf(c),
    },
    {
      // Each date whole: the column may wrap at 「~」, never inside a date.
      title: t('campaigns.columns.period'),
      key: 'period',
      width: 130,
      responsive: ['xxl'],
      render: (_, c) =>
        c.startsOn || c.endsOn ? (
          <>
            <span style={{ whiteSpace: 'nowrap' }}>{c.startsOn ?? '…'} ~</span> <span style={{ whiteSpace: 'nowrap' }}>{c.endsOn ?? '…'}</span>
          </>
        ) : (
          '—'
        ),
    },
    { title: t('campaigns.columns.updatedAt'), key: 'updatedAt', width: 160, responsive: ['xxl'], render: (_, c) => formatInZone(c.updatedAt, me.tenant.timezone) },
  ];

  // A phone's one column: the name on its line (cut with an ellipsis, whole on hover), its status and result below.
  const compactColumns: TableColumnsType<CampaignListItem> = [
    {
      title: t('campaigns.columns.name'),
      key: 'campaign',
      render: (_, c) => (
        <Flex vertical gap={4} style={{ minWidth: 0 }}>
          <Tooltip title={c.name} placement="topLeft">
            <Link to={`/campaigns/${c.id}`} data-testid="campaign-name-link" style={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {c.name}
            </Link>
          </Tooltip>
          <Flex wrap gap="4px 8px" align="center">
            {statusOf(c)}
            {c.outcome !== null ? outcomeOf(c) : c.scheduledAt ? <Typography.Text type="secondary">{formatInZone(c.scheduledAt, me.tenant.timezone)}</Typography.Text> : null}
          </Flex>
        </Flex>
      ),
    },
  ];
  // The widths of the columns shown: the table scrolls only on a window narrower than they are.
  const columnsWidth = columns.filter((c) => wide || !c.responsive).reduce((sum, c) => sum + Number(c.width ?? 0), 0);

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
      {/* Seven statuses with their counts are wider than a phone (browser review: the page grew to 790 px): they scroll
          sideways inside the screen, the page does not. */}
      <div style={{ overflowX: 'auto', maxWidth: '100%' }} data-testid="campaign-status-filter-scroller">
        <Segmented<CampaignStatus | 'all'>
          value={filters.status ?? 'all'}
          onChange={(value) => setFilters({ status: value === 'all' ? undefined : value })}
          data-testid="campaign-status-filter"
          options={(['all', ...CAMPAIGN_STATUSES] as const).map((value) => {
            const n = value === 'all' ? everything : counts?.[value];
            return { value, label: n === undefined ? t(`campaigns.status.${value}`) : `${t(`campaigns.status.${value}`)} (${n.toLocaleString()})` };
          })}
        />
      </div>
      {campaigns.isError ? (
        <QueryErrorAlert error={campaigns.error} onRetry={() => void campaigns.refetch()} />
      ) : (
        <Table<CampaignListItem>
          rowKey="id"
          data-testid="campaigns-table"
          columns={narrow ? compactColumns : columns}
          tableLayout={narrow ? 'fixed' : undefined}
          dataSource={campaigns.data?.data ?? []}
          loading={campaigns.isPending || campaigns.isPlaceholderData}
          scroll={narrow ? undefined : { x: columnsWidth }}
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
