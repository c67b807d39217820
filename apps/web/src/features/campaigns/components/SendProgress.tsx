import { CaretRightOutlined, PauseOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Flex, Progress, Tag, Tooltip, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { campaignKeys, useCampaignProgress, useCampaignTransition } from '../api.ts';
import type { Campaign } from '../messages.ts';
import { sendProgressBar } from '../send-progress.ts';

const SENT_STATES = ['sending', 'paused', 'sent', 'cancelled', 'failed'];

/**
 * A send under way or done: recipients accepted, waiting, failed and skipped (with the reasons), the rate and the
 * time left, polled while it sends; pause and resume for accounts with the push permission.
 */
export function SendProgress({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const live = campaign.status === 'sending';
  // Paused, the batches LINE was already sent still settle: the figures keep coming in (less often) rather than
  // standing at what they were when the pause was asked for.
  const progress = useCampaignProgress(campaign.id, campaign.status, live ? 2000 : campaign.status === 'paused' ? 5000 : false);
  const { pause, resume } = useCampaignTransition();
  const data = progress.data;

  // The engine moved the campaign on (sent, or paused for the quota): the page reloads it.
  useEffect(() => {
    if (data && data.status !== campaign.status) void queryClient.invalidateQueries({ queryKey: campaignKeys.one(campaign.id) });
  }, [data, campaign.status, campaign.id, queryClient]);

  if (!SENT_STATES.includes(campaign.status) || !data || data.total === 0) return null;
  // Of the recipients meant to be sent, the cancelled ones among them: a cancelled send's bar stops where it stopped.
  const bar = sendProgressBar(data);
  const stopped = campaign.status === 'cancelled' && data.cancelled > 0;
  const act = (mutation: typeof pause, done: string) =>
    mutation
      .mutateAsync(campaign.id)
      .then(() => void message.success(done))
      .catch((error: unknown) => void message.error(errorMessageOf(error)));

  return (
    <Flex vertical gap={8} data-testid="send-progress">
      <Progress
        percent={bar.percent}
        status={live ? 'active' : data.failed > 0 ? 'exception' : 'normal'}
        format={stopped ? () => `${bar.sent.toLocaleString()} / ${bar.of.toLocaleString()}` : undefined}
        data-testid="send-progress-bar"
      />
      {stopped ? (
        <Typography.Text data-testid="send-progress-summary">
          {t('campaigns.progress.cancelledSummary', { sent: bar.sent.toLocaleString(), of: bar.of.toLocaleString(), cancelled: data.cancelled.toLocaleString() })}
        </Typography.Text>
      ) : null}
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t('campaigns.progress.accepted')}>{data.accepted.toLocaleString()}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.progress.queued')}>{data.queued.toLocaleString()}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.progress.failed')}>{data.failed.toLocaleString()}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.progress.skipped')}>{data.skipped.toLocaleString()}</Descriptions.Item>
        {data.cancelled > 0 ? (
          <Descriptions.Item label={t('campaigns.progress.cancelled')}>
            <span data-testid="not-sent-cancelled">{data.cancelled.toLocaleString()}</span>
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('campaigns.progress.rate')}>{data.recipientsPerSecond === null ? '—' : t('campaigns.progress.perSecond', { n: data.recipientsPerSecond })}</Descriptions.Item>
        {/* The time left means something only while it sends: a finished campaign does not show "0 秒". */}
        {live ? <Descriptions.Item label={t('campaigns.progress.timeLeft')}>{data.secondsLeft === null ? '—' : t('campaigns.progress.seconds', { n: data.secondsLeft })}</Descriptions.Item> : null}
        <Descriptions.Item
          label={
            <Tooltip title={t('campaigns.progress.successRateHelp')}>
              <span>
                {t('campaigns.progress.successRate')} <QuestionCircleOutlined />
              </span>
            </Tooltip>
          }
        >
          <span data-testid="success-rate">{data.successRate === null ? '—' : t('campaigns.progress.percent', { n: data.successRate })}</span>
        </Descriptions.Item>
      </Descriptions>
      <Flex gap={4} wrap>
        {data.byReason
          // Skip reasons and failure causes are codes, said in the staff's language (a code this screen does not know
          // yet as 其他原因, never the code); the cancelled have their own line.
          .filter((r) => r.reason && r.reason !== 'cancelled')
          .map((r) => (
            <Tag key={`${r.status}:${r.reason}`}>
              {t('campaigns.progress.reasonCount', { reason: t(`campaigns.progress.reasons.${r.reason}`, { defaultValue: t('campaigns.progress.reasons.other') }), n: r.count.toLocaleString() })}
            </Tag>
          ))}
      </Flex>
      <Flex gap={8} wrap>
        {campaign.may.pause ? (
          <Button icon={<PauseOutlined />} loading={pause.isPending} onClick={() => void act(pause, t('campaigns.progress.pausedOk'))}>
            {t('campaigns.progress.pause')}
          </Button>
        ) : null}
        {campaign.may.resume ? (
          <Button type="primary" icon={<CaretRightOutlined />} loading={resume.isPending} onClick={() => void act(resume, t('campaigns.progress.resumedOk'))}>
            {t('campaigns.progress.resume')}
          </Button>
        ) : null}
      </Flex>
    </Flex>
  );
}
