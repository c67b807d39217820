import { LinkOutlined, QuestionCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { useCampaignClicks, useCampaignProgress } from '../api.ts';
import { buttonTarget, clicksState, showsClicks, type ButtonClicks } from '../click-counts.ts';
import type { Campaign } from '../messages.ts';
import { Figure } from './Figure.tsx';

/**
 * A campaign's button clicks on its page, once it has gone out: per button its label, kind and target, then clicks,
 * distinct guests, and for a URL button the clicks from outside LINE and those whose tags are still being applied.
 * A cancelled or failed campaign shows it only when LINE accepted it for someone first (its progress says so).
 */
export function CampaignClicks({ campaign, tagNames }: { campaign: Campaign; tagNames: ReadonlyMap<string, string> }) {
  if (campaign.status === 'cancelled' || campaign.status === 'failed') return <ClicksAfterStop campaign={campaign} tagNames={tagNames} />;
  return showsClicks(campaign.status, undefined) ? <ClicksCard campaign={campaign} tagNames={tagNames} /> : null;
}

/** The progress read once (the same query the send's progress shows), to tell a campaign stopped before it went out. */
function ClicksAfterStop({ campaign, tagNames }: { campaign: Campaign; tagNames: ReadonlyMap<string, string> }) {
  const progress = useCampaignProgress(campaign.id, campaign.status, false);
  return showsClicks(campaign.status, progress.data?.accepted) ? <ClicksCard campaign={campaign} tagNames={tagNames} /> : null;
}

function ClicksCard({ campaign, tagNames }: { campaign: Campaign; tagNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const clicks = useCampaignClicks(campaign.id, campaign.status);
  const counts = clicks.data;
  const state = counts ? clicksState(counts) : undefined;
  return (
    <Card
      title={t('campaigns.clicks.title')}
      size="small"
      data-testid="campaign-clicks"
      extra={
        <Tooltip title={t('campaigns.clicks.refresh')}>
          <Button type="text" size="small" icon={<ReloadOutlined />} aria-label={t('campaigns.clicks.refresh')} loading={clicks.isFetching} onClick={() => void clicks.refetch()} />
        </Tooltip>
      }
    >
      {clicks.error && !counts ? (
        <Alert type="warning" showIcon title={t('campaigns.clicks.failed')} description={errorMessageOf(clicks.error)} />
      ) : !counts ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : state === 'no_buttons' ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('campaigns.clicks.noButtons')} data-testid="campaign-clicks-empty" />
      ) : (
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">{t('campaigns.clicks.help')}</Typography.Text>
          {state === 'no_clicks' ? <Alert type="info" showIcon title={t('campaigns.clicks.noClicks')} data-testid="campaign-clicks-none" /> : null}
          {counts.data.map((button) => (
            <ButtonFigures key={button.actionId} button={button} tagNames={tagNames} />
          ))}
        </Flex>
      )}
    </Card>
  );
}

/** One button: what it is, where it goes and the tags it gives, over its figures (each whole, wrapping on a phone's 390 px). */
function ButtonFigures({ button, tagNames }: { button: ButtonClicks; tagNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const target = buttonTarget(button, tagNames);
  return (
    <Flex vertical gap={6} data-testid="button-clicks" style={{ borderTop: '1px solid rgba(5, 5, 5, 0.06)', paddingTop: 12, minWidth: 0 }}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text strong>{button.label}</Typography.Text>
        <Tag color={button.kind === 'uri' ? 'blue' : 'purple'}>{t(`campaigns.clicks.kind.${button.kind}`)}</Tag>
      </Flex>
      {target.url !== null ? (
        <Typography.Text type="secondary" style={{ minWidth: 0 }} ellipsis={{ tooltip: target.url }}>
          <LinkOutlined />{' '}
          <Typography.Link href={target.url} target="_blank" rel="noopener noreferrer" data-testid="button-clicks-link">
            {target.url}
          </Typography.Link>
        </Typography.Text>
      ) : null}
      {/* A URL button's tags too: staff read here what a click gave, whichever the kind (browser review). */}
      <Typography.Text type="secondary" data-testid="button-clicks-tags">
        {target.tags.length > 0 ? t('campaigns.clicks.givesTags', { tags: target.tags.join(t('members.listSeparator')), count: target.tags.length }) : t('campaigns.clicks.givesNoTags')}
      </Typography.Text>
      <Flex wrap gap="8px 28px">
        <Figure label={t('campaigns.clicks.clicks')} value={button.clicks.toLocaleString()} testId="button-clicks-total" />
        <Figure label={t('campaigns.clicks.guests')} value={button.guests.toLocaleString()} testId="button-clicks-guests" />
        {button.kind === 'uri' ? (
          <>
            <Figure label={<Help label={t('campaigns.clicks.anonymous')} help={t('campaigns.clicks.anonymousHelp')} />} value={button.anonymous.toLocaleString()} testId="button-clicks-anonymous" />
            {/* 標籤套用中 says nothing for a button that gives no tag, unless clicks are still on their way to the timeline. */}
            {button.tagIds.length > 0 || button.pending > 0 ? <Figure label={<Help label={t('campaigns.clicks.pending')} help={t('campaigns.clicks.pendingHelp')} />} value={button.pending.toLocaleString()} testId="button-clicks-pending" /> : null}
          </>
        ) : null}
      </Flex>
      {button.kind === 'postback' ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('campaigns.clicks.postbackNote')}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

function Help({ label, help }: { label: string; help: string }) {
  return (
    <Tooltip title={help}>
      <span>
        {label} <QuestionCircleOutlined />
      </span>
    </Tooltip>
  );
}
