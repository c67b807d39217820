import { CaretRightOutlined, PauseOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Progress, Tag, Tooltip, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { campaignKeys, useCampaignProgress, useCampaignTransition } from '../api.ts';
import type { Campaign } from '../messages.ts';
import { sendProgressBar } from '../send-progress.ts';
import { Figure } from './Figure.tsx';

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
      {/* Each figure whole, on as many lines as the screen needs: a two-column Descriptions squeezed the values to a
          sliver on a phone, and 100% wrapped into 「100 / %」 or one character a line (browser review, 390 px). */}
      <Flex wrap gap="12px 32px" data-testid="send-progress-figures">
        <Figure label={t('campaigns.progress.accepted')} value={data.accepted.toLocaleString()} />
        <Figure label={t('campaigns.progress.queued')} value={data.queued.toLocaleString()} />
        <Figure label={t('campaigns.progress.failed')} value={data.failed.toLocaleString()} />
        <Figure label={t('campaigns.progress.skipped')} value={data.skipped.toLocaleString()} />
        {data.cancelled > 0 ? <Figure label={t('campaigns.progress.cancelled')} value={data.cancelled.toLocaleString()} testId="not-sent-cancelled" /> : null}
        <Figure label={t('campaigns.progress.rate')} value={data.recipientsPerSecond === null ? '—' : t('campaigns.progress.perSecond', { n: data.recipientsPerSecond })} />
        {/* The time left means something only while it sends: a finished campaign does not show "0 秒". */}
        {live ? <Figure label={t('campaigns.progress.timeLeft')} value={data.secondsLeft === null ? '—' : t('campaigns.progress.seconds', { n: data.secondsLeft })} /> : null}
        <Figure
          label={
            <Tooltip title={t('campaigns.progress.successRateHelp')}>
              <span>
                {t('campaigns.progress.successRate')} <QuestionCircleOutlined />
              </span>
            </Tooltip>
          }
          value={data.successRate === null ? '—' : t('campaigns.progress.percent', { n: data.successRate })}
          testId="success-rate"
        />
      </Flex>
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
